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

namespace {

/** w0 ^ (w0..w1) ^ (w0..w2) ^ (w0..w3): the running XOR of a round key's words, lane by lane. */
inline __m128i prefix_xor(__m128i key) {
    key = _mm_xor_si128(key, _mm_slli_si128(key, 4));
    key = _mm_xor_si128(key, _mm_slli_si128(key, 4));
    return _mm_xor_si128(key, _mm_slli_si128(key, 4));
}

/** The next even round key: RotWord(SubWord(w)) ^ rcon sits in lane 3 of the assist. */
inline __m128i next_even(__m128i key, __m128i assist) {
    return _mm_xor_si128(prefix_xor(key), _mm_shuffle_epi32(assist, 0xff));
}

/** The next odd round key: AES-256's extra SubWord step, without rotation or rcon (lane 2 of the assist). */
inline __m128i next_odd(__m128i key, __m128i even) {
    return _mm_xor_si128(prefix_xor(key), _mm_shuffle_epi32(_mm_aeskeygenassist_si128(even, 0x00), 0xaa));
}

/** Round keys 2i and 2i+1 into out[0], out[1]; the rcon is a template argument, as the instruction needs an immediate. */
template <int Rcon>
inline void next_pair(__m128i &even, __m128i &odd, __m128i *out) {
    even = next_even(even, _mm_aeskeygenassist_si128(odd, Rcon));
    odd = next_odd(odd, even);
    _mm_store_si128(out, even);
    _mm_store_si128(out + 1, odd);
}

}  // namespace

void aes256_expand_aesni(const uint8_t key[32], AesKey *out) {
    __m128i *rk = reinterpret_cast<__m128i *>(out->rk);
    __m128i even = _mm_loadu_si128(reinterpret_cast<const __m128i *>(key));
    __m128i odd = _mm_loadu_si128(reinterpret_cast<const __m128i *>(key + 16));
    _mm_store_si128(rk + 0, even);
    _mm_store_si128(rk + 1, odd);
    next_pair<0x01>(even, odd, rk + 2);
    next_pair<0x02>(even, odd, rk + 4);
    next_pair<0x04>(even, odd, rk + 6);
    next_pair<0x08>(even, odd, rk + 8);
    next_pair<0x10>(even, odd, rk + 10);
    next_pair<0x20>(even, odd, rk + 12);
    even = next_even(even, _mm_aeskeygenassist_si128(odd, 0x40));  // round key 14 has no odd partner
    _mm_store_si128(rk + 14, even);
}

}  // namespace evk
