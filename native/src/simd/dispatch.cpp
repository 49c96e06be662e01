// Runtime CPU detection and the choice of kernels per level.
#include <atomic>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <string>

#include "../../include/evkeygen.h"
#include "simd/kernels.h"

#if defined(__aarch64__) && defined(__linux__)
#include <sys/auxv.h>
#ifndef HWCAP_AES
#define HWCAP_AES (1 << 3)
#endif
#ifndef HWCAP_SHA2
#define HWCAP_SHA2 (1 << 6)
#endif
#endif
#include "simd/cpu_x86.h"

namespace evk {

namespace {

[[maybe_unused]] bool cpu_has_aesni() {
#if defined(EVK_HAVE_AESNI)
    return x86_features().aes;
#else
    return false;
#endif
}

[[maybe_unused]] bool cpu_has_vaes() {
#if defined(EVK_HAVE_VAES)
    return x86_features().vaes && x86_features().avx512f;
#else
    return false;
#endif
}

[[maybe_unused]] bool cpu_has_shani() {
#if defined(EVK_HAVE_SHANI)
    // the shuffles around the SHA rounds need SSE4.1/SSSE3
    const X86Features &f = x86_features();
    return f.sha && f.sse41 && f.ssse3;
#else
    return false;
#endif
}

[[maybe_unused]] bool cpu_has_vbmi() {
#if defined(EVK_HAVE_VBMI)
    return x86_features().avx512vbmi && x86_features().avx512bw;
#else
    return false;
#endif
}

// Every Apple ARM64 CPU (M1 and later) has the ARMv8 crypto extensions; Linux reports them in AT_HWCAP.
[[maybe_unused]] bool cpu_has_armv8_aes() {
#if defined(EVK_HAVE_ARMV8_AES) && defined(__linux__)
    return (getauxval(AT_HWCAP) & HWCAP_AES) != 0;
#elif defined(EVK_HAVE_ARMV8_AES) && defined(__APPLE__)
    return true;
#else
    return false;
#endif
}

[[maybe_unused]] bool cpu_has_armv8_sha2() {
#if defined(EVK_HAVE_ARMV8_SHA2) && defined(__linux__)
    return (getauxval(AT_HWCAP) & HWCAP_SHA2) != 0;
#elif defined(EVK_HAVE_ARMV8_SHA2) && defined(__APPLE__)
    return true;
#else
    return false;
#endif
}

int detect_best() {
#if defined(EVK_HAVE_AVX512)
    if (x86_features().avx512f && x86_features().avx512dq) return EVK_SIMD_AVX512;
#endif
#if defined(EVK_HAVE_AVX2)
    if (x86_features().avx2) return EVK_SIMD_AVX2;
#endif
#if defined(EVK_HAVE_NEON)
    return EVK_SIMD_NEON;
#endif
    return EVK_SIMD_SCALAR;
}

bool supported(int level, int best) {
    if (level == EVK_SIMD_SCALAR) return true;
    if (best == EVK_SIMD_NEON) return level == EVK_SIMD_NEON;
    if (best == EVK_SIMD_AVX512) return level == EVK_SIMD_AVX2 || level == EVK_SIMD_AVX512;
    if (best == EVK_SIMD_AVX2) return level == EVK_SIMD_AVX2;
    return false;
}

/** Highest supported level <= requested on this architecture (scalar for the other one's). */
int clamp(int requested, int best) {
    for (int l = requested; l > EVK_SIMD_SCALAR; l--) {
        if (supported(l, best)) return l;
    }
    return EVK_SIMD_SCALAR;
}

int env_cap() {
    const char *v = std::getenv("EVKEYGEN_SIMD");
    if (v == nullptr || *v == 0) return -1;
    return parse_simd_name(v);
}

std::atomic<int> g_override{-2};  // -2: not set; else a level

Kernels make(int level) {
    Kernels k{};
    k.level = EVK_SIMD_SCALAR;
    k.aes_name = "soft";
    k.keystream = ctr_soft;
    k.aes_expand = aes256_expand;
    k.uniform_filter = uniform_filter_scalar;
    k.error_residues = error_residues_scalar;
    k.ntt_forward = ntt_forward_scalar;
    k.combine = combine_scalar;
    k.base64_body = base64_body_scalar;
    k.base64_name = "scalar";
    k.sha256_blocks = sha256_blocks_portable;
    k.sha256_name = "portable";
#if defined(EVK_HAVE_AVX2)
    if (level >= EVK_SIMD_AVX2) {
        k.level = EVK_SIMD_AVX2;
        k.ntt_forward = ntt_forward_avx2;
        k.error_residues = error_residues_avx2;
        k.combine = combine_avx2;
#if defined(EVK_HAVE_AESNI)
        if (cpu_has_aesni()) {
            k.keystream = ctr_aesni;
            k.aes_expand = aes256_expand_aesni;
            k.aes_name = "aesni";
        }
#endif
#if defined(EVK_HAVE_SHANI)
        if (cpu_has_shani()) {
            k.sha256_blocks = sha256_blocks_shani;
            k.sha256_name = "sha-ni";
        }
#endif
    }
#endif
#if defined(EVK_HAVE_AVX512)
    if (level >= EVK_SIMD_AVX512) {
        k.level = EVK_SIMD_AVX512;
        k.ntt_forward = ntt_forward_avx512;
        k.uniform_filter = uniform_filter_avx512;
        k.error_residues = error_residues_avx512;
        k.combine = combine_avx512;
#if defined(EVK_HAVE_VAES)
        if (cpu_has_vaes() && cpu_has_aesni()) {
            k.keystream = ctr_vaes;
            k.aes_expand = aes256_expand_aesni;
            k.aes_name = "vaes";
        }
#endif
#if defined(EVK_HAVE_VBMI)
        if (cpu_has_vbmi()) {
            k.base64_body = base64_body_vbmi;
            k.base64_name = "vbmi";
        }
#endif
    }
#endif
#if defined(EVK_HAVE_NEON)
    if (level == EVK_SIMD_NEON) {
        k.level = EVK_SIMD_NEON;
        k.ntt_forward = ntt_forward_neon;
        k.error_residues = error_residues_neon;
        k.combine = combine_neon;
#if defined(EVK_HAVE_ARMV8_AES)
        if (cpu_has_armv8_aes()) {
            k.keystream = ctr_armv8;
            k.aes_name = "armv8";
        }
#endif
#if defined(EVK_HAVE_ARMV8_SHA2)
        if (cpu_has_armv8_sha2()) {
            k.sha256_blocks = sha256_blocks_armv8;
            k.sha256_name = "armv8";
        }
#endif
    }
#endif
    return k;
}

}  // namespace

/** The names of the levels, by level: the one table parse and name read. */
const char *const SIMD_NAMES[EVK_SIMD_COUNT] = {"scalar", "neon", "avx2", "avx512"};

int parse_simd_name(const char *s) {
    if (s == nullptr) return -1;
    std::string v;
    for (const char *c = s; *c; c++) {
        if (!std::isspace(static_cast<unsigned char>(*c))) v += char(std::tolower(static_cast<unsigned char>(*c)));
    }
    for (int level = 0; level < EVK_SIMD_COUNT; level++) {
        if (v == SIMD_NAMES[level]) return level;
    }
    return -1;
}

const char *simd_name(int level) { return level >= 0 && level < EVK_SIMD_COUNT ? SIMD_NAMES[level] : "unknown"; }

bool simd_supported(int level) { return level >= 0 && level < EVK_SIMD_COUNT && supported(level, simd_best()); }

int simd_best() {
    static const int best = detect_best();
    return best;
}

int simd_level() {
    int best = simd_best();
    int o = g_override.load();
    if (o != -2) return clamp(o, best);
    static const int env = env_cap();
    return env < 0 ? best : clamp(env, best);
}

int set_simd_cap(int level) {
    g_override.store(level < 0 ? -2 : level);
    return simd_level();
}

const Kernels &kernels_for(int level) {
    struct Table {
        Kernels by_level[EVK_SIMD_COUNT];
        Table() {
            for (int l = 0; l < EVK_SIMD_COUNT; l++) by_level[l] = make(clamp(l, simd_best()));
        }
    };
    static const Table table;
    if (level < 0 || level >= EVK_SIMD_COUNT) level = EVK_SIMD_SCALAR;
    return table.by_level[clamp(level, simd_best())];
}

}  // namespace evk
