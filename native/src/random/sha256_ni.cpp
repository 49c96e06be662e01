// SHA-256 compression with the x86 SHA extensions (compiled with -msha -msse4.1; called only when
// CPUID reports SHA). sha256rnds2 does two rounds on the state split as {A,B,E,F} / {C,D,G,H}
// (A in the top lane) with W+K of those rounds in the low two lanes of its third operand;
// sha256msg1/msg2 compute the sigma0 and sigma1 parts of the message schedule four words at a time.
#include <immintrin.h>

#include "random/sha256.h"

namespace evk {

namespace {

/** Four rounds: wk holds W[t..t+3] + K[t..t+3], t in the low lane. */
inline void four_rounds(__m128i &abef, __m128i &cdgh, __m128i wk) {
    cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);  // cdgh now holds the new {A,B,E,F}
    abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(wk, 0x0e));
}

}  // namespace

void sha256_blocks_shani(uint32_t h[8], const uint8_t *p, size_t nblocks) {
    // big-endian message words: reverse the bytes within each 32-bit lane
    const __m128i bswap32 = _mm_set_epi8(12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3);
    __m128i abef = _mm_set_epi32(int(h[0]), int(h[1]), int(h[4]), int(h[5]));
    __m128i cdgh = _mm_set_epi32(int(h[2]), int(h[3]), int(h[6]), int(h[7]));
    for (; nblocks > 0; nblocks--, p += 64) {
        const __m128i abef0 = abef, cdgh0 = cdgh;
        __m128i w[4];  // w[g % 4] = W[4g .. 4g+3]
        for (int g = 0; g < 4; g++) {
            w[g] = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i *>(p + 16 * g)), bswap32);
        }
#pragma GCC unroll 16
        for (int g = 0; g < 16; g++) {
            if (g >= 4) {
                // W[t..t+3] from W[t-16..t-13] (w[g%4]), W[t-12..] (w[g+1]), W[t-7..t-4], W[t-4..t-1] (w[g+3])
                __m128i x = _mm_sha256msg1_epu32(w[g & 3], w[(g + 1) & 3]);
                x = _mm_add_epi32(x, _mm_alignr_epi8(w[(g + 3) & 3], w[(g + 2) & 3], 4));
                w[g & 3] = _mm_sha256msg2_epu32(x, w[(g + 3) & 3]);
            }
            const __m128i k = _mm_load_si128(reinterpret_cast<const __m128i *>(SHA256_K + 4 * g));
            four_rounds(abef, cdgh, _mm_add_epi32(w[g & 3], k));
        }
        abef = _mm_add_epi32(abef, abef0);
        cdgh = _mm_add_epi32(cdgh, cdgh0);
    }
    alignas(16) uint32_t o[8];  // lanes low to high: F,E,B,A and H,G,D,C
    _mm_store_si128(reinterpret_cast<__m128i *>(o), abef);
    _mm_store_si128(reinterpret_cast<__m128i *>(o + 4), cdgh);
    h[0] = o[3]; h[1] = o[2]; h[4] = o[1]; h[5] = o[0];
    h[2] = o[7]; h[3] = o[6]; h[6] = o[5]; h[7] = o[4];
}

}  // namespace evk
