#!/usr/bin/env python3
"""Checks a macOS libevkeygen.dylib that cannot run here (issue 22):

  native/tools/macho_check.py --arch {x86_64,arm64} [--min-os 11.0] [--extra-exports warn] FILE.dylib

- a thin 64-bit Mach-O dynamic library for the given architecture, whose install name is
  @rpath/<file> (not a path of the build machine);
- it exports exactly the EVK_API functions of native/include/evkeygen.h (export trie, as dyld reads);
  --extra-exports warn: all of them and anything else only with a warning (zig 0.11's Mach-O linker
  exports every global symbol, hidden ones included, and takes no exported-symbols list; macOS binds
  by two-level namespace, so they cannot interpose on another image's symbols);
- its minimum macOS (LC_BUILD_VERSION minos, or LC_VERSION_MIN_MACOSX) is at most --min-os;
- it loads no dylib but /usr/lib/libSystem.B.dylib (anything else, libc++ included, would be a
  dependency the jar does not carry).
Exit 0 when all hold, 1 otherwise (one line per failure on stderr). Python standard library only.
"""
import argparse
import struct
import sys

from evk_exports import check_files, compare, header_exports

MH_MAGIC_64 = 0xFEEDFACF
MH_DYLIB = 6
CPU = {"x86_64": 0x01000007, "arm64": 0x0100000C}
LC_SYMTAB = 0x2
LC_ID_DYLIB = 0xD
LC_LOAD_DYLIBS = {0xC: "LC_LOAD_DYLIB", 0x80000018: "LC_LOAD_WEAK_DYLIB", 0x8000001F: "LC_REEXPORT_DYLIB",
                  0x20: "LC_LAZY_LOAD_DYLIB", 0x80000023: "LC_LOAD_UPWARD_DYLIB"}
LC_VERSION_MIN_MACOSX = 0x24
LC_BUILD_VERSION = 0x32
LC_DYLD_INFO = 0x22
LC_DYLD_INFO_ONLY = 0x80000022
LC_DYLD_EXPORTS_TRIE = 0x80000033
PLATFORM_MACOS = 1
ALLOWED_DYLIBS = {"/usr/lib/libSystem.B.dylib"}


def uleb(data, pos):
    value = shift = 0
    while True:
        b = data[pos]
        pos += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return value, pos


def trie_exports(data, start, size):
    """Names in a dyld export trie (the symbols dyld can bind to)."""
    names, stack, seen = [], [(0, "")], set()
    while stack:
        off, prefix = stack.pop()
        if off in seen or off >= size:
            raise ValueError("malformed export trie")
        seen.add(off)
        pos = start + off
        terminal, pos = uleb(data, pos)
        if terminal:
            names.append(prefix)
        pos += terminal
        count = data[pos]
        pos += 1
        for _ in range(count):
            end = data.index(b"\0", pos)
            edge = data[pos:end].decode()
            child, pos = uleb(data, end + 1)
            stack.append((child, prefix + edge))
    return names


def symtab_exports(data, symoff, nsyms, stroff):
    """External symbols defined in a section and not private extern (when there is no trie)."""
    names = []
    for i in range(nsyms):
        strx, ntype, _sect, _desc, _value = struct.unpack_from("<IBBHQ", data, symoff + 16 * i)
        if ntype & 0xE0 == 0 and ntype & 0x01 and not ntype & 0x10 and ntype & 0x0E == 0x0E:
            end = data.index(b"\0", stroff + strx)
            names.append(data[stroff + strx:end].decode())
    return names


def version(v):
    return f"{v >> 16}.{(v >> 8) & 0xFF}.{v & 0xFF}"


