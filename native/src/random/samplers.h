// The three samplers of docs/ALGORITHMS.md section 3, each consuming one stream in a fixed order.
#pragma once

#include <cstddef>
#include <cstdint>

#include "random/stream.h"
#include "simd/kernels.h"

namespace evk {

/**
 * Uniform residues mod q by masked rejection, in stream order, into out[0..n). scratch must hold
 * uniform_scratch_words(n) words.
 */
void sample_uniform(const Kernels &k, Stream &st, uint64_t q, uint64_t *out, size_t n, uint64_t *scratch);
size_t uniform_scratch_words(size_t n);

/** Error residues mod q (one word per coefficient); words is scratch of n words. */
void sample_error(const Kernels &k, Stream &st, uint64_t q, uint64_t *out, size_t n, uint64_t *words);

/** Ternary secret with exactly weight non-zero coefficients (partial Fisher-Yates, constant time). */
void sample_ternary(Stream &st, uint32_t n, uint32_t weight, int8_t *s);

}  // namespace evk
