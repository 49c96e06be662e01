#include "random/samplers.h"

#include <cstring>
#include <vector>

#include "ring/aligned.h"
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
        uint64_t neg = (w >> 63) & (k != 0);
        out[i] = neg ? q - k : k;
    }
}

void combine_scalar(uint64_t *b, const uint64_t *a, const uint64_t *s, const uint64_t *ss, const uint64_t *src,
                    uint64_t q, size_t n) {
    for (size_t i = 0; i < n; i++) {
        uint64_t as = mul_shoup(a[i], s[i], ss[i], q);
        uint64_t v = b[i] + q - as;
        v = v >= q ? v - q : v;
        if (src) {
            v += src[i];
            v = v >= q ? v - q : v;
        }
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

void sample_ternary(Stream &st, uint32_t n, uint32_t weight, int8_t *s) {
    std::vector<uint32_t> pos(n);
    for (uint32_t i = 0; i < n; i++) pos[i] = i;
    std::memset(s, 0, n);
    for (uint32_t i = 0; i < weight; i++) {
        const uint64_t bound = n - i;
        const uint64_t limit = (1ull << 32) - ((1ull << 32) % bound);
        uint64_t w, low;
        do {
            w = st.next_word();
            low = w & 0xffffffffull;
        } while (low >= limit);
        uint32_t j = i + static_cast<uint32_t>(low % bound);
        uint32_t t = pos[i];
        pos[i] = pos[j];
        pos[j] = t;
        s[pos[i]] = (w >> 63) ? int8_t(-1) : int8_t(1);
    }
    secure_zero(pos.data(), pos.size() * sizeof(uint32_t));
}

}  // namespace evk
