#include "random/stream.h"

#include <atomic>
#include <cstring>

#include "random/sha256.h"
#include "ring/aligned.h"
#include "ring/ct.h"

namespace evk {

namespace {
const char SALT[] = "evkeygen/prng/v1";
std::atomic<uint64_t> g_blocks{0};
}  // namespace

uint64_t keystream_blocks_generated() { return g_blocks.load(std::memory_order_relaxed); }

namespace {
struct Prk {
    uint8_t b[32];
    Prk(const uint8_t *seed, size_t len) {
        hkdf_extract(reinterpret_cast<const uint8_t *>(SALT), sizeof(SALT) - 1, seed, len, b);
    }
    ~Prk() { secure_zero(b, sizeof b); }
};
}  // namespace

Prng::Prng(const uint8_t *seed, size_t len, Sha256BlocksFn blocks) : prk_(Prk(seed, len).b, 32, blocks) {}

Prng::~Prng() = default;  // the Sha256 states zero themselves

void Prng::stream_key(const std::string &label, uint8_t key[32]) const {
    // HKDF-Expand, L = 32: T(1) = HMAC(PRK, info || 0x01)
    const uint8_t one = 1;
    prk_.mac(reinterpret_cast<const uint8_t *>(label.data()), label.size(), &one, 1, key);
}

Stream::Stream(const Prng &prng, const std::string &label, KeystreamFn fn, AesExpandFn expand) : fn_(fn) {
    uint8_t key[32];
    prng.stream_key(label, key);
    expand(key, &key_);
    secure_zero(key, sizeof key);
}

Stream::~Stream() {
    secure_zero(&key_, sizeof key_);
    secure_zero(buf_, sizeof buf_);
}

void Stream::refill() {
    fn_(key_, next_block_, BUF_WORDS / 2, reinterpret_cast<uint8_t *>(buf_));
    // Keystream is secret until a sampler declassifies it (ct check builds only; memcheck would
    // otherwise treat words from the soft AES's S-box loads as public).
    EVK_CT_SECRET(buf_, sizeof buf_);
    next_block_ += BUF_WORDS / 2;
    g_blocks.fetch_add(BUF_WORDS / 2, std::memory_order_relaxed);
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
        EVK_CT_SECRET(out, blocks * 16);
        next_block_ += blocks;
        g_blocks.fetch_add(blocks, std::memory_order_relaxed);
        out += 2 * blocks;
        count -= 2 * blocks;
    }
    if (count > 0) {
        refill();
        *out = buf_[pos_++];
    }
}

}  // namespace evk
