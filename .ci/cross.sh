#!/usr/bin/env bash
# The six non-host native libraries, cross-compiled with zig (cmake/zig.cmake), and what proves
# each one (issue 22). Called by .ci/run after .ci/native.sh (whose x86-64 glibc build gives the
# reference digests) and before `mvn -B verify`. Idempotent; needs root or sudo only to install wine64.
#   bash .ci/cross.sh               build and check every target below
#   bash .ci/cross.sh TRIPLE...     only these (e.g. x86_64-linux-musl)
#   bash .ci/cross.sh --check-jar [JAR...]   the jars carry all seven libraries with matching .sha256
#                                   (default: target/evkeygen.jar and the thin target/evkeygen-<version>.jar)
# Checks, per target (build trees native/build-<triple>, ignored by git):
#   x86-64 musl      static test binary run here; --digests at scalar/avx2/avx512 = x86-64 glibc scalar;
#                    the .so loaded by musl's own loader (Debian's musl package) runs the smoke test;
#                    libevkeygen.so needs only musl's libc.so, no GLIBC_ version, exports exactly evk_*
#   ARM64 musl       the same under qemu-aarch64-static (scalar/neon), the .so by Debian's musl:arm64 loader
#   ARM64 glibc 2.17 (zig aarch64-linux-gnu.2.17) native.sh's ARM64 checks: ctest under qemu, glibc
#                    floor 2.17, test binary and shared library under glibc 2.17's own loader
#   Windows x86-64   evkeygen_test.exe and the DLL through evkeygen_so_smoke.exe under wine64;
#                    PE exports exactly evk_*, imports only system DLLs (native/tools/pe_check.py)
#   macOS x86-64/ARM64  not runnable: Mach-O architecture, every evk_* exported (the others zig 0.11
#                    exports too only warn), minimum macOS <= 11.0, no dylib but libSystem
#                    (native/tools/macho_check.py)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
JOBS="${JOBS:-$(nproc 2>/dev/null || echo 2)}"
log() { printf '\n=== cross: %s\n' "$*"; }
fail() { echo "cross: FAIL $*" >&2; exit 1; }

# target triple -> JNA resource directory, library file (the shared contract of issue 22)
declare -A DIR=([x86_64-linux-musl]=linux-x86-64-musl [aarch64-linux-musl]=linux-aarch64-musl
  [aarch64-linux-gnu.2.17]=linux-aarch64 [x86_64-windows-gnu]=win32-x86-64
  [x86_64-macos.11.0]=darwin-x86-64 [aarch64-macos.11.0]=darwin-aarch64)
ALL_TARGETS=(x86_64-linux-musl aarch64-linux-musl aarch64-linux-gnu.2.17 x86_64-windows-gnu
  x86_64-macos.11.0 aarch64-macos.11.0)
JAR_LIBS=(linux-x86-64/libevkeygen.so linux-aarch64/libevkeygen.so linux-x86-64-musl/libevkeygen.so
  linux-aarch64-musl/libevkeygen.so win32-x86-64/evkeygen.dll darwin-x86-64/libevkeygen.dylib
  darwin-aarch64/libevkeygen.dylib)