def check(path, arch, min_os, extra_exports):
    with open(path, "rb") as f:
        data = f.read()
    errors = []
    magic, cputype, _sub, filetype, ncmds, _size, _flags, _res = struct.unpack_from("<IiiIIIII", data, 0)
    if magic != MH_MAGIC_64:
        return [f"not a thin 64-bit little-endian Mach-O (magic {magic:#x})"]
    if cputype != CPU[arch]:
        errors.append(f"architecture {cputype:#x}, expected {arch} ({CPU[arch]:#x})")
    if filetype != MH_DYLIB:
        errors.append(f"file type {filetype}, expected MH_DYLIB ({MH_DYLIB})")
    pos, minos, dylibs, trie, symtab, install_name = 32, None, [], None, None, None
    for _ in range(ncmds):
        cmd, cmdsize = struct.unpack_from("<II", data, pos)
        if cmd in LC_LOAD_DYLIBS:
            name_off = struct.unpack_from("<I", data, pos + 8)[0]
            end = data.index(b"\0", pos + name_off)
            dylibs.append((LC_LOAD_DYLIBS[cmd], data[pos + name_off:end].decode()))
        elif cmd == LC_ID_DYLIB:
            name_off = struct.unpack_from("<I", data, pos + 8)[0]
            install_name = data[pos + name_off:data.index(b"\0", pos + name_off)].decode()
        elif cmd == LC_BUILD_VERSION:
            platform, minos = struct.unpack_from("<II", data, pos + 8)
            if platform != PLATFORM_MACOS:
                errors.append(f"LC_BUILD_VERSION platform {platform}, expected macOS ({PLATFORM_MACOS})")
        elif cmd == LC_VERSION_MIN_MACOSX:
            minos = struct.unpack_from("<I", data, pos + 8)[0]
        elif cmd in (LC_DYLD_INFO, LC_DYLD_INFO_ONLY):
            off, size = struct.unpack_from("<II", data, pos + 40)
            if size:
                trie = (off, size)
        elif cmd == LC_DYLD_EXPORTS_TRIE:
            trie = struct.unpack_from("<II", data, pos + 8)
        elif cmd == LC_SYMTAB:
            symtab = struct.unpack_from("<IIII", data, pos + 8)
        pos += cmdsize

    limit = tuple(int(x) for x in min_os.split("."))
    if minos is None:
        errors.append("no LC_BUILD_VERSION or LC_VERSION_MIN_MACOSX: minimum macOS unknown")
    elif (minos >> 16, (minos >> 8) & 0xFF) > limit[:2]:
        errors.append(f"minimum macOS {version(minos)} > {min_os}")
    for kind, name in dylibs:
        if name not in ALLOWED_DYLIBS:
            errors.append(f"{kind} {name}: a dependency the jar does not carry")
    if trie:
        names = trie_exports(data, trie[0], trie[1])
    elif symtab:
        names = symtab_exports(data, symtab[0], symtab[1], symtab[2])
    else:
        names = []
    if install_name is None or not install_name.startswith("@rpath/"):
        errors.append(f"install name {install_name}, expected @rpath/<file>")
    exported = [n[1:] if n.startswith("_") else n for n in names]
    expected = header_exports()
    extra = sorted(set(exported) - set(expected))
    if extra_exports == "warn":
        if not compare(path, [n for n in exported if n in expected], expected):
            errors.append("an EVK_API function of evkeygen.h is not exported")
        elif extra:
            print(f"macho_check: warning {path}: {len(extra)} exports besides the evk_* API "
                  f"(zig 0.11's Mach-O linker), e.g. {', '.join(extra[:3])}", file=sys.stderr)
    elif not compare(path, exported, expected):
        errors.append(f"exports differ from the EVK_API functions of evkeygen.h ({len(exported)} exported)")
    if not errors:
        print(f"macho_check: ok {path}: {arch}, minimum macOS {version(minos)}, all {len(expected)} evk_* "
              f"exported, install name {install_name}, loads {', '.join(n for _, n in dylibs) or 'nothing'}")
    return errors


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--arch", required=True, choices=sorted(CPU))
    ap.add_argument("--min-os", default="11.0")
    ap.add_argument("--extra-exports", choices=["fail", "warn"], default="fail")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    return check_files("macho_check", args.files, lambda p: check(p, args.arch, args.min_os, args.extra_exports))


if __name__ == "__main__":
    sys.exit(main())
