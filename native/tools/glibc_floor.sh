#!/usr/bin/env bash
# Fails when an ELF file needs a glibc symbol version newer than the floor (issue 12).
#   native/tools/glibc_floor.sh [--max 2.17] FILE...
# Reads the version-needs section (readelf -V: what the dynamic loader checks at load time) and
# prints, per file, the highest GLIBC_x.y and the symbols that need anything above the floor.
# readelf works for every architecture (x86-64 and ARM64 files alike).
set -euo pipefail
max=2.17
if [ "${1:-}" = "--max" ]; then max="$2"; shift 2; fi
[ $# -gt 0 ] || { echo "usage: $0 [--max X.Y] FILE..." >&2; exit 2; }
command -v readelf >/dev/null 2>&1 || { echo "glibc_floor: readelf not found (binutils)" >&2; exit 2; }

status=0
for f in "$@"; do
  [ -f "$f" ] || { echo "glibc_floor: $f: no such file" >&2; status=1; continue; }
  versions="$(readelf -V -W "$f" | sed -n '/Version needs section/,$p' | { grep -o 'Name: GLIBC_[0-9][0-9.]*' || true; } \
    | sed 's/Name: GLIBC_//' | sort -uV)"  # no match (a musl library) is not an error: reported below
  if [ -z "$versions" ]; then
    echo "glibc_floor: $f: needs no GLIBC_ version (not dynamically linked against glibc?)"
    continue
  fi
  highest="$(printf '%s\n' "$versions" | tail -n1)"
  too_new="$(printf '%s\n%s\n' "$versions" "$max" | sort -uV | sed -n "/^${max//./\\.}\$/,\$p" | tail -n +2)"
  if [ -n "$too_new" ]; then
    echo "glibc_floor: FAIL $f needs GLIBC_$highest > GLIBC_$max; symbols above the floor:"
    for v in $too_new; do
      readelf --dyn-syms -W "$f" | awk -v v="@GLIBC_$v" 'index($0, v) { print "  " $8 }'
    done
    status=1
  else
    echo "glibc_floor: ok $f needs at most GLIBC_$highest (floor GLIBC_$max); versions: $(echo $versions)"
  fi
done
exit $status
