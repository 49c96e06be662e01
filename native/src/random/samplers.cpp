#include "random/samplers.h"

#include <cstring>
#include <vector>

#include "ring/aligned.h"
#include "ring/ct.h"
#include "ring/modulus.h"

namespace evk {

const uint64_t ERROR_CDT[19] = {
    1149872836518706973ull, 3340023669317320718ull, 5231742859181312982ull, 6713673040852152709ull,
    7766573333558595573ull, 8445050410543775183ull, 8841576294031517593ull, 9051758687454227208ull,
    9152802460441190481ull, 9196859083481262423ull, 9214281214904026345ull, 9220529772758650828ull,
    9222562348483741347ull, 9223162004373033246ull, 9223322456656299390ull, 9223361395058736926ull,
    9223369965413244325ull, 9223371676247247625ull, 9223371985993021523ull,
};

size_t uniform_filter_scalar(uint64_t *w, size_t count, uint64_t mask, uint64_t q) {
    size_t kept = 0;
    for (size_t i = 0; i < count; i++) {
        uint64_t v = w[i] & mask;
        w[kept] = v;          // kept <= i: in place is safe
        kept += v < q;
    }
    return kept;
}

void error_residues_scalar(const uint64_t *words, size_t n, uint64_t q, uint64_t *out) {
    for (size_t i = 0; i < n; i++) {
        uint64_t w = words[i];
        uint64_t m = w & 0x7fffffffffffffffull;
        uint64_t k = 0;
        for (int j = 0; j < 19; j++) k += (ERROR_CDT[j] - m - 1) >> 63;  // 1 when m >= T[j]
        uint64_t neg = 0 - ((w >> 63) & ((0 - k) >> 63));  // all ones when negative and k != 0 (k <= 19)
        out[i] = ct_select(neg, q - k, k);
    }
}

void combine_scalar(uint64_t *b, const uint64_t *a, const uint64_t *s, const uint64_t *ss, const uint64_t *src,
                    uint64_t q, size_t n) {
    for (size_t i = 0; i < n; i++) {
        uint64_t as = mul_shoup(a[i], s[i], ss[i], q);
        uint64_t v = ct_sub_if_ge(b[i] + q - as, q);
        if (src) v = ct_sub_if_ge(v + src[i], q);  // src (public pointer) is secret-derived data
        b[i] = v;
    }
}

size_t uniform_scratch_words(size_t n) { return n + n / 32 + 16; }

void sample_uniform(const Kernels &k, Stream &st, uint64_t q, uint64_t *out, size_t n, uint64_t *scratch) {
    const uint64_t mask = bit_length(q) >= 64 ? ~0ull : ((1ull << bit_length(q)) - 1);
    size_t filled = 0;
    while (filled < n) {
        size_t want = n - filled;
        size_t draw = want + want / 32 + 16;  // acceptance is > 99.9% for IP0; the loop covers the rest
        st.words(scratch, draw);
        // The a stream is public: accepted words are the published a, rejected ones are discarded.
        EVK_CT_PUBLIC(scratch, draw * sizeof(uint64_t));
        size_t got = k.uniform_filter(scratch, draw, mask, q);
        size_t take = got < want ? got : want;
        std::memcpy(out + filled, scratch, take * sizeof(uint64_t));
        filled += take;
    }
    // Words drawn past the n-th accepted one are never used: each polynomial has its own stream.
}

void sample_error(const Kernels &k, Stream &st, uint64_t q, uint64_t *out, size_t n, uint64_t *words) {
    st.words(words, n);
    k.error_residues(words, n, q, out);
    secure_zero(words, n * sizeof(uint64_t));
}

namespace {

/**
 * One oblivious Fisher-Yates swap over pos[from..n): reads pos[j] and writes pi there, touching
 * every entry the same way (a masked scan; j is secret, from and n are public). Returns the old
 * pos[j]. Positions and indexes fit 16 bits (n <= 65536), so a vector holds many lanes.
 */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
// Same code compiled twice (baseline SSE2 and AVX2, picked once per process by the CPU): the scan
// is most of the sampler's time. Both are masked; the output is the same.
__attribute__((target_clones("avx2", "default")))
#endif
uint16_t oblivious_swap_scan(uint16_t *pos, uint32_t from, uint32_t n, uint16_t j, uint16_t pi) {
    uint16_t got = 0;
    for (uint32_t k = from; k < n; k++) {
        const uint16_t v = pos[k];
        const uint16_t m = static_cast<uint16_t>(0 - static_cast<uint16_t>(static_cast<uint16_t>(k) == j));
        got = static_cast<uint16_t>(got | (v & m));
        pos[k] = static_cast<uint16_t>(v ^ ((v ^ pi) & m));
    }
    return got;
}

/** Ascending bitonic sorting network on n (a power of two) words: data-independent compare-exchanges. */
void bitonic_sort(uint32_t *a, uint32_t n) {
    for (uint32_t k = 2; k <= n; k <<= 1) {
        // merge the two sorted halves of each block of k: first against the mirrored half ...
        for (uint32_t b = 0; b < n; b += k) {
            uint32_t *x = a + b;
            for (uint32_t t = 0; t < k / 2; t++) {
                const uint32_t u = x[t], v = x[k - 1 - t];
                const uint32_t lt = 0u - static_cast<uint32_t>(u < v);
                x[t] = v ^ ((u ^ v) & lt);            // min
                x[k - 1 - t] = u ^ ((u ^ v) & lt);    // max
            }
        }
        // ... then half-cleaners
        for (uint32_t j = k / 4; j > 0; j >>= 1) {
            for (uint32_t b = 0; b < n; b += 2 * j) {
                uint32_t *x = a + b;
                for (uint32_t t = 0; t < j; t++) {
                    const uint32_t u = x[t], v = x[t + j];
                    const uint32_t lt = 0u - static_cast<uint32_t>(u < v);
                    x[t] = v ^ ((u ^ v) & lt);
                    x[t + j] = u ^ ((u ^ v) & lt);
                }
            }
        }
    }
}

}  // namespace

void sample_ternary(Stream &st, uint32_t n, uint32_t weight, int8_t *s) {
    // The partial Fisher-Yates shuffle of ALGORITHMS.md section 3, without secret-dependent branches
    // or addresses: each swap is a masked scan over pos[i..n), the sign of step i is kept at the
    // public index i, and s[pos[i]] = sign_i is placed at the end by sorting (pos[k], code[k]) pairs
    // with a sorting network (pos is a permutation of 0..n-1, so the sorted pairs are s in order).
    std::vector<uint16_t> pos(n);
    std::vector<uint32_t> rec(n);
    for (uint32_t i = 0; i < n; i++) pos[i] = static_cast<uint16_t>(i);  // n <= 65536: 0..n-1 fit
    for (uint32_t i = 0; i < weight; i++) {
        const uint64_t bound = n - i;  // public
        const uint64_t limit = (1ull << 32) - ((1ull << 32) % bound);
        const CtDivisor div(bound);
        uint64_t w, low;
        for (;;) {
            w = st.next_word();
            low = w & 0xffffffffull;
            // Only the accept/reject bit is made public: a rejected word is discarded and an accepted
            // one is uniform on [0, limit) whatever the bit, so the bit says nothing about the secret.
            const uint64_t accept = ct_mask_lt(low, limit) & 1;
            if (ct_declassify(accept)) break;
        }
        const uint16_t j = static_cast<uint16_t>(i + div.mod(low));
        pos[i] = oblivious_swap_scan(pos.data(), i, n, j, pos[i]);
        rec[i] = 1u | (static_cast<uint32_t>(w >> 63) << 1);  // SecKey code: 01 = +1, 11 = -1
    }
    for (uint32_t k = 0; k < n; k++) rec[k] = (static_cast<uint32_t>(pos[k]) << 2) | (k < weight ? rec[k] : 0u);
    bitonic_sort(rec.data(), n);
    for (uint32_t k = 0; k < n; k++) {
        const uint32_t code = rec[k] & 3;  // rec[k] >> 2 == k
        s[k] = static_cast<int8_t>(static_cast<int32_t>(code & 1) - static_cast<int32_t>(code & 2));
    }
    secure_zero(pos.data(), pos.size() * sizeof(uint16_t));
    secure_zero(rec.data(), rec.size() * sizeof(uint32_t));
}

}  // namespace evk
