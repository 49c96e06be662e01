// AVX2 kernels (4 x u64 lanes), compiled with -mavx2. AVX2 has no 64x64-bit multiply: the high
// half of a Shoup product is assembled from four 32x32->64 products (vpmuludq), the low halves
// from three. Values stay below 2^63, so signed 64-bit compares order them correctly.
#include <immintrin.h>

#include "simd/kernels.h"

namespace evk {

namespace {

inline __m256i mulhi64(__m256i x, __m256i y) {
    const __m256i lo32 = _mm256_set1_epi64x(0xffffffffll);
    __m256i xh = _mm256_srli_epi64(x, 32);
    __m256i yh = _mm256_srli_epi64(y, 32);
    __m256i ll = _mm256_mul_epu32(x, y);
    __m256i lh = _mm256_mul_epu32(x, yh);
    __m256i hl = _mm256_mul_epu32(xh, y);
    __m256i hh = _mm256_mul_epu32(xh, yh);
    __m256i mid = _mm256_add_epi64(_mm256_srli_epi64(ll, 32), _mm256_and_si256(lh, lo32));
    mid = _mm256_add_epi64(mid, _mm256_and_si256(hl, lo32));
    __m256i r = _mm256_add_epi64(hh, _mm256_srli_epi64(lh, 32));
    r = _mm256_add_epi64(r, _mm256_srli_epi64(hl, 32));
    return _mm256_add_epi64(r, _mm256_srli_epi64(mid, 32));
}

inline __m256i mullo64(__m256i x, __m256i y) {
    __m256i cross = _mm256_add_epi64(_mm256_mul_epu32(x, _mm256_srli_epi64(y, 32)),
                                     _mm256_mul_epu32(_mm256_srli_epi64(x, 32), y));
    return _mm256_add_epi64(_mm256_mul_epu32(x, y), _mm256_slli_epi64(cross, 32));
}

/** x*w mod q in [0, 2q) for x < 2^63. */
inline __m256i mul_shoup_lazy(__m256i x, __m256i w, __m256i ws, __m256i q) {
    return _mm256_sub_epi64(mullo64(x, w), mullo64(mulhi64(x, ws), q));
}

/** v >= m ? v - m : v, for v, m < 2^63 (m_minus_1 = m - 1). */
inline __m256i cond_sub(__m256i v, __m256i m, __m256i m_minus_1) {
    return _mm256_sub_epi64(v, _mm256_and_si256(_mm256_cmpgt_epi64(v, m_minus_1), m));
}

/** High half of x*y for x < 2^58, short by at most 1 (x_lo*y_lo dropped; see kernels_avx512.cpp). */
inline __m256i mulhi64_approx(__m256i x, __m256i y) {
    const __m256i lo32 = _mm256_set1_epi64x(0xffffffffll);
    __m256i xh = _mm256_srli_epi64(x, 32);
    __m256i yh = _mm256_srli_epi64(y, 32);
    __m256i lh = _mm256_mul_epu32(x, yh);
    __m256i mid = _mm256_add_epi64(_mm256_and_si256(lh, lo32), _mm256_mul_epu32(xh, y));
    __m256i r = _mm256_add_epi64(_mm256_mul_epu32(xh, yh), _mm256_srli_epi64(lh, 32));
    return _mm256_add_epi64(r, _mm256_srli_epi64(mid, 32));
}

struct Consts {
    __m256i q, q1, tq, tq1;
    explicit Consts(uint64_t qv)
        : q(_mm256_set1_epi64x(static_cast<long long>(qv))), q1(_mm256_set1_epi64x(static_cast<long long>(qv - 1))),
          tq(_mm256_set1_epi64x(static_cast<long long>(2 * qv))), tq1(_mm256_set1_epi64x(static_cast<long long>(2 * qv - 1))) {}
};

/** w*y mod q in [0, 2q): remainder in [0, 3q) from the approximate quotient, then one fix-up. */
inline __m256i mul_shoup_ntt(__m256i y, __m256i w, __m256i ws, const Consts &c) {
    __m256i r = _mm256_sub_epi64(mullo64(y, w), mullo64(mulhi64_approx(y, ws), c.q));
    return cond_sub(r, c.tq, c.tq1);
}

inline void butterfly(__m256i &x, __m256i &y, __m256i w, __m256i ws, const Consts &c) {
    __m256i u = cond_sub(x, c.tq, c.tq1);
    __m256i v = mul_shoup_ntt(y, w, ws, c);
    x = _mm256_add_epi64(u, v);
    y = _mm256_add_epi64(_mm256_sub_epi64(u, v), c.tq);
}

inline __m256i full_reduce(__m256i v, const Consts &c) { return cond_sub(cond_sub(v, c.tq, c.tq1), c.q, c.q1); }

inline __m256i load(const uint64_t *p) { return _mm256_load_si256(reinterpret_cast<const __m256i *>(p)); }
inline void store(uint64_t *p, __m256i v) { _mm256_store_si256(reinterpret_cast<__m256i *>(p), v); }

}  // namespace

void ntt_forward_avx2(const NttTables &tb, uint64_t *a) {
    const uint32_t n = tb.n;
    if (n < 8 || (reinterpret_cast<uintptr_t>(a) & 31) != 0) {
        ntt_forward_scalar(tb, a);
        return;
    }
    const Consts c(tb.q);
    uint32_t t = n;
    for (uint32_t m = 1; m < n; m <<= 1) {
        t >>= 1;
        if (t >= 4) {
            for (uint32_t i = 0; i < m; i++) {
                const __m256i w = _mm256_set1_epi64x(static_cast<long long>(tb.w[m + i]));
                const __m256i ws = _mm256_set1_epi64x(static_cast<long long>(tb.ws[m + i]));
                uint64_t *x = a + 2 * i * t;
                uint64_t *y = x + t;
                for (uint32_t j = 0; j < t; j += 4) {
                    __m256i X = load(x + j), Y = load(y + j);
                    butterfly(X, Y, w, ws, c);
                    store(x + j, X);
                    store(y + j, Y);
                }
            }
        } else if (t == 2) {
            const uint64_t *tw = tb.x4w[0].data(), *tws = tb.x4ws[0].data();
            for (uint32_t k = 0; k < n / 8; k++) {
                __m256i X = load(a + 8 * k), Y = load(a + 8 * k + 4);
                __m256i U = _mm256_permute2x128_si256(X, Y, 0x20);  // x0 x1 y0 y1
                __m256i V = _mm256_permute2x128_si256(X, Y, 0x31);  // x2 x3 y2 y3
                butterfly(U, V, load(tw + 4 * k), load(tws + 4 * k), c);
                store(a + 8 * k, _mm256_permute2x128_si256(U, V, 0x20));
                store(a + 8 * k + 4, _mm256_permute2x128_si256(U, V, 0x31));
            }
        } else {  // t == 1: last stage, fused with the final reduction
            const uint64_t *tw = tb.x4w[1].data(), *tws = tb.x4ws[1].data();
            for (uint32_t k = 0; k < n / 8; k++) {
                __m256i X = load(a + 8 * k), Y = load(a + 8 * k + 4);
                __m256i U = _mm256_unpacklo_epi64(X, Y);  // x0 y0 x2 y2
                __m256i V = _mm256_unpackhi_epi64(X, Y);  // x1 y1 x3 y3
                butterfly(U, V, load(tw + 4 * k), load(tws + 4 * k), c);
                store(a + 8 * k, full_reduce(_mm256_unpacklo_epi64(U, V), c));
                store(a + 8 * k + 4, full_reduce(_mm256_unpackhi_epi64(U, V), c));
            }
        }
    }
}

void error_residues_avx2(const uint64_t *words, size_t n, uint64_t q, uint64_t *out) {
    const __m256i low63 = _mm256_set1_epi64x(0x7fffffffffffffffll);
    const __m256i qv = _mm256_set1_epi64x(static_cast<long long>(q));
    const __m256i zero = _mm256_setzero_si256();
    __m256i tm1[19];
    for (int j = 0; j < 19; j++) tm1[j] = _mm256_set1_epi64x(static_cast<long long>(ERROR_CDT[j] - 1));
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        __m256i w = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(words + i));
        __m256i m = _mm256_and_si256(w, low63);
        __m256i k = zero;
        for (int j = 0; j < 19; j++) k = _mm256_sub_epi64(k, _mm256_cmpgt_epi64(m, tm1[j]));  // m >= T[j]
        __m256i neg = _mm256_andnot_si256(_mm256_cmpeq_epi64(k, zero), _mm256_cmpgt_epi64(zero, w));
        __m256i r = _mm256_blendv_epi8(k, _mm256_sub_epi64(qv, k), neg);
        _mm256_storeu_si256(reinterpret_cast<__m256i *>(out + i), r);
    }
    if (i < n) error_residues_scalar(words + i, n - i, q, out + i);
}

void combine_avx2(uint64_t *b, const uint64_t *a, const uint64_t *s, const uint64_t *ss, const uint64_t *src,
                  uint64_t q, size_t n) {
    const Consts c(q);
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        __m256i av = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(a + i));
        __m256i sv = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(s + i));
        __m256i ssv = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(ss + i));
        __m256i bv = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(b + i));
        __m256i as = cond_sub(mul_shoup_lazy(av, sv, ssv, c.q), c.q, c.q1);
        __m256i v = cond_sub(_mm256_sub_epi64(_mm256_add_epi64(bv, c.q), as), c.q, c.q1);
        if (src) {
            v = _mm256_add_epi64(v, _mm256_loadu_si256(reinterpret_cast<const __m256i *>(src + i)));
            v = cond_sub(v, c.q, c.q1);
        }
        _mm256_storeu_si256(reinterpret_cast<__m256i *>(b + i), v);
    }
    if (i < n) combine_scalar(b + i, a + i, s + i, ss + i, src ? src + i : nullptr, q, n - i);
}

}  // namespace evk
