#!/usr/bin/env bash
# Native backend checks (issue 3), called by .ci/run. Idempotent; needs root or sudo only to
# install missing Debian packages.
#   1. x86-64: build with CMake, ctest (every compiled SIMD path against scalar, golden digests,
#      and one digest test per EVKEYGEN_SIMD level)
#   2. the native test binary under valgrind (leaks and memory errors are failures)
#   2b. constant-time check: an EVK_CT_CHECK build's evkeygen_test --ct under valgrind (seed undefined)
#   3. ARM64: cross-build with g++-aarch64-linux-gnu, ctest under qemu-aarch64-static
#   4. digests of several key sets at every level, x86-64 and ARM64, all equal to x86-64 scalar
#   5. glibc floor (issue 12): both libraries and the test binaries need no GLIBC_ symbol version
#      above 2.17, and the test binaries and the shared library run under glibc 2.17's own loader
#      (ld-2.17.so from the npm package's sysroot, installed by .ci/glibc-sysroot.sh), x86-64
#      directly and ARM64 under qemu-aarch64-static -L <2.17 sysroot>
# Build trees: native/build-x86_64, native/build-ct, native/build-aarch64 (ignored by git).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
JOBS="${JOBS:-$(nproc 2>/dev/null || echo 2)}"
export QEMU_LD_PREFIX=/usr/aarch64-linux-gnu

log() { printf '\n=== native: %s\n' "$*"; }

