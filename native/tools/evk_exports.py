"""The C API a library must export, read from native/include/evkeygen.h (every EVK_API function),
and the per-file loop of the binary checks.

Shared by macho_check.py and pe_check.py; python3 standard library only.
"""
import os
import re
import struct
import sys

HEADER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "include", "evkeygen.h")


def header_exports(path=HEADER):
    """Sorted names of the functions declared with EVK_API (the macro's own #define excluded)."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    names = set(re.findall(r"^EVK_API\b[^;(]*?\b(evk_\w+)\s*\(", text, re.M))
    if not names:
        raise SystemExit(f"no EVK_API functions found in {path}")
    return sorted(names)


def compare(label, found, expected):
    """Prints the difference between two name lists; returns True when they are equal."""
    missing = sorted(set(expected) - set(found))
    extra = sorted(set(found) - set(expected))
    for n in missing:
        print(f"{label}: FAIL missing export {n}", file=sys.stderr)
    for n in extra:
        print(f"{label}: FAIL unexpected export {n}", file=sys.stderr)
    return not missing and not extra


def check_files(tool, paths, check):
    """Runs check(path) -> [error, ...] on each file, printing one line per failure; returns the exit status."""
    status = 0
    for path in paths:
        try:
            errors = check(path)
        except (OSError, ValueError, struct.error, IndexError) as e:
            errors = [f"unreadable: {e}"]
        for e in errors:
            print(f"{tool}: FAIL {path}: {e}", file=sys.stderr)
            status = 1
    return status
