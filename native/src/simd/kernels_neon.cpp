// NEON kernels (2 x u64 lanes) for ARM64. NEON has no 64-bit multiply at all: Shoup products are
// assembled from 32x32->64 vmull_u32 partial products, as on AVX2. On real cores the scalar umulh
// path may be as fast for the NTT; this path exists so ARM64 has the same SIMD structure and the
// error sampler and combine steps are vectorized.
#include <arm_neon.h>

#include "simd/kernels.h"

namespace evk {

namespace {

inline uint64x2_t mulhi64(uint64x2_t x, uint64x2_t y) {
    const uint64x2_t lo32 = vdupq_n_u64(0xffffffffull);
    uint32x2_t xl = vmovn_u64(x), xh = vshrn_n_u64(x, 32);
    uint32x2_t yl = vmovn_u64(y), yh = vshrn_n_u64(y, 32);
    uint64x2_t ll = vmull_u32(xl, yl);
    uint64x2_t lh = vmull_u32(xl, yh);
    uint64x2_t hl = vmull_u32(xh, yl);
    uint64x2_t hh = vmull_u32(xh, yh);
    uint64x2_t mid = vaddq_u64(vshrq_n_u64(ll, 32), vandq_u64(lh, lo32));
    mid = vaddq_u64(mid, vandq_u64(hl, lo32));
    uint64x2_t r = vaddq_u64(hh, vshrq_n_u64(lh, 32));
    r = vaddq_u64(r, vshrq_n_u64(hl, 32));
    return vaddq_u64(r, vshrq_n_u64(mid, 32));
}

inline uint64x2_t mullo64(uint64x2_t x, uint64x2_t y) {
    uint32x2_t xl = vmovn_u64(x), xh = vshrn_n_u64(x, 32);
    uint32x2_t yl = vmovn_u64(y), yh = vshrn_n_u64(y, 32);
    uint64x2_t cross = vaddq_u64(vmull_u32(xl, yh), vmull_u32(xh, yl));
    return vaddq_u64(vmull_u32(xl, yl), vshlq_n_u64(cross, 32));
}

inline uint64x2_t mul_shoup_lazy(uint64x2_t x, uint64x2_t w, uint64x2_t ws, uint64x2_t q) {
    return vsubq_u64(mullo64(x, w), mullo64(mulhi64(x, ws), q));
}

inline uint64x2_t cond_sub(uint64x2_t v, uint64x2_t m) { return vsubq_u64(v, vandq_u64(vcgeq_u64(v, m), m)); }

inline void butterfly(uint64x2_t &x, uint64x2_t &y, uint64x2_t w, uint64x2_t ws, uint64x2_t q, uint64x2_t tq) {
    uint64x2_t u = cond_sub(x, tq);
    uint64x2_t v = mul_shoup_lazy(y, w, ws, q);
    x = vaddq_u64(u, v);
    y = vaddq_u64(vsubq_u64(u, v), tq);
}

}  // namespace

void ntt_forward_neon(const NttTables &tb, uint64_t *a) {
    const uint32_t n = tb.n;
    const uint64x2_t q = vdupq_n_u64(tb.q);
    const uint64x2_t tq = vdupq_n_u64(2 * tb.q);
    uint32_t t = n;
    for (uint32_t m = 1; m < n; m <<= 1) {
        t >>= 1;
        if (t >= 2) {
            for (uint32_t i = 0; i < m; i++) {
                const uint64x2_t w = vdupq_n_u64(tb.w[m + i]);
                const uint64x2_t ws = vdupq_n_u64(tb.ws[m + i]);
                uint64_t *x = a + 2 * i * t;
                uint64_t *y = x + t;
                for (uint32_t j = 0; j < t; j += 2) {
                    uint64x2_t X = vld1q_u64(x + j), Y = vld1q_u64(y + j);
                    butterfly(X, Y, w, ws, q, tq);
                    vst1q_u64(x + j, X);
                    vst1q_u64(y + j, Y);
                }
            }
        } else {  // t == 1, fused with the final reduction
            const uint64_t *tw = tb.x2w.data(), *tws = tb.x2ws.data();
            for (uint32_t k = 0; k < n / 4; k++) {
                uint64x2_t X = vld1q_u64(a + 4 * k), Y = vld1q_u64(a + 4 * k + 2);
                uint64x2_t U = vzip1q_u64(X, Y);  // x0 y0
                uint64x2_t V = vzip2q_u64(X, Y);  // x1 y1
                butterfly(U, V, vld1q_u64(tw + 2 * k), vld1q_u64(tws + 2 * k), q, tq);
                vst1q_u64(a + 4 * k, cond_sub(cond_sub(vzip1q_u64(U, V), tq), q));
                vst1q_u64(a + 4 * k + 2, cond_sub(cond_sub(vzip2q_u64(U, V), tq), q));
            }
        }
    }
}

void error_residues_neon(const uint64_t *words, size_t n, uint64_t q, uint64_t *out) {
    const uint64x2_t low63 = vdupq_n_u64(0x7fffffffffffffffull);
    const uint64x2_t sign = vdupq_n_u64(0x8000000000000000ull);
    const uint64x2_t qv = vdupq_n_u64(q);
    size_t i = 0;
    for (; i + 2 <= n; i += 2) {
        uint64x2_t w = vld1q_u64(words + i);
        uint64x2_t m = vandq_u64(w, low63);
        uint64x2_t k = vdupq_n_u64(0);
        for (int j = 0; j < 19; j++) k = vsubq_u64(k, vcgeq_u64(m, vdupq_n_u64(ERROR_CDT[j])));
        uint64x2_t neg = vandq_u64(vtstq_u64(w, sign), vtstq_u64(k, k));
        vst1q_u64(out + i, vbslq_u64(neg, vsubq_u64(qv, k), k));
    }
    if (i < n) error_residues_scalar(words + i, n - i, q, out + i);
}

void combine_neon(uint64_t *b, const uint64_t *a, const uint64_t *s, const uint64_t *ss, const uint64_t *src,
                  uint64_t q, size_t n) {
    const uint64x2_t qv = vdupq_n_u64(q);
    size_t i = 0;
    for (; i + 2 <= n; i += 2) {
        uint64x2_t as = cond_sub(mul_shoup_lazy(vld1q_u64(a + i), vld1q_u64(s + i), vld1q_u64(ss + i), qv), qv);
        uint64x2_t v = cond_sub(vsubq_u64(vaddq_u64(vld1q_u64(b + i), qv), as), qv);
        if (src) v = cond_sub(vaddq_u64(v, vld1q_u64(src + i)), qv);
        vst1q_u64(b + i, v);
    }
    if (i < n) combine_scalar(b + i, a + i, s + i, ss + i, src ? src + i : nullptr, q, n - i);
}

}  // namespace evk
