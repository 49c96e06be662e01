// A labelled PRNG stream: AES-256-CTR keyed by HKDF-SHA256(seed, "evkeygen/prng/v1", label),
// read as little-endian 64-bit words (docs/ALGORITHMS.md section 2).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "random/aes.h"

namespace evk {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "words are read as little-endian memory");

/** The HKDF pseudo-random key of a seed: every stream key derives from it. */
class Prng {
public:
    Prng(const uint8_t *seed, size_t len);
    ~Prng();
    Prng(const Prng &) = delete;
    Prng &operator=(const Prng &) = delete;
    /** stream_key(label) = HKDF-Expand(PRK, label, 32). */
    void stream_key(const std::string &label, uint8_t key[32]) const;

private:
    uint8_t prk_[32];
};

class Stream {
public:
    Stream(const Prng &prng, const std::string &label, KeystreamFn fn);
    ~Stream();
    Stream(const Stream &) = delete;
    Stream &operator=(const Stream &) = delete;

    uint64_t next_word() {
        if (pos_ == BUF_WORDS) refill();
        return buf_[pos_++];
    }
    /** The next count words, in order. */
    void words(uint64_t *out, size_t count);

private:
    static constexpr size_t BUF_WORDS = 256;
    void refill();
    AesKey key_;
    KeystreamFn fn_;
    uint64_t next_block_ = 0;
    alignas(64) uint64_t buf_[BUF_WORDS];
    size_t pos_ = BUF_WORDS;
};

}  // namespace evk
