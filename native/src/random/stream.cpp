#include "random/stream.h"

#include <cstring>

#include "random/sha256.h"
#include "ring/aligned.h"

namespace evk {

namespace {
const char SALT[] = "evkeygen/prng/v1";
}

Prng::Prng(const uint8_t *seed, size_t len) {
    hkdf_extract(reinterpret_cast<const uint8_t *>(SALT), sizeof(SALT) - 1, seed, len, prk_);
}

Prng::~Prng() { secure_zero(prk_, sizeof prk_); }

void Prng::stream_key(const std::string &label, uint8_t key[32]) const {
    hkdf_expand32(prk_, reinterpret_cast<const uint8_t *>(label.data()), label.size(), key, 32);
}

Stream::Stream(const Prng &prng, const std::string &label, KeystreamFn fn) : fn_(fn) {
    uint8_t key[32];
    prng.stream_key(label, key);
    aes256_expand(key, &key_);
    secure_zero(key, sizeof key);
}

Stream::~Stream() {
    secure_zero(&key_, sizeof key_);
    secure_zero(buf_, sizeof buf_);
}

void Stream::refill() {
    fn_(key_, next_block_, BUF_WORDS / 2, reinterpret_cast<uint8_t *>(buf_));
    next_block_ += BUF_WORDS / 2;
    pos_ = 0;
}

void Stream::words(uint64_t *out, size_t count) {
    while (count > 0 && pos_ < BUF_WORDS) {
        *out++ = buf_[pos_++];
        count--;
    }
    size_t blocks = count / 2;
    if (blocks > 0) {
        fn_(key_, next_block_, blocks, reinterpret_cast<uint8_t *>(out));
        next_block_ += blocks;
        out += 2 * blocks;
        count -= 2 * blocks;
    }
    if (count > 0) {
        refill();
        *out = buf_[pos_++];
    }
}

}  // namespace evk
