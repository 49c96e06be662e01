// One key set being generated (mirror of JavaKeySetSession + RlweSampler): the secret, its NTT
// forms, and every polynomial as a pure function of (seed, label).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/thread_pool.h"
#include "params/params.h"
#include "random/stream.h"
#include "ring/aligned.h"
#include "ring/ntt.h"
#include "simd/kernels.h"

namespace evk {

class Session {
public:
    Session(const Params &params, const uint8_t *seed, size_t seed_len, int threads, int simd_level);
    ~Session();
    Session(const Session &) = delete;
    Session &operator=(const Session &) = delete;

    const Params &params() const { return params_; }
    const Kernels &kernels() const { return k_; }

    /** n/4 bytes of 2-bit codes (SecKey.bin after its header). */
    void seckey_body(uint8_t *out) const;
    /** aQ, aP, bQ, bP (EncKey.bin after its header). */
    void enckey_body(uint8_t *out);
    /** Polynomials [from, to) of EVIKeys<rank>.bin after its tag. */
    void evikeys_polys(uint32_t rank, uint32_t from, uint32_t to, uint8_t *out);

    /** Polynomial count of an EVIKeys<rank>.bin body. */
    static uint32_t evikeys_count(uint32_t rank) { return 4 + 4 * rank; }

private:
    struct Scratch {
        AlignedU64 poly, a, src, words;
    };
    enum class Part { AQ, AP, BQ, BP };

    void poly(const std::string &prefix, Part part, const uint64_t *src_q_fixed, int modpack_rank,
              uint32_t modpack_k, Scratch &sc, uint64_t *out);
    void sample_a(const std::string &prefix, bool mod_q, uint64_t *out, Scratch &sc);
    void modpack_source(uint32_t rank, uint32_t k, uint64_t *out) const;

    Params params_;
    const Kernels &k_;
    std::shared_ptr<const NttTables> ntt_q_, ntt_p_;
    Prng prng_;
    std::vector<int8_t> secret_;
    AlignedU64 s_q_, s_q_shoup_, s_p_, s_p_shoup_, relin_src_q_;
    std::vector<Scratch> scratch_;
    ThreadPool pool_;
};

}  // namespace evk
