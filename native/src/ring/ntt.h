// Negacyclic NTT tables and the scalar forward transform (mirror of io.evkeygen.ring.Ntt):
// after forward(), a[i] = a(psi^(2*bitrev(i)+1)) mod q, fully reduced.
#pragma once

#include <cstdint>
#include <memory>

#include "ring/aligned.h"

namespace evk {

struct NttTables {
    uint32_t n = 0;
    uint32_t log_n = 0;
    uint64_t q = 0;
    uint64_t psi = 0;
    AlignedU64 w;    // psi^bitrev(k) at k
    AlignedU64 ws;   // Shoup quotients of w
    // Twiddles of the last stages expanded to SIMD lane order (n/2 entries each): the vector
    // kernels load them instead of shuffling. x8: t = 4, 2, 1 (AVX-512); x4: t = 2, 1 (AVX2);
    // x2: t = 1 (NEON). Lane order is documented beside each kernel.
    AlignedU64 x8w[3], x8ws[3];
    AlignedU64 x4w[2], x4ws[2];
    AlignedU64 x2w, x2ws;

    NttTables(uint32_t n, uint64_t q, uint64_t psi);
};

/** Tables for (n, q, psi), built once per process and shared (immutable). */
std::shared_ptr<const NttTables> ntt_tables(uint32_t n, uint64_t q, uint64_t psi);

/** Scalar in-place forward transform: input in [0, q), output in [0, q). */
void ntt_forward_scalar(const NttTables &t, uint64_t *a);

/**
 * Forward NTT of a polynomial in X^stride (non-zero coefficients only at multiples of stride, a
 * power of two <= n), as the mod-pack sources are: the first log2(n/stride) stages touch only
 * those positions (an n/stride-point transform), and the remaining stages merely copy each value
 * across its block of stride slots. Same output as the full transform, fully reduced.
 */
void ntt_forward_strided(const NttTables &t, uint64_t *a, uint32_t stride);

/** O(n^2) reference evaluation (tests only): out[i] = a(psi^(2*bitrev(i)+1)). */
void ntt_naive(const NttTables &t, const uint64_t *a, uint64_t *out);

}  // namespace evk