# --- packages -------------------------------------------------------------------------------
missing=()
command -v cmake >/dev/null 2>&1 || missing+=(cmake)
command -v g++ >/dev/null 2>&1 || missing+=(g++)
command -v aarch64-linux-gnu-g++ >/dev/null 2>&1 || missing+=(g++-aarch64-linux-gnu)
command -v qemu-aarch64-static >/dev/null 2>&1 || missing+=(qemu-user-static)
command -v valgrind >/dev/null 2>&1 || missing+=(valgrind)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if ((${#missing[@]} > 0)); then
  log "installing ${missing[*]}"
  # only what is missing: a machine whose Node.js comes from elsewhere (npm bundled) refuses Debian's npm
  bash .ci/apt-install.sh "${missing[@]}"
fi
GLIBC_FLOOR=2.17

# --- x86-64 ---------------------------------------------------------------------------------
X86=native/build-x86_64
log "x86-64 build"
cmake -S native -B "$X86" -DCMAKE_BUILD_TYPE=Release
cmake --build "$X86" --parallel "$JOBS"

log "x86-64 ctest (all paths against scalar; digests per EVKEYGEN_SIMD level)"
ctest --test-dir "$X86" --output-on-failure

log "x86-64 test binary under valgrind"
# valgrind hides AVX-512 and VAES from CPUID, so this covers scalar (soft AES) and AVX2/AES-NI.
valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible \
  --error-exitcode=1 "$X86/evkeygen_test" --quick

log "x86-64 glibc floor: nothing newer than GLIBC_$GLIBC_FLOOR"
bash native/tools/glibc_floor.sh --max "$GLIBC_FLOOR" "$X86/libevkeygen.so" "$X86/evkeygen_test" "$X86/evkeygen_so_smoke"

log "x86-64 under glibc 2.17 (ld-2.17.so of the manylinux2014 sysroot)"
SR86="$(bash .ci/glibc-sysroot.sh x86_64)"
run217() { "$SR86/lib/ld-2.17.so" --library-path "$SR86/lib" "$@"; }
run217 --list "$X86/evkeygen_so_smoke"
run217 "$X86/evkeygen_test"
smoke_ref="$("$X86/evkeygen_so_smoke")"
smoke_217="$(run217 "$X86/evkeygen_so_smoke")"
printf 'host glibc: %s
glibc 2.17: %s
' "$smoke_ref" "$smoke_217"
[ "$smoke_ref" = "$smoke_217" ] || { echo "native: libevkeygen.so differs under glibc 2.17"; exit 1; }

log "constant-time check: evkeygen_test --ct under valgrind (seed marked undefined)"
# A separate build with -DEVK_CT_CHECK=ON (memcheck client requests; same -O3 code plus -g for the
# reports). Any branch or address depending on the seed, the secret or the errors is reported and
# fails the run. valgrind hides AVX-512 from CPUID: this covers scalar (soft AES, whose S-box
# addresses are the one suppressed exception, native/test/ct.supp) and AVX2/AES-NI.
CT=native/build-ct
cmake -S native -B "$CT" -DCMAKE_BUILD_TYPE=Release -DEVK_CT_CHECK=ON -DCMAKE_CXX_FLAGS=-g
cmake --build "$CT" --parallel "$JOBS" --target evkeygen_test
valgrind --quiet --error-exitcode=1 --suppressions=native/test/ct.supp "$CT/evkeygen_test" --ct

# --- ARM64 (cross, qemu) ----------------------------------------------------------------------
ARM=native/build-aarch64
log "ARM64 cross-build"
cmake -S native -B "$ARM" -DCMAKE_BUILD_TYPE=Release -DCMAKE_TOOLCHAIN_FILE="$ROOT/cmake/aarch64-linux-gnu.cmake" \
  -DEVK_QEMU_AARCH64="$(command -v qemu-aarch64-static)"
cmake --build "$ARM" --parallel "$JOBS"
file "$ARM/libevkeygen.so" 2>/dev/null || true

log "ARM64 ctest under qemu-aarch64-static (NEON, ARMv8 AES, scalar)"
ctest --test-dir "$ARM" --output-on-failure

log "ARM64 glibc floor: nothing newer than GLIBC_$GLIBC_FLOOR"
bash native/tools/glibc_floor.sh --max "$GLIBC_FLOOR" "$ARM/libevkeygen.so" "$ARM/evkeygen_test" "$ARM/evkeygen_so_smoke"

log "ARM64 under glibc 2.17 (qemu-aarch64-static -L <2.17 sysroot>)"
SRARM="$(bash .ci/glibc-sysroot.sh aarch64)"
arm217() { qemu-aarch64-static -L "$SRARM" "$@"; }
arm217 -E LD_TRACE_LOADED_OBJECTS=1 "$ARM/evkeygen_so_smoke"
ls -l "$SRARM/lib/libc.so.6" "$SRARM/lib/ld-linux-aarch64.so.1"
arm217 "$ARM/evkeygen_test" --quick
smoke_arm="$(arm217 "$ARM/evkeygen_so_smoke")"
printf 'ARM64, glibc 2.17: %s
' "$smoke_arm"
[ "$smoke_arm" = "$smoke_ref" ] || { echo "native: ARM64 libevkeygen.so under glibc 2.17 differs from x86-64"; exit 1; }

# --- digests across levels and architectures --------------------------------------------------
log "digests: every level and architecture against x86-64 scalar"
ref="$(EVKEYGEN_SIMD=scalar "$X86/evkeygen_test" --digests)"
printf '%s\n' "$ref"
fail=0
compare() { # name, output
  if [ "$2" != "$ref" ]; then
    printf 'MISMATCH %s:\n%s\n' "$1" "$2"
    fail=1
  else
    printf 'same as x86-64 scalar: %s\n' "$1"
  fi
}
for level in avx2 avx512; do
  compare "x86-64 $level" "$(EVKEYGEN_SIMD=$level "$X86/evkeygen_test" --digests)"
done
for level in scalar neon; do
  compare "ARM64 $level (qemu)" "$(EVKEYGEN_SIMD=$level qemu-aarch64-static "$ARM/evkeygen_test" --digests)"
done
compare "x86-64 best level under glibc 2.17" "$(run217 "$X86/evkeygen_test" --digests)"
compare "ARM64 neon under glibc 2.17 (qemu)" "$(EVKEYGEN_SIMD=neon arm217 "$ARM/evkeygen_test" --digests)"
if [ "$fail" -ne 0 ]; then
  echo "native: digests differ between backends"
  exit 1
fi
echo "native: all checks passed"
