# Compiler-flag checks for the SIMD and AES sources. Each variable is TRUE when the compiler
# accepts the flags (and can compile a snippet using the intrinsics); a source whose flags are
# missing is left out and its level is simply unavailable at run time.
include(CheckCXXSourceCompiles)

function(evk_check_flags out flags source)
  set(CMAKE_REQUIRED_FLAGS "${flags}")
  check_cxx_source_compiles("${source}" ${out})
  set(${out} ${${out}} PARENT_SCOPE)
endfunction()

set(EVK_ARCH "other")
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
  set(EVK_ARCH "x86_64")
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64|ARM64)$")
  set(EVK_ARCH "aarch64")
endif()

if(EVK_ARCH STREQUAL "x86_64")
  # -Wno-maybe-uninitialized: GCC 12 false positive inside its own avx512fintrin.h (Clang has no such option)
  set(EVK_NO_MAYBE "")
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    set(EVK_NO_MAYBE "-Wno-maybe-uninitialized")
  endif()
  set(EVK_FLAGS_AVX2 "-mavx2")
  set(EVK_FLAGS_AVX512 "-mavx512f -mavx512dq ${EVK_NO_MAYBE} -Wno-uninitialized")
  set(EVK_FLAGS_AESNI "-maes -msse4.1")
  set(EVK_FLAGS_VAES "-mvaes -mavx512f -maes -msse4.1 ${EVK_NO_MAYBE} -Wno-uninitialized")
  set(EVK_FLAGS_SHANI "-msha -msse4.1")
  set(EVK_FLAGS_VBMI "-mavx512f -mavx512bw -mavx512vbmi ${EVK_NO_MAYBE} -Wno-uninitialized")
  evk_check_flags(EVK_CC_VBMI "${EVK_FLAGS_VBMI}"
    "#include <immintrin.h>\nint main(){__m512i a=_mm512_set1_epi64(1);a=_mm512_multishift_epi64_epi8(a,a);a=_mm512_permutexvar_epi8(a,a);return (int)_mm512_reduce_add_epi64(a);}")
  evk_check_flags(EVK_CC_AVX2 "${EVK_FLAGS_AVX2}"
    "#include <immintrin.h>\nint main(){__m256i a=_mm256_set1_epi64x(1);a=_mm256_mul_epu32(a,a);return _mm256_extract_epi32(a,0);}")
  evk_check_flags(EVK_CC_AVX512 "${EVK_FLAGS_AVX512}"
    "#include <immintrin.h>\nint main(){__m512i a=_mm512_set1_epi64(1);a=_mm512_mullo_epi64(a,a);return (int)_mm512_reduce_add_epi64(a);}")
  evk_check_flags(EVK_CC_AESNI "${EVK_FLAGS_AESNI}"
    "#include <immintrin.h>\nint main(){__m128i a=_mm_set1_epi32(1);a=_mm_aesenc_si128(a,a);return _mm_extract_epi32(a,0);}")
  evk_check_flags(EVK_CC_VAES "${EVK_FLAGS_VAES}"
    "#include <immintrin.h>\nint main(){__m512i a=_mm512_set1_epi64(1);a=_mm512_aesenc_epi128(a,a);return (int)_mm512_reduce_add_epi64(a);}")
  evk_check_flags(EVK_CC_SHANI "${EVK_FLAGS_SHANI}"
    "#include <immintrin.h>\nint main(){__m128i a=_mm_set1_epi32(1);a=_mm_sha256rnds2_epu32(a,a,a);a=_mm_sha256msg2_epu32(_mm_sha256msg1_epu32(a,a),a);return _mm_extract_epi32(a,0);}")
elseif(EVK_ARCH STREQUAL "aarch64")
  set(EVK_FLAGS_ARMV8_AES "-march=armv8-a+crypto")
  # +crypto is AES and SHA-1/SHA-256 on every GCC and Clang that knows ARMv8 (+sha2 only from GCC 8)
  set(EVK_FLAGS_ARMV8_SHA2 "-march=armv8-a+crypto")
  if(EVK_ZIG)  # zig c++ reads -march as a CPU name: features go on -mcpu
    set(EVK_FLAGS_ARMV8_AES "-mcpu=generic+aes")
    set(EVK_FLAGS_ARMV8_SHA2 "-mcpu=generic+sha2")
  endif()
  evk_check_flags(EVK_CC_NEON ""
    "#include <arm_neon.h>\nint main(){uint64x2_t a=vdupq_n_u64(1);a=vaddq_u64(a,a);return (int)vgetq_lane_u64(a,0);}")
  evk_check_flags(EVK_CC_ARMV8_AES "${EVK_FLAGS_ARMV8_AES}"
    "#include <arm_neon.h>\nint main(){uint8x16_t a=vdupq_n_u8(1);a=vaesmcq_u8(vaeseq_u8(a,a));return vgetq_lane_u8(a,0);}")
  evk_check_flags(EVK_CC_ARMV8_SHA2 "${EVK_FLAGS_ARMV8_SHA2}"
    "#include <arm_neon.h>\nint main(){uint32x4_t a=vdupq_n_u32(1);a=vsha256hq_u32(a,a,a);a=vsha256su1q_u32(vsha256su0q_u32(a,a),a,vsha256h2q_u32(a,a,a));return (int)vgetq_lane_u32(a,0);}")
endif()

# Linker flags that keep the shared library self-contained (libstdc++/libgcc linked in, their
# symbols hidden) so it loads on distributions with an older libstdc++.
include(CheckCXXSourceCompiles)
set(CMAKE_REQUIRED_LINK_OPTIONS "-static-libstdc++;-static-libgcc")
check_cxx_source_compiles("int main(){return 0;}" EVK_LD_STATIC_RUNTIME)
unset(CMAKE_REQUIRED_LINK_OPTIONS)

# The C library: glibc (and which version, for messages), and whether its <dlfcn.h> has
# _dl_find_object (glibc >= 2.35), which a libgcc_eh built against it calls.
check_cxx_source_compiles("#include <features.h>\n#ifndef __GLIBC__\n#error not glibc\n#endif\nint main(){return 0;}"
  EVK_LIBC_GLIBC)
check_cxx_source_compiles("#include <dlfcn.h>\n#ifndef DLFO_STRUCT_HAS_EH_DBASE\n#error no _dl_find_object\n#endif\nint main(){return 0;}"
  EVK_LIBC_HAS_DL_FIND_OBJECT)
set(EVK_LIBC_VERSION "unknown")
if(EVK_LIBC_GLIBC)
  file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/evk_glibc_version.cpp
    "#include <features.h>\n#define S2(x) #x\n#define S(x) S2(x)\nconst char *v = \"EVK_GLIBC=\" S(__GLIBC__) \".\" S(__GLIBC_MINOR__);\n")
  execute_process(COMMAND ${CMAKE_CXX_COMPILER} -E ${CMAKE_CURRENT_BINARY_DIR}/evk_glibc_version.cpp
    OUTPUT_VARIABLE _evk_pp ERROR_QUIET)
  if(_evk_pp MATCHES "EVK_GLIBC=\" \"?([0-9]+)\" \"?\\.\" \"?([0-9]+)")
    set(EVK_LIBC_VERSION "${CMAKE_MATCH_1}.${CMAKE_MATCH_2}")
  endif()
endif()
