#include "engine/session.h"

#include <cstring>
#include <stdexcept>

#include "random/samplers.h"
#include "ring/ct.h"
#include "ring/modulus.h"

namespace evk {

Session::Session(const Params &params, const uint8_t *seed, size_t seed_len, int threads, int simd_level)
    : params_(params),
      k_(kernels_for(simd_level)),
      ntt_q_(ntt_tables(params.n, params.q, params.psi_q)),
      ntt_p_(ntt_tables(params.n, params.p, params.psi_p)),
      prng_(seed, seed_len, k_.sha256_blocks),
      secret_(params.n),
      pool_(threads < 1 ? 1 : threads) {
    const uint32_t n = params.n;
    {
        Stream st(prng_, labels::secret(params), k_.keystream, k_.aes_expand);
        sample_ternary(st, n, params.weight, secret_.data());
    }
    s_q_.resize(n);
    s_p_.resize(n);
    s_q_shoup_.resize(n);
    s_p_shoup_.resize(n);
    relin_src_q_.resize(n);
    // Everything below touches the secret: masks, no branches, no division (ring/ct.h).
    for (uint32_t i = 0; i < n; i++) {
        const uint64_t v = static_cast<uint64_t>(static_cast<int64_t>(secret_[i]));  // -1 is 2^64 - 1
        const uint64_t neg = static_cast<uint64_t>(static_cast<int64_t>(secret_[i]) >> 63);
        s_q_[i] = v + (params.q & neg);  // -1 -> q - 1
        s_p_[i] = v + (params.p & neg);
    }
    k_.ntt_forward(*ntt_q_, s_q_.data());
    k_.ntt_forward(*ntt_p_, s_p_.data());
    const CtModulus mq(params.q), mp(params.p);
    const uint64_t pq = params.p_mod_q();
    const uint64_t pq_shoup = shoup(pq, params.q);  // public
    for (uint32_t i = 0; i < n; i++) {
        s_q_shoup_[i] = mq.shoup(s_q_[i]);
        s_p_shoup_[i] = mp.shoup(s_p_[i]);
        const uint64_t sq = mul_shoup(s_q_[i], s_q_[i], s_q_shoup_[i], params.q);
        relin_src_q_[i] = mul_shoup(sq, pq, pq_shoup, params.q);  // P * s^2
    }
    scratch_.resize(pool_.size());
    for (auto &sc : scratch_) {
        sc.poly.resize(n);
        sc.a.resize(uniform_scratch_words(n));
        sc.src.resize(n);
        sc.words.resize(uniform_scratch_words(n));
    }
}

Session::~Session() {
    secure_zero(secret_.data(), secret_.size());
    // AlignedU64 members zero themselves when freed; the Prng zeroes its key.
}

void Session::seckey_body(uint8_t *out) const {
    const uint32_t n = params_.n;
    std::memset(out, 0, n / 4);
    for (uint32_t j = 0; j < n; j++) {
        const unsigned code = static_cast<uint8_t>(secret_[j]) & 3u;  // 0 -> 00, 1 -> 01, -1 (0xff) -> 11
        out[j / 4] = uint8_t(out[j / 4] | (code << (6 - 2 * (j % 4))));
    }
}

void Session::sample_a(const std::string &prefix, bool mod_q, uint64_t *out, Scratch &sc) {
    const labels::Component c = mod_q ? labels::Component::AQ : labels::Component::AP;
    Stream st(prng_, prefix + labels::component(c), k_.keystream, k_.aes_expand);
    sample_uniform(k_, st, mod_q ? params_.q : params_.p, out, params_.n, sc.words.data());
}

void Session::modpack_source(uint32_t rank, uint32_t k, uint64_t *c) const {
    const uint32_t n = params_.n;
    const uint64_t q = params_.q;
    const uint64_t pq = params_.p_mod_q();
    const uint64_t neg_pq = (q - pq) % q;  // public
    std::memset(c, 0, n * sizeof(uint64_t));
    for (uint32_t m = 0; m < n; m += rank) {
        const int64_t s = secret_[m + rank - 1 - k];
        const uint64_t nonzero = 0 - static_cast<uint64_t>(s & 1);  // s in {-1, 0, 1}
        const uint64_t neg = static_cast<uint64_t>(s >> 63);
        c[m] = ct_select(neg, neg_pq, pq) & nonzero;
    }
    ntt_forward_strided(*ntt_q_, c, rank);  // s'_k is a polynomial in X^rank
}

// Computes one polynomial of an RLWE sample into out (64-byte aligned, n words). src_q_fixed: the
// relinearization source (or null); modpack_rank > 0: the source is mod-pack key modpack_k of that rank.
void Session::poly(const std::string &prefix, Part part, const uint64_t *src_q_fixed, int modpack_rank,
                   uint32_t modpack_k, Scratch &sc, uint64_t *out) {
    const uint32_t n = params_.n;
    if (part == Part::AQ || part == Part::AP) {
        sample_a(prefix, part == Part::AQ, out, sc);
        return;
    }
    const bool mod_q = part == Part::BQ;
    const uint64_t q = mod_q ? params_.q : params_.p;
    sample_a(prefix, mod_q, sc.a.data(), sc);
    {
        Stream st(prng_, prefix + labels::component(labels::Component::E), k_.keystream, k_.aes_expand);
        sample_error(k_, st, q, out, n, sc.words.data());
    }
    k_.ntt_forward(mod_q ? *ntt_q_ : *ntt_p_, out);
    const uint64_t *src = nullptr;
    if (mod_q) {
        if (modpack_rank > 0) {
            modpack_source(static_cast<uint32_t>(modpack_rank), modpack_k, sc.src.data());
            src = sc.src.data();
        } else {
            src = src_q_fixed;
        }
    }
    k_.combine(out, sc.a.data(), mod_q ? s_q_.data() : s_p_.data(), mod_q ? s_q_shoup_.data() : s_p_shoup_.data(),
               src, q, n);
    if (modpack_rank > 0 && mod_q) sc.src.wipe();  // P*s'_k is secret-derived
}

namespace {
/** Where polynomial i of out is computed: in place when out is aligned as the NTT kernels need, else in scratch. */
uint64_t *target(uint8_t *out, size_t i, size_t poly_bytes, AlignedU64 &scratch) {
    uint8_t *p = out + i * poly_bytes;
    return reinterpret_cast<uintptr_t>(p) % 64 == 0 ? reinterpret_cast<uint64_t *>(p) : scratch.data();
}

void publish(uint8_t *out, size_t i, size_t poly_bytes, const uint64_t *computed) {
    uint8_t *p = out + i * poly_bytes;
    if (reinterpret_cast<const uint8_t *>(computed) != p) std::memcpy(p, computed, poly_bytes);
    EVK_CT_PUBLIC(p, poly_bytes);  // public key material from here on
}
}  // namespace

void Session::enckey_body(uint8_t *out) {
    const size_t poly_bytes = size_t(params_.n) * 8;
    const std::string prefix = labels::public_key_prefix(params_);
    pool_.run(4, [&](int w, size_t i) {
        Scratch &sc = scratch_[w];
        uint64_t *p = target(out, i, poly_bytes, sc.poly);
        poly(prefix, static_cast<Part>(i), nullptr, 0, 0, sc, p);
        publish(out, i, poly_bytes, p);
    });
}

void Session::evikeys_polys(uint32_t rank, uint32_t from, uint32_t to, uint8_t *out) {
    const size_t poly_bytes = size_t(params_.n) * 8;
    const std::string relin = labels::relin_prefix(params_, rank);
    pool_.run(to - from, [&](int w, size_t i) {
        Scratch &sc = scratch_[w];
        uint32_t idx = from + static_cast<uint32_t>(i);
        uint64_t *p = target(out, i, poly_bytes, sc.poly);
        if (idx < 4) {
            poly(relin, static_cast<Part>(idx), relin_src_q_.data(), 0, 0, sc, p);
        } else {
            uint32_t j = idx - 4;
            uint32_t k = j % rank;
            Part part = static_cast<Part>(j / rank);
            poly(labels::modpack_prefix(params_, rank, k), part, nullptr, static_cast<int>(rank), k, sc, p);
        }
        publish(out, i, poly_bytes, p);
    });
}

}  // namespace evk
