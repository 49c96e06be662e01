// The per-SIMD-level kernels. Every level computes exactly the same values as the scalar one; the
// native test compares them on random inputs and whole keys.
#pragma once

#include <cstddef>
#include <cstdint>

#include "format/base64.h"
#include "random/aes.h"
#include "random/sha256.h"
#include "ring/ntt.h"

namespace evk {

struct Kernels {
    int level;
    const char *aes_name;
    KeystreamFn keystream;
    /** The key schedule for keystream (same bytes at every level). */
    AesExpandFn aes_expand;
    /** Keeps, in order, the words w & mask that are < q; compacts in place, returns the count. */
    size_t (*uniform_filter)(uint64_t *words, size_t count, uint64_t mask, uint64_t q);
    /** Error sampler (ALGORITHMS.md 3): e from one word each, written as residues mod q. */
    void (*error_residues)(const uint64_t *words, size_t n, uint64_t q, uint64_t *out);
    /** In-place forward NTT, [0, q) to [0, q). */
    void (*ntt_forward)(const NttTables &t, uint64_t *a);
    /** b[i] = b[i] - a[i]*s[i] (+ src[i] when src != null), all mod q, fully reduced. */
    void (*combine)(uint64_t *b, const uint64_t *a, const uint64_t *s, const uint64_t *s_shoup,
                    const uint64_t *src, uint64_t q, size_t n);
    /** base64 of whole 3-byte groups (envelope writing). */
    Base64BodyFn base64_body;
    const char *base64_name;
    /** SHA-256 compression of whole blocks (evk_sha256*): "portable", "sha-ni" or "armv8". */
    Sha256BlocksFn sha256_blocks;
    const char *sha256_name;
};

/** The Gaussian CDT of ALGORITHMS.md section 3 (19 entries). */
extern const uint64_t ERROR_CDT[19];

// scalar kernels (random/samplers.cpp, ring/ntt.cpp)
size_t uniform_filter_scalar(uint64_t *words, size_t count, uint64_t mask, uint64_t q);
void error_residues_scalar(const uint64_t *words, size_t n, uint64_t q, uint64_t *out);
void combine_scalar(uint64_t *b, const uint64_t *a, const uint64_t *s, const uint64_t *s_shoup,
                    const uint64_t *src, uint64_t q, size_t n);

#if defined(EVK_HAVE_AVX2)
void ntt_forward_avx2(const NttTables &t, uint64_t *a);
void error_residues_avx2(const uint64_t *words, size_t n, uint64_t q, uint64_t *out);
void combine_avx2(uint64_t *b, const uint64_t *a, const uint64_t *s, const uint64_t *s_shoup,
                  const uint64_t *src, uint64_t q, size_t n);
#endif
#if defined(EVK_HAVE_AVX512)
void ntt_forward_avx512(const NttTables &t, uint64_t *a);
size_t uniform_filter_avx512(uint64_t *words, size_t count, uint64_t mask, uint64_t q);
void error_residues_avx512(const uint64_t *words, size_t n, uint64_t q, uint64_t *out);
void combine_avx512(uint64_t *b, const uint64_t *a, const uint64_t *s, const uint64_t *s_shoup,
                    const uint64_t *src, uint64_t q, size_t n);
#endif
#if defined(EVK_HAVE_NEON)
void ntt_forward_neon(const NttTables &t, uint64_t *a);
void error_residues_neon(const uint64_t *words, size_t n, uint64_t q, uint64_t *out);
void combine_neon(uint64_t *b, const uint64_t *a, const uint64_t *s, const uint64_t *s_shoup,
                  const uint64_t *src, uint64_t q, size_t n);
#endif

/** Best level of this CPU (ignores caps). */
int simd_best();
/** Level for new sessions (best, capped by EVKEYGEN_SIMD or set_simd_cap). */
int simd_level();
/** -1 resets to the environment / automatic choice. Returns simd_level(). */
int set_simd_cap(int level);
/** Kernels of a level; a level the CPU lacks gives the best supported level below it. */
const Kernels &kernels_for(int level);
/** "scalar", "neon", "avx2", "avx512"; "unknown" outside 0 .. EVK_SIMD_COUNT - 1. */
const char *simd_name(int level);
/** True when this CPU computes at exactly this level (not a clamped one). */
bool simd_supported(int level);
/** Parses scalar|neon|avx2|avx512 (case-insensitive); -1 when unknown. */
int parse_simd_name(const char *s);

}  // namespace evk
