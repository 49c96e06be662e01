// Constant-time helpers for code that touches secret values (the seed, the secret, errors and
// everything derived from them): masks instead of branches, no secret-dependent addresses, no
// hardware division (variable latency on many CPUs). docs/ALGORITHMS.md "Constant time".
//
// EVK_CT_CHECK builds (CMake option EVK_CT_CHECK, needs <valgrind/memcheck.h>) turn EVK_CT_SECRET
// and EVK_CT_PUBLIC into memcheck client requests: `evkeygen_test --ct` marks the seed undefined,
// so under valgrind every branch or address that depends on it is reported. EVK_CT_PUBLIC
// declassifies what is legitimately public (rejection decisions on discarded randomness, public
// key material once computed). Normal builds compile both to nothing.
#pragma once

#include <cstddef>
#include <cstdint>

#if defined(EVK_CT_CHECK)
#include <valgrind/memcheck.h>
#define EVK_CT_SECRET(p, len) ((void)VALGRIND_MAKE_MEM_UNDEFINED((p), (len)))
#define EVK_CT_PUBLIC(p, len) ((void)VALGRIND_MAKE_MEM_DEFINED((p), (len)))
#else
#define EVK_CT_SECRET(p, len) ((void)(p), (void)(len))
#define EVK_CT_PUBLIC(p, len) ((void)(p), (void)(len))
#endif

namespace evk {

/** Declassifies one value (see EVK_CT_PUBLIC): only for values that are public by construction. */
inline uint64_t ct_declassify(uint64_t x) {
    EVK_CT_PUBLIC(&x, sizeof x);
    return x;
}

/** All ones when a < b, else 0; a, b < 2^63. */
inline uint64_t ct_mask_lt(uint64_t a, uint64_t b) { return 0 - ((a - b) >> 63); }

/** v >= m ? v - m : v, without a branch; v, m < 2^63. */
inline uint64_t ct_sub_if_ge(uint64_t v, uint64_t m) {
    uint64_t d = v - m;
    return d + (m & (0 - (d >> 63)));
}

/** mask ? a : b for mask all ones or zero. */
inline uint64_t ct_select(uint64_t mask, uint64_t a, uint64_t b) { return b ^ ((a ^ b) & mask); }

/**
 * x mod d for a 32-bit x and a public divisor d in [1, 2^32], by multiplication with the public
 * reciprocal m = floor((2^64 - 1) / d): the quotient estimate floor(x*m / 2^64) is floor(x/d) or
 * one less (m >= 2^64/d - 1 and x < 2^64), so x - estimate*d lies in [0, 2d) and one masked
 * subtraction finishes. Equal to x % d for every such x and d (native test: edge cases and
 * random values against %).
 */
struct CtDivisor {
    uint64_t d = 1;
    uint64_t m = ~0ull;
    CtDivisor() = default;
    explicit CtDivisor(uint64_t d_) : d(d_), m(~0ull / d_) {}
    uint64_t mod(uint64_t x) const {
        uint64_t qt = static_cast<uint64_t>((static_cast<unsigned __int128>(x) * m) >> 64);
        return ct_sub_if_ge(x - qt * d, d);
    }
};

/**
 * Arithmetic mod an odd q < 2^61 for secret operands: Montgomery reduction instead of the 128-bit
 * division of mul_mod and shoup (libgcc's __umodti3/__udivti3 branch on their operands), the same
 * route io.evkeygen.ring.Modulus takes. Results are exact, so equal to the division forms.
 */
struct CtModulus {
    uint64_t q;
    uint64_t q_inv;      // q^-1 mod 2^64
    uint64_t q_inv_neg;  // -q^-1 mod 2^64
    uint64_t r2;         // 2^128 mod q (public: computed once from q)

    explicit CtModulus(uint64_t q_) : q(q_) {
        uint64_t inv = q;  // Newton: each step doubles the correct low bits (q*q = 1 mod 8)
        for (int i = 0; i < 5; i++) inv *= 2 - q * inv;
        q_inv = inv;
        q_inv_neg = 0 - inv;
        const unsigned __int128 r = (static_cast<unsigned __int128>(1) << 64) % q;  // 2^64 mod q, public
        r2 = static_cast<uint64_t>((r * r) % q);
    }

    /** a*b*2^-64 mod q for a, b in [0, q). */
    uint64_t mont_mul(uint64_t a, uint64_t b) const {
        const unsigned __int128 ab = static_cast<unsigned __int128>(a) * b;
        const uint64_t lo = static_cast<uint64_t>(ab), hi = static_cast<uint64_t>(ab >> 64);
        const uint64_t m = lo * q_inv_neg;
        const uint64_t mq_hi = static_cast<uint64_t>((static_cast<unsigned __int128>(m) * q) >> 64);
        // (lo + m*q) is a multiple of 2^64; its high word is hi + mq_hi + carry(lo != 0), in [0, 2q)
        const uint64_t t = hi + mq_hi + ((lo | (0 - lo)) >> 63);
        return ct_sub_if_ge(t, q);
    }

    /** a*b mod q for a, b in [0, q). */
    uint64_t mul(uint64_t a, uint64_t b) const { return mont_mul(mont_mul(a, b), r2); }

    /** Shoup quotient floor(w * 2^64 / q) for w in [0, q): w*2^64 = w'*q + rem, w' = -rem/q mod 2^64. */
    uint64_t shoup(uint64_t w) const {
        const uint64_t rem = mont_mul(w, r2);  // w * 2^64 mod q
        return (0 - rem) * q_inv;
    }
};

}  // namespace evk
