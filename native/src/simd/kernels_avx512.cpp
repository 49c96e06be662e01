// AVX-512 kernels (8 x u64 lanes), compiled with -mavx512f -mavx512dq. The 52-bit IFMA multiplier
// cannot hold 55-bit P residues (lazy values reach 4P < 2^58), so Shoup products use 64-bit lanes:
// the high half from four vpmuludq partial products, the low halves from vpmullq (AVX512DQ).
#include <immintrin.h>

#include "simd/kernels.h"

namespace evk {

namespace {

inline __m512i mulhi64(__m512i x, __m512i y) {
    const __m512i lo32 = _mm512_set1_epi64(0xffffffffll);
    __m512i xh = _mm512_srli_epi64(x, 32);
    __m512i yh = _mm512_srli_epi64(y, 32);
    __m512i ll = _mm512_mul_epu32(x, y);
    __m512i lh = _mm512_mul_epu32(x, yh);
    __m512i hl = _mm512_mul_epu32(xh, y);
    __m512i hh = _mm512_mul_epu32(xh, yh);
    __m512i mid = _mm512_add_epi64(_mm512_srli_epi64(ll, 32), _mm512_and_si512(lh, lo32));
    mid = _mm512_add_epi64(mid, _mm512_and_si512(hl, lo32));
    __m512i r = _mm512_add_epi64(hh, _mm512_srli_epi64(lh, 32));
    r = _mm512_add_epi64(r, _mm512_srli_epi64(hl, 32));
    return _mm512_add_epi64(r, _mm512_srli_epi64(mid, 32));
}

/** Low 64 bits of x*y: vpmullq measured faster here than three vpmuludq plus shifts and adds. */
inline __m512i mullo64(__m512i x, __m512i y) { return _mm512_mullo_epi64(x, y); }

inline __m512i mul_shoup_lazy(__m512i x, __m512i w, __m512i ws, __m512i q) {
    return _mm512_sub_epi64(mullo64(x, w), mullo64(mulhi64(x, ws), q));
}

/** v >= m ? v - m : v (unsigned min: v - m wraps above v when v < m). */
inline __m512i cond_sub(__m512i v, __m512i m) { return _mm512_min_epu64(v, _mm512_sub_epi64(v, m)); }

/**
 * High half of x*y for x < 2^58, short by at most 1: the x_lo*y_lo product only feeds a carry
 * into bit 64, so it is dropped (three vpmuludq instead of four, fewer shifts and adds).
 */
inline __m512i mulhi64_approx(__m512i x, __m512i y) {
    const __m512i lo32 = _mm512_set1_epi64(0xffffffffll);
    __m512i xh = _mm512_srli_epi64(x, 32);
    __m512i yh = _mm512_srli_epi64(y, 32);
    __m512i lh = _mm512_mul_epu32(x, yh);                                  // < 2^64
    __m512i mid = _mm512_add_epi64(_mm512_and_si512(lh, lo32), _mm512_mul_epu32(xh, y));  // < 2^59
    __m512i r = _mm512_add_epi64(_mm512_mul_epu32(xh, yh), _mm512_srli_epi64(lh, 32));
    return _mm512_add_epi64(r, _mm512_srli_epi64(mid, 32));
}

/**
 * NTT butterfly product: w*y mod q in [0, 2q). With the quotient short by at most one the Shoup
 * remainder lies in [0, 3q); one conditional subtraction of 2q brings it back to [0, 2q).
 */
inline __m512i mul_shoup_ntt(__m512i y, __m512i w, __m512i ws, __m512i q, __m512i tq) {
    __m512i r = _mm512_sub_epi64(_mm512_mullo_epi64(y, w), _mm512_mullo_epi64(mulhi64_approx(y, ws), q));
    return cond_sub(r, tq);
}

inline void butterfly(__m512i &x, __m512i &y, __m512i w, __m512i ws, __m512i q, __m512i tq) {
    __m512i u = cond_sub(x, tq);
    __m512i v = mul_shoup_ntt(y, w, ws, q, tq);
    x = _mm512_add_epi64(u, v);
    y = _mm512_add_epi64(_mm512_sub_epi64(u, v), tq);
}

inline __m512i load(const uint64_t *p) { return _mm512_load_si512(p); }
inline void store(uint64_t *p, __m512i v) { _mm512_store_si512(p, v); }

}  // namespace

void ntt_forward_avx512(const NttTables &tb, uint64_t *a) {
    const uint32_t n = tb.n;
    if (n < 16 || (reinterpret_cast<uintptr_t>(a) & 63) != 0) {
        ntt_forward_scalar(tb, a);
        return;
    }
    const __m512i q = _mm512_set1_epi64(static_cast<long long>(tb.q));
    const __m512i tq = _mm512_set1_epi64(static_cast<long long>(2 * tb.q));
    // U/V gather and scatter-back indices into (X | Y) and (U | V) for t = 4, 2, 1.
    const __m512i iu[3] = {_mm512_setr_epi64(0, 1, 2, 3, 8, 9, 10, 11), _mm512_setr_epi64(0, 1, 4, 5, 8, 9, 12, 13),
                           _mm512_setr_epi64(0, 2, 4, 6, 8, 10, 12, 14)};
    const __m512i iv[3] = {_mm512_setr_epi64(4, 5, 6, 7, 12, 13, 14, 15), _mm512_setr_epi64(2, 3, 6, 7, 10, 11, 14, 15),
                           _mm512_setr_epi64(1, 3, 5, 7, 9, 11, 13, 15)};
    const __m512i ix[3] = {_mm512_setr_epi64(0, 1, 2, 3, 8, 9, 10, 11), _mm512_setr_epi64(0, 1, 8, 9, 2, 3, 10, 11),
                           _mm512_setr_epi64(0, 8, 1, 9, 2, 10, 3, 11)};
    const __m512i iy[3] = {_mm512_setr_epi64(4, 5, 6, 7, 12, 13, 14, 15), _mm512_setr_epi64(4, 5, 12, 13, 6, 7, 14, 15),
                           _mm512_setr_epi64(4, 12, 5, 13, 6, 14, 7, 15)};
    uint32_t t = n;
    for (uint32_t m = 1; m < n; m <<= 1) {
        t >>= 1;
        if (t >= 8) {
            for (uint32_t i = 0; i < m; i++) {
                const __m512i w = _mm512_set1_epi64(static_cast<long long>(tb.w[m + i]));
                const __m512i ws = _mm512_set1_epi64(static_cast<long long>(tb.ws[m + i]));
                uint64_t *x = a + 2 * i * t;
                uint64_t *y = x + t;
                for (uint32_t j = 0; j < t; j += 8) {
                    __m512i X = load(x + j), Y = load(y + j);
                    butterfly(X, Y, w, ws, q, tq);
                    store(x + j, X);
                    store(y + j, Y);
                }
            }
        } else {
            const int s = t == 4 ? 0 : (t == 2 ? 1 : 2);
            const uint64_t *tw = tb.x8w[s].data(), *tws = tb.x8ws[s].data();
            const bool last = t == 1;
            for (uint32_t k = 0; k < n / 16; k++) {
                __m512i X = load(a + 16 * k), Y = load(a + 16 * k + 8);
                __m512i U = _mm512_permutex2var_epi64(X, iu[s], Y);
                __m512i V = _mm512_permutex2var_epi64(X, iv[s], Y);
                butterfly(U, V, load(tw + 8 * k), load(tws + 8 * k), q, tq);
                X = _mm512_permutex2var_epi64(U, ix[s], V);
                Y = _mm512_permutex2var_epi64(U, iy[s], V);
                if (last) {  // fused final reduction from [0, 4q) to [0, q)
                    X = cond_sub(cond_sub(X, tq), q);
                    Y = cond_sub(cond_sub(Y, tq), q);
                }
                store(a + 16 * k, X);
                store(a + 16 * k + 8, Y);
            }
        }
    }
}

size_t uniform_filter_avx512(uint64_t *w, size_t count, uint64_t mask, uint64_t q) {
    const __m512i mv = _mm512_set1_epi64(static_cast<long long>(mask));
    const __m512i qv = _mm512_set1_epi64(static_cast<long long>(q));
    size_t kept = 0;
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        __m512i v = _mm512_and_si512(_mm512_loadu_si512(w + i), mv);
        __mmask8 ok = _mm512_cmplt_epu64_mask(v, qv);
        // full-width store of the compressed lanes: covers [kept, kept + 8) within [0, i + 8), already read
        _mm512_storeu_si512(w + kept, _mm512_maskz_compress_epi64(ok, v));
        kept += static_cast<size_t>(__builtin_popcount(ok));
    }
    for (; i < count; i++) {
        uint64_t v = w[i] & mask;
        w[kept] = v;
        kept += v < q;
    }
    return kept;
}

