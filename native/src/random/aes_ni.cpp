// AES-256-CTR with AES-NI, eight blocks in flight (compiled with -maes -msse4.1).
#include <immintrin.h>

#include "random/aes.h"

namespace evk {

void ctr_aesni(const AesKey &key, uint64_t first, size_t nblocks, uint8_t *out) {
    __m128i rk[15];
    for (int r = 0; r < 15; r++) rk[r] = _mm_load_si128(reinterpret_cast<const __m128i *>(key.rk + 16 * r));
    size_t i = 0;
    for (; i + 8 <= nblocks; i += 8) {
        __m128i b[8];
        for (int j = 0; j < 8; j++) {
            b[j] = _mm_xor_si128(_mm_set_epi64x(static_cast<long long>(__builtin_bswap64(first + i + j)), 0), rk[0]);
        }
        for (int r = 1; r < 14; r++) {
            for (int j = 0; j < 8; j++) b[j] = _mm_aesenc_si128(b[j], rk[r]);
        }
        for (int j = 0; j < 8; j++) {
            _mm_storeu_si128(reinterpret_cast<__m128i *>(out + 16 * (i + j)), _mm_aesenclast_si128(b[j], rk[14]));
        }
    }
    for (; i < nblocks; i++) {
        __m128i b = _mm_xor_si128(_mm_set_epi64x(static_cast<long long>(__builtin_bswap64(first + i)), 0), rk[0]);
        for (int r = 1; r < 14; r++) b = _mm_aesenc_si128(b, rk[r]);
        _mm_storeu_si128(reinterpret_cast<__m128i *>(out + 16 * i), _mm_aesenclast_si128(b, rk[14]));
    }
}

}  // namespace evk
