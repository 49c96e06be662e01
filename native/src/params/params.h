// Parameters of a key set and the names of its PRNG streams (docs/ALGORITHMS.md, "Labels").
#pragma once

#include <cstdint>
#include <string>

namespace evk {

struct Params {
    uint32_t n = 0;
    uint32_t log_n = 0;
    uint64_t q = 0;
    uint64_t p = 0;
    uint64_t psi_q = 0;
    uint64_t psi_p = 0;
    uint32_t weight = 0;

    /** P mod Q, the factor of the source key in key-switching keys. */
    uint64_t p_mod_q() const { return p % q; }
};

/** Checks ranges and primality conditions the NTT relies on; false with a reason otherwise. */
bool validate(const Params &p, std::string *why);

namespace labels {

enum class Component { AQ, AP, E };

const char *component(Component c);

/** evkeygen/v1/secret/n<N>/h<weight> */
std::string secret(const Params &p);

/** evkeygen/v1/n<N>/q<Q>/p<P> */
std::string moduli(const Params &p);

/** M/pk/ (prefix: append component) */
std::string public_key_prefix(const Params &p);

/** M/evk<r>/relin/ */
std::string relin_prefix(const Params &p, uint32_t rank);

/** M/evk<r>/modpack<k>/ */
std::string modpack_prefix(const Params &p, uint32_t rank, uint32_t k);

}  // namespace labels
}  // namespace evk
