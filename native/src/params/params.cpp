#include "params/params.h"

#include "ring/modulus.h"

namespace evk {

bool validate(const Params &p, std::string *why) {
    auto fail = [&](const char *m) {
        if (why) *why = m;
        return false;
    };
    if (p.n < 32 || p.n > 65536 || (p.n & (p.n - 1)) != 0) return fail("n must be a power of two from 32 to 65536");
    for (uint64_t m : {p.q, p.p}) {
        if (m < 3 || (m & 1) == 0 || (m >> 61) != 0) return fail("moduli must be odd and below 2^61");
        if ((m - 1) % (2ull * p.n) != 0) return fail("moduli must be 1 mod 2n");
    }
    if (p.q == p.p) return fail("q and p must differ");
    if (!is_primitive_2n_root(p.psi_q, p.n, p.q)) return fail("psi_q is not a primitive 2n-th root of unity mod q");
    if (!is_primitive_2n_root(p.psi_p, p.n, p.p)) return fail("psi_p is not a primitive 2n-th root of unity mod p");
    if (p.weight == 0 || p.weight > p.n) return fail("weight must be in 1..n");
    return true;
}

namespace labels {

const char *component(Component c) {
    switch (c) {
        case Component::AQ: return "a/Q";
        case Component::AP: return "a/P";
        default: return "e";
    }
}

std::string secret(const Params &p) {
    return "evkeygen/v1/secret/n" + std::to_string(p.n) + "/h" + std::to_string(p.weight);
}

std::string moduli(const Params &p) {
    return "evkeygen/v1/n" + std::to_string(p.n) + "/q" + std::to_string(p.q) + "/p" + std::to_string(p.p);
}

std::string public_key_prefix(const Params &p) { return moduli(p) + "/pk/"; }

std::string relin_prefix(const Params &p, uint32_t rank) {
    return moduli(p) + "/evk" + std::to_string(rank) + "/relin/";
}

std::string modpack_prefix(const Params &p, uint32_t rank, uint32_t k) {
    return moduli(p) + "/evk" + std::to_string(rank) + "/modpack" + std::to_string(k) + "/";
}

}  // namespace labels
}  // namespace evk
