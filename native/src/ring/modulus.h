// Scalar arithmetic modulo an odd q below 2^61 (mirror of io.evkeygen.ring.Modulus).
#pragma once

#include <cstdint>

namespace evk {

using u128 = unsigned __int128;

inline uint64_t mul_hi(uint64_t a, uint64_t b) { return static_cast<uint64_t>((static_cast<u128>(a) * b) >> 64); }

/** Public operands only: the 128-bit % is a variable-time library call (secret: CtModulus, ring/ct.h). */
inline uint64_t mul_mod(uint64_t a, uint64_t b, uint64_t q) {
    return static_cast<uint64_t>((static_cast<u128>(a) * b) % q);
}

/** Shoup quotient floor(w * 2^64 / q) for a public w in [0, q) (secret w: CtModulus::shoup). */
inline uint64_t shoup(uint64_t w, uint64_t q) { return static_cast<uint64_t>((static_cast<u128>(w) << 64) / q); }

/** w * x mod q in [0, 2q) for x < 2^63 (Harvey / Shoup). */
inline uint64_t mul_shoup_lazy(uint64_t x, uint64_t w, uint64_t ws, uint64_t q) {
    return x * w - mul_hi(x, ws) * q;
}

/** w * x mod q in [0, q); the final reduction is a mask, not a branch (x or w may be secret). */
inline uint64_t mul_shoup(uint64_t x, uint64_t w, uint64_t ws, uint64_t q) {
    uint64_t r = mul_shoup_lazy(x, w, ws, q) - q;
    return r + (q & (0 - (r >> 63)));
}

inline uint64_t pow_mod(uint64_t b, uint64_t e, uint64_t q) {
    uint64_t r = 1 % q;
    b %= q;
    while (e) {
        if (e & 1) r = mul_mod(r, b, q);
        b = mul_mod(b, b, q);
        e >>= 1;
    }
    return r;
}

/** psi^n == -1 mod q (so psi has order exactly 2n when n is a power of two). */
inline bool is_primitive_2n_root(uint64_t psi, uint32_t n, uint64_t q) {
    return psi > 0 && psi < q && pow_mod(psi, n, q) == q - 1;
}

inline uint32_t bit_reverse(uint32_t x, uint32_t bits) {
    uint32_t r = 0;
    for (uint32_t i = 0; i < bits; i++) {
        r = (r << 1) | ((x >> i) & 1);
    }
    return r;
}

inline int bit_length(uint64_t v) { return v == 0 ? 0 : 64 - __builtin_clzll(v); }

}  // namespace evk
