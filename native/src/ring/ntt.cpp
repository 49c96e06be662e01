#include "ring/ntt.h"

#include <map>
#include <mutex>
#include <stdexcept>
#include <tuple>

#include "ring/ct.h"
#include "ring/modulus.h"

namespace evk {

namespace {

// Builds the lane-ordered twiddle table of one stage: U-lane l of iteration k (covering block
// [k*block, (k+1)*block)) holds element base + off[l] and uses twiddle w[m + (base + off[l]) / (2t)].
void expand(const NttTables &tb, uint32_t t, const uint32_t *off, uint32_t lanes, AlignedU64 &ew,
            AlignedU64 &ews) {
    const uint32_t n = tb.n;
    const uint32_t m = n / (2 * t);
    const uint32_t block = 2 * lanes;
    ew.resize(n / 2);
    ews.resize(n / 2);
    size_t idx = 0;
    for (uint32_t base = 0; base < n; base += block) {
        for (uint32_t l = 0; l < lanes; l++) {
            uint32_t j = base + off[l];
            ew[idx] = tb.w[m + j / (2 * t)];
            ews[idx] = tb.ws[m + j / (2 * t)];
            idx++;
        }
    }
}

}  // namespace

NttTables::NttTables(uint32_t n_, uint64_t q_, uint64_t psi_) : n(n_), q(q_), psi(psi_) {
    log_n = 0;
    while ((1u << log_n) < n) log_n++;
    if (!is_primitive_2n_root(psi, n, q)) throw std::invalid_argument("psi is not a primitive 2n-th root");
    w.resize(n);
    ws.resize(n);
    uint64_t pw = 1;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t r = bit_reverse(i, log_n);
        w[r] = pw;
        pw = mul_mod(pw, psi, q);
    }
    for (uint32_t i = 0; i < n; i++) ws[i] = shoup(w[i], q);

    // AVX-512: U takes the offsets j in [0,16) with (j & t) == 0, increasing.
    static const uint32_t o8[3][8] = {{0, 1, 2, 3, 8, 9, 10, 11}, {0, 1, 4, 5, 8, 9, 12, 13}, {0, 2, 4, 6, 8, 10, 12, 14}};
    for (int s = 0; s < 3; s++) expand(*this, 4u >> s, o8[s], 8, x8w[s], x8ws[s]);
    // AVX2: t = 2: U = [x0,x1,y0,y1] (offsets 0,1,4,5); t = 1: U = unpacklo(X,Y) = [x0,y0,x2,y2].
    static const uint32_t o4[2][4] = {{0, 1, 4, 5}, {0, 4, 2, 6}};
    for (int s = 0; s < 2; s++) expand(*this, 2u >> s, o4[s], 4, x4w[s], x4ws[s]);
    // NEON: t = 1: U = zip1(X,Y) = [x0,y0].
    static const uint32_t o2[2] = {0, 2};
    expand(*this, 1, o2, 2, x2w, x2ws);
}

std::shared_ptr<const NttTables> ntt_tables(uint32_t n, uint64_t q, uint64_t psi) {
    static std::mutex mu;
    static std::map<std::tuple<uint32_t, uint64_t, uint64_t>, std::shared_ptr<const NttTables>> cache;
    std::lock_guard<std::mutex> lock(mu);
    auto key = std::make_tuple(n, q, psi);
    auto it = cache.find(key);
    if (it != cache.end()) return it->second;
    auto t = std::make_shared<const NttTables>(n, q, psi);
    cache.emplace(key, t);
    return t;
}

void ntt_forward_scalar(const NttTables &tb, uint64_t *a) {
    const uint32_t n = tb.n;
    const uint64_t q = tb.q;
    const uint64_t two_q = 2 * q;
    uint32_t t = n;
    for (uint32_t m = 1; m < n; m <<= 1) {
        t >>= 1;
        for (uint32_t i = 0; i < m; i++) {
            const uint32_t j1 = 2 * i * t;
            const uint64_t w = tb.w[m + i];
            const uint64_t ws = tb.ws[m + i];
            uint64_t *x = a + j1;
            uint64_t *y = x + t;
            for (uint32_t j = 0; j < t; j++) {
                uint64_t u = ct_sub_if_ge(x[j], two_q);  // masks: the secret and errors go through here
                uint64_t v = mul_shoup_lazy(y[j], w, ws, q);
                x[j] = u + v;
                y[j] = u - v + two_q;
            }
        }
    }
    for (uint32_t j = 0; j < n; j++) a[j] = ct_sub_if_ge(ct_sub_if_ge(a[j], two_q), q);
}

void ntt_forward_strided(const NttTables &tb, uint64_t *a, uint32_t stride) {
    const uint32_t n = tb.n;
    const uint64_t q = tb.q;
    const uint64_t two_q = 2 * q;
    const uint32_t groups = n / stride;  // stages m = 1 .. groups/2 act on multiples of stride only
    uint32_t t = n;
    for (uint32_t m = 1; m < groups; m <<= 1) {
        t >>= 1;
        for (uint32_t i = 0; i < m; i++) {
            const uint32_t j1 = 2 * i * t;
            const uint64_t w = tb.w[m + i];
            const uint64_t ws = tb.ws[m + i];
            for (uint32_t j = j1; j < j1 + t; j += stride) {
                uint64_t u = ct_sub_if_ge(a[j], two_q);
                uint64_t v = mul_shoup_lazy(a[j + t], w, ws, q);
                a[j] = u + v;
                a[j + t] = u - v + two_q;
            }
        }
    }
    // Later stages pair each value with a zero partner: u + w*0 = u - w*0 = u, so block b of stride
    // slots ends up holding the value at b*stride in every slot.
    for (uint32_t b = 0; b < n; b += stride) {
        uint64_t v = ct_sub_if_ge(ct_sub_if_ge(a[b], two_q), q);
        for (uint32_t j = 0; j < stride; j++) a[b + j] = v;
    }
}

void ntt_naive(const NttTables &tb, const uint64_t *a, uint64_t *out) {
    const uint32_t n = tb.n;
    const uint64_t q = tb.q;
    for (uint32_t i = 0; i < n; i++) {
        uint64_t x = pow_mod(tb.psi, 2ull * bit_reverse(i, tb.log_n) + 1, q);
        uint64_t acc = 0;
        for (uint32_t k = n; k-- > 0;) acc = (mul_mod(acc, x, q) + a[k]) % q;  // Horner
        out[i] = acc;
    }
}

}  // namespace evk
