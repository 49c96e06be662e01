#!/usr/bin/env bash
# Installs a glibc 2.17 runtime (the manylinux2014 baseline) for run-time checks of the native
# library (issue 12) and prints its directory: lib/ with ld-2.17.so, libc.so.6, libpthread.so.0.
#   bash .ci/glibc-sysroot.sh x86_64|aarch64
# Source: the sysroot inside the npm packages @napi-rs/cross-toolchain-x64-target-<arch> (a whole
# GCC 4.8 cross toolchain; only its sysroot's lib/ is kept). Cached in native/.toolchains/
# (ignored by git); a second call with the same version does nothing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
arch="${1:?usage: $0 x86_64|aarch64}"
case "$arch" in
  x86_64) pkg=@napi-rs/cross-toolchain-x64-target-x86_64 ver=1.0.0 ;;
  aarch64) pkg=@napi-rs/cross-toolchain-x64-target-aarch64 ver=1.0.3 ;;
  *) echo "glibc-sysroot: unknown architecture $arch" >&2; exit 2 ;;
esac
cache="$ROOT/native/.toolchains"
dest="$cache/glibc-2.17-$arch"
stamp="$dest/.installed-$ver"
if [ ! -f "$stamp" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    bash "$ROOT/.ci/apt-install.sh" npm
  fi
  npmdir="$cache/npm-$arch"
  rm -rf "$npmdir" "$dest.tmp"
  mkdir -p "$npmdir" "$dest.tmp"
  echo "glibc-sysroot: npm install $pkg@$ver" >&2
  npm install --no-save --no-package-lock --no-audit --no-fund --ignore-scripts --prefix "$npmdir" "$pkg@$ver" >&2
  tarball="$(ls "$npmdir/node_modules/$pkg/"*.tar.xz)"
  tar --no-same-owner -xJf "$tarball" -C "$dest.tmp" --strip-components=3 "./$arch-unknown-linux-gnu/sysroot/lib"
  [ -f "$dest.tmp/lib/ld-2.17.so" ] && [ -e "$dest.tmp/lib/libc.so.6" ] \
    || { echo "glibc-sysroot: $tarball has no glibc 2.17 lib/" >&2; exit 1; }
  rm -rf "$dest" "$npmdir"
  mv "$dest.tmp" "$dest"
  touch "$stamp"
fi
echo "$dest"