# --- --check-jar: after mvn verify ---------------------------------------------------------------
if [ "${1:-}" = "--check-jar" ]; then
  shift
  jars=("$@")
  if [ ${#jars[@]} -eq 0 ]; then
    jars=(target/evkeygen.jar)
    for j in target/evkeygen-[0-9]*.jar; do
      [[ "$j" =~ -(sources|javadoc|linux-[a-z0-9_-]+|windows-[a-z0-9_]+|osx-[a-z0-9_]+)\.jar$ ]] || jars+=("$j")
    done
  fi
  [ ${#jars[@]} -ge 2 ] || fail "no thin jar target/evkeygen-<version>.jar (run mvn package first)"
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  for jar in "${jars[@]}"; do
    [ -f "$jar" ] || fail "$jar: no such jar"
    rm -rf "$tmp/x"; mkdir "$tmp/x"
    (cd "$tmp/x" && unzip -q "$ROOT/$jar" '*evkeygen*.so' '*evkeygen*.dll' '*evkeygen*.dylib' '*.sha256' 2>/dev/null) || true
    for lib in "${JAR_LIBS[@]}"; do
      [ -f "$tmp/x/$lib" ] || fail "$jar has no $lib"
      [ -f "$tmp/x/$lib.sha256" ] || fail "$jar has no $lib.sha256"
      [ "$(sha256sum < "$tmp/x/$lib" | cut -d' ' -f1)" = "$(tr -d '\r\n' < "$tmp/x/$lib.sha256")" ] \
        || fail "$jar: $lib does not match its .sha256"
    done
    echo "cross: $jar carries all ${#JAR_LIBS[@]} libraries, each matching its .sha256"
  done
  exit 0
fi

TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=("${ALL_TARGETS[@]}")
for t in "${TARGETS[@]}"; do [ -n "${DIR[$t]:-}" ] || fail "unknown target $t (one of: ${ALL_TARGETS[*]})"; done

# --- tools --------------------------------------------------------------------------------------
ZIG="${EVKEYGEN_ZIG:-$(bash .ci/zig.sh)}"
[ -x "$ZIG" ] || fail "EVKEYGEN_ZIG=$ZIG is not an executable"
# Debian's wine64 package installs no /usr/bin/wine64 (that comes with the package wine)
WINE="$(command -v wine64 || echo /usr/lib/wine/wine64)"
if [[ " ${TARGETS[*]} " == *windows* ]] && [ ! -x "$WINE" ]; then
  log "installing wine64"
  bash .ci/apt-install.sh wine64
fi

# musl's own dynamic loader (Debian's package musl: /lib/ld-musl-x86_64.so.1), so the musl library is
# loaded as Alpine loads it, not only its objects run in the static test binary
MUSL_LD=/lib/ld-musl-x86_64.so.1
if [[ " ${TARGETS[*]} " == *x86_64-linux-musl* ]] && [ ! -x "$MUSL_LD" ]; then
  log "installing musl"
  bash .ci/apt-install.sh musl
fi

# musl's ARM64 loader, for the ARM64 musl library under qemu as Alpine on ARM64 would load it: Debian's
# musl:arm64 unpacked (not installed: apt with a private list directory, nothing of the host's apt
# configuration changes), its libc.so being musl's dynamic loader too. Cached in native/.toolchains/.
arm64_musl_loader() {
  local dest="$ROOT/native/.toolchains/musl-arm64" apt_opts
  if [ ! -f "$dest/lib/aarch64-linux-musl/libc.so" ]; then
    apt_opts=(-q -o "Dir::State::Lists=$dest.apt/lists" -o "Dir::Cache=$dest.apt/cache" -o APT::Architecture=arm64
      -o APT::Architectures=arm64 -o APT::Sandbox::User=root)
    rm -rf "$dest" "$dest.apt"
    mkdir -p "$dest.apt/lists/partial" "$dest.apt/cache/archives/partial" "$dest.apt/deb"
    (cd "$dest.apt/deb" && apt-get "${apt_opts[@]}" update && apt-get "${apt_opts[@]}" download musl:arm64) >&2
    dpkg-deb -x "$dest.apt/deb/"musl_*_arm64.deb "$dest.tmp"
    mv "$dest.tmp" "$dest"
    rm -rf "$dest.apt"
  fi
  echo "$dest/lib/aarch64-linux-musl/libc.so"
}

# the reference: x86-64 glibc scalar digests (native.sh's build, or a fresh host build)
X86=native/build-x86_64
if [ ! -x "$X86/evkeygen_test" ]; then
  log "host x86-64 build for the reference digests"
  cmake -S native -B "$X86" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$X86" --parallel "$JOBS" --target evkeygen_test evkeygen_so_smoke
fi
ref="$(EVKEYGEN_SIMD=scalar "$X86/evkeygen_test" --digests)"
smoke_ref="$("$X86/evkeygen_so_smoke")"

status=0
compare() { # name, output
  if [ "$(printf '%s' "$2" | tr -d '\r')" != "$ref" ]; then
    printf 'MISMATCH %s:\n%s\n' "$1" "$2"; status=1
  else
    printf 'same as x86-64 glibc scalar: %s\n' "$1"
  fi
}
compare_smoke() { # name, then the command that runs evkeygen_so_smoke against the library under test
  local name="$1" out
  shift
  out="$("$@")"  # a failing run stops the script (set -e), as an assignment of its own did before
  if [ "$out" != "$smoke_ref" ]; then
    printf 'cross: FAIL %s differs from the x86-64 glibc library:\n%s\n' "$name" "$out"; status=1
  else
    printf 'same smoke output as the x86-64 glibc library: %s\n' "$name"
  fi
}
elf_check() { # musl .so: NEEDED only musl's libc.so, no glibc symbol version, exports exactly evk_*
  local so="$1" needed exports
  needed="$(readelf -d -W "$so" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')"
  [ "$needed" = "libc.so " ] || { echo "cross: FAIL $so needs '$needed', expected only libc.so (musl)"; status=1; }
  ! readelf -V -W "$so" | grep -q 'GLIBC_' || { echo "cross: FAIL $so has GLIBC_ symbol versions"; status=1; }
  exports="$(nm -D --defined-only "$so" | awk '{print $3}' | sort | tr '\n' ' ')"
  [ "$exports" = "$(python3 -c 'import sys; sys.path.insert(0, "native/tools"); from evk_exports import header_exports; print(" ".join(header_exports()))') " ] \
    || { echo "cross: FAIL $so exports differ from evkeygen.h: $exports"; status=1; }
  echo "cross: ok $so: NEEDED $needed, no GLIBC_ versions, exports exactly the evk_* API"
}

for t in "${TARGETS[@]}"; do
  B="native/build-$t"
  start=$SECONDS
  log "$t (${DIR[$t]}): build"
  cmake -S native -B "$B" -DCMAKE_BUILD_TYPE=Release -DCMAKE_TOOLCHAIN_FILE="$ROOT/cmake/zig.cmake" \
    -DEVK_ZIG="$ZIG" -DEVK_ZIG_TARGET="$t" >/dev/null
  cmake --build "$B" --parallel "$JOBS"
  case "$t" in
    x86_64-linux-musl)
      file "$B/evkeygen_test" | grep -q 'statically linked' || fail "$B/evkeygen_test is not static"
      # so_smoke is linked against libevkeygen.so and musl: ctest would start it with the host's loader
      ctest --test-dir "$B" --output-on-failure -E so_smoke
      compare_smoke "x86-64 musl libevkeygen.so under musl's loader" \
        "$MUSL_LD" --library-path "$B" "$B/evkeygen_so_smoke"
      for level in scalar avx2 avx512; do
        compare "x86-64 musl $level" "$(EVKEYGEN_SIMD=$level "$B/evkeygen_test" --digests)"
      done
      elf_check "$B/libevkeygen.so" ;;
    aarch64-linux-musl)
      ctest --test-dir "$B" --output-on-failure -E so_smoke
      musl_arm64_ld="$(arm64_musl_loader)"
      compare_smoke "ARM64 musl libevkeygen.so under musl's loader (qemu)" \
        qemu-aarch64-static "$musl_arm64_ld" --library-path "$B" "$B/evkeygen_so_smoke"
      for level in scalar neon; do
        compare "ARM64 musl $level (qemu)" "$(EVKEYGEN_SIMD=$level qemu-aarch64-static "$B/evkeygen_test" --digests)"
      done
      elf_check "$B/libevkeygen.so" ;;
    aarch64-linux-gnu.2.17)
      ctest --test-dir "$B" --output-on-failure
      bash native/tools/glibc_floor.sh --max 2.17 "$B/libevkeygen.so" "$B/evkeygen_test" "$B/evkeygen_so_smoke"
      SRARM="$(bash .ci/glibc-sysroot.sh aarch64)"
      arm217() { qemu-aarch64-static -L "$SRARM" "$@"; }
      arm217 "$B/evkeygen_test" --quick
      compare_smoke "zig ARM64 library under glibc 2.17 (qemu)" arm217 "$B/evkeygen_so_smoke"
      for level in scalar neon; do
        compare "ARM64 glibc 2.17 $level (zig, qemu)" "$(EVKEYGEN_SIMD=$level arm217 "$B/evkeygen_test" --digests)"
      done ;;
    x86_64-windows-gnu)
      python3 native/tools/pe_check.py "$B/evkeygen.dll" || status=1
      export WINEPREFIX="$ROOT/$B/wineprefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
      # the first start creates the prefix (slow, and it must not hang CI)
      timeout 300 "$WINE" wineboot --init >/dev/null 2>&1 || fail "wine64 did not start within 300 s"
      wstart=$SECONDS
      timeout 600 "$WINE" "$B/evkeygen_test.exe"
      echo "cross: evkeygen_test.exe under wine64: $((SECONDS - wstart)) s"
      wine_smoke() { timeout 120 "$WINE" "$B/evkeygen_so_smoke.exe" | tr -d '\r'; }
      compare_smoke "evkeygen.dll under wine64" wine_smoke
      for level in scalar avx2 avx512; do
        compare "Windows x86-64 $level (wine64)" "$(EVKEYGEN_SIMD=$level timeout 300 "$WINE" "$B/evkeygen_test.exe" --digests)"
      done ;;
    x86_64-macos.11.0) python3 native/tools/macho_check.py --arch x86_64 --extra-exports warn "$B/libevkeygen.dylib" || status=1 ;;
    aarch64-macos.11.0) python3 native/tools/macho_check.py --arch arm64 --extra-exports warn "$B/libevkeygen.dylib" || status=1 ;;
  esac
  echo "cross: $t took $((SECONDS - start)) s"
done
[ "$status" -eq 0 ] || fail "see the lines above"
echo "cross: all checks passed (${TARGETS[*]})"
