#!/usr/bin/env python3
"""Checks the Windows evkeygen.dll (issue 22):

  native/tools/pe_check.py FILE.dll

- a PE32+ x86-64 DLL;
- it exports exactly the EVK_API functions of native/include/evkeygen.h, besides the unwinder's
  (zig 0.11 builds its static libunwind with dllexport: ziglang/zig#23543, fixed in zig 0.15; a PE
  export cannot interpose on another DLL's symbols, so they are harmless, but nothing else passes);
- it imports (directly or delay-loaded) only DLLs every Windows has: KERNEL32, the C runtime
  (msvcrt, ucrtbase, api-ms-win-crt-*), ADVAPI32, bcrypt, ntdll; no libc++/libstdc++/libwinpthread.
Exit 0 when all hold, 1 otherwise (one line per failure on stderr). Python standard library only.
"""
import re
import struct
import sys

from evk_exports import check_files, compare, header_exports

IMAGE_FILE_MACHINE_AMD64 = 0x8664
IMAGE_FILE_DLL = 0x2000
PE32_PLUS = 0x20B
UNWINDER = re.compile(r"^(_Unwind_[A-Za-z]+|unw_[a-z_]+|_GCC_specific_handler)$")
SYSTEM_DLLS = re.compile(r"^(kernel32|msvcrt|ucrtbase|advapi32|bcrypt|ntdll|api-ms-win-crt-[a-z0-9-]+)\.dll$", re.I)


class Image:
    def __init__(self, data):
        self.data = data
        pe = struct.unpack_from("<I", data, 0x3C)[0]
        if data[:2] != b"MZ" or data[pe:pe + 4] != b"PE\0\0":
            raise ValueError("not a PE file")
        self.machine, nsect, _t, _p, _n, opt_size, self.flags = struct.unpack_from("<HHIIIHH", data, pe + 4)
        opt = pe + 24
        self.magic = struct.unpack_from("<H", data, opt)[0]
        if self.magic != PE32_PLUS:
            raise ValueError(f"optional header magic {self.magic:#x}, expected PE32+")
        ndirs = struct.unpack_from("<I", data, opt + 108)[0]
        self.dirs = [struct.unpack_from("<II", data, opt + 112 + 8 * i) for i in range(ndirs)]
        self.sections = []
        for i in range(nsect):
            vsize, va, rawsize, rawptr = struct.unpack_from("<IIII", data, opt + opt_size + 40 * i + 8)
            self.sections.append((va, max(vsize, rawsize), rawptr))

    def offset(self, rva):
        for va, size, raw in self.sections:
            if va <= rva < va + size:
                return raw + rva - va
        raise ValueError(f"RVA {rva:#x} outside every section")

    def cstring(self, rva):
        off = self.offset(rva)
        return self.data[off:self.data.index(b"\0", off)].decode()

    def directory(self, i):
        return self.dirs[i] if i < len(self.dirs) and self.dirs[i][0] else None

    def exports(self):
        d = self.directory(0)
        if not d:
            return []
        off = self.offset(d[0])
        nnames, names_rva = struct.unpack_from("<I", self.data, off + 24)[0], struct.unpack_from("<I", self.data, off + 32)[0]
        names_off = self.offset(names_rva) if nnames else 0
        return [self.cstring(struct.unpack_from("<I", self.data, names_off + 4 * i)[0]) for i in range(nnames)]

    def imports(self):
        found = []
        for index, size, name_at in ((1, 20, 12), (13, 32, 4)):  # import table, delay-load table
            d = self.directory(index)
            if not d:
                continue
            off = self.offset(d[0])
            while True:
                entry = self.data[off:off + size]
                if len(entry) < size or not any(entry):
                    break
                found.append(self.cstring(struct.unpack_from("<I", entry, name_at)[0]))
                off += size
        return found


def check(path):
    with open(path, "rb") as f:
        image = Image(f.read())
    errors = []
    if image.machine != IMAGE_FILE_MACHINE_AMD64:
        errors.append(f"machine {image.machine:#x}, expected x86-64 ({IMAGE_FILE_MACHINE_AMD64:#x})")
    if not image.flags & IMAGE_FILE_DLL:
        errors.append("not a DLL (IMAGE_FILE_DLL unset)")
    exported = [n for n in image.exports() if not UNWINDER.match(n)]
    if not compare(path, exported, header_exports()):
        errors.append(f"exports differ from the EVK_API functions of evkeygen.h ({len(exported)} exported)")
    imported = image.imports()
    for name in imported:
        if not SYSTEM_DLLS.match(name):
            errors.append(f"imports {name}: not a system DLL, the jar does not carry it")
    if not errors:
        print(f"pe_check: ok {path}: x86-64 DLL, {len(exported)} evk_* exports, imports {', '.join(imported)}")
    return errors


def main():
    if len(sys.argv) < 2 or sys.argv[1].startswith("-"):
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    return check_files("pe_check", sys.argv[1:], check)


if __name__ == "__main__":
    sys.exit(main())
