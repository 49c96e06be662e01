// base64 with AVX-512 VBMI: 48 input bytes to 64 chars per step. One byte permutation spreads each
// 3-byte group over a 32-bit lane as (b1, b0, b2, b1); a multishift then picks the four 6-bit fields
// at bit offsets 10, 4, 22, 16; a second byte permutation maps them through the 64-char alphabet.
#include <immintrin.h>

#include "format/base64.h"

namespace evk {

void base64_body_vbmi(const uint8_t *in, size_t len, char *out) {
    alignas(64) uint8_t spread[64];
    for (int j = 0; j < 16; j++) {
        spread[4 * j] = uint8_t(3 * j + 1);
        spread[4 * j + 1] = uint8_t(3 * j);
        spread[4 * j + 2] = uint8_t(3 * j + 2);
        spread[4 * j + 3] = uint8_t(3 * j + 1);
    }
    const __m512i spread_idx = _mm512_load_si512(spread);
    const __m512i shifts = _mm512_set1_epi64(0x3036242a1016040aLL);  // 10,4,22,16, 42,36,54,48
    const __m512i alphabet = _mm512_loadu_si512(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
    const __mmask64 in_mask = (__mmask64(1) << 48) - 1;
    size_t i = 0;
    for (; i + 48 <= len; i += 48, out += 64) {
        __m512i v = _mm512_maskz_loadu_epi8(in_mask, in + i);
        v = _mm512_permutexvar_epi8(spread_idx, v);
        v = _mm512_multishift_epi64_epi8(shifts, v);
        v = _mm512_permutexvar_epi8(v, alphabet);
        _mm512_storeu_si512(out, v);
    }
    base64_body_scalar(in + i, len - i, out);
}

}  // namespace evk
