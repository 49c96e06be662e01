// AES-256-CTR with VAES on 512-bit registers: 4 blocks per instruction, 16 blocks in flight
// (compiled with -mvaes -mavx512f). The tail goes through AES-NI.
#include <immintrin.h>

#include "random/aes.h"

namespace evk {

void ctr_vaes(const AesKey &key, uint64_t first, size_t nblocks, uint8_t *out) {
    __m512i rk[15];
    for (int r = 0; r < 15; r++) {
        rk[r] = _mm512_broadcast_i32x4(_mm_load_si128(reinterpret_cast<const __m128i *>(key.rk + 16 * r)));
    }
    size_t i = 0;
    for (; i + 16 <= nblocks; i += 16) {
        __m512i b[4];
        for (int j = 0; j < 4; j++) {
            uint64_t c = first + i + 4 * j;
            __m512i ctr = _mm512_set_epi64(static_cast<long long>(__builtin_bswap64(c + 3)), 0,
                                           static_cast<long long>(__builtin_bswap64(c + 2)), 0,
                                           static_cast<long long>(__builtin_bswap64(c + 1)), 0,
                                           static_cast<long long>(__builtin_bswap64(c)), 0);
            b[j] = _mm512_xor_si512(ctr, rk[0]);
        }
        for (int r = 1; r < 14; r++) {
            for (int j = 0; j < 4; j++) b[j] = _mm512_aesenc_epi128(b[j], rk[r]);
        }
        for (int j = 0; j < 4; j++) {
            _mm512_storeu_si512(out + 16 * (i + 4 * j), _mm512_aesenclast_epi128(b[j], rk[14]));
        }
    }
    if (i < nblocks) ctr_aesni(key, first + i, nblocks - i, out + 16 * i);
}

}  // namespace evk