void error_residues_avx512(const uint64_t *words, size_t n, uint64_t q, uint64_t *out) {
    const __m512i low63 = _mm512_set1_epi64(0x7fffffffffffffffll);
    const __m512i qv = _mm512_set1_epi64(static_cast<long long>(q));
    const __m512i one = _mm512_set1_epi64(1);
    const __m512i zero = _mm512_setzero_si512();
    __m512i tv[19];
    for (int j = 0; j < 19; j++) tv[j] = _mm512_set1_epi64(static_cast<long long>(ERROR_CDT[j]));
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m512i w = _mm512_loadu_si512(words + i);
        __m512i m = _mm512_and_si512(w, low63);
        __m512i k = zero;
        for (int j = 0; j < 19; j++) k = _mm512_mask_add_epi64(k, _mm512_cmpge_epu64_mask(m, tv[j]), k, one);
        __mmask8 neg = _mm512_movepi64_mask(w) & _mm512_test_epi64_mask(k, k);
        _mm512_storeu_si512(out + i, _mm512_mask_sub_epi64(k, neg, qv, k));
    }
    if (i < n) error_residues_scalar(words + i, n - i, q, out + i);
}

void combine_avx512(uint64_t *b, const uint64_t *a, const uint64_t *s, const uint64_t *ss, const uint64_t *src,
                    uint64_t q, size_t n) {
    const __m512i qv = _mm512_set1_epi64(static_cast<long long>(q));
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m512i as = cond_sub(mul_shoup_lazy(_mm512_loadu_si512(a + i), _mm512_loadu_si512(s + i),
                                             _mm512_loadu_si512(ss + i), qv),
                              qv);
        __m512i v = cond_sub(_mm512_sub_epi64(_mm512_add_epi64(_mm512_loadu_si512(b + i), qv), as), qv);
        if (src) v = cond_sub(_mm512_add_epi64(v, _mm512_loadu_si512(src + i)), qv);
        _mm512_storeu_si512(b + i, v);
    }
    if (i < n) combine_scalar(b + i, a + i, s + i, ss + i, src ? src + i : nullptr, q, n - i);
}

}  // namespace evk
