// SHA-256 (FIPS 180-4), HMAC-SHA256 (RFC 2104) and HKDF-SHA256 (RFC 5869). The portable
// compression is the default; bulk hashing (the C ABI's evk_sha256*) and a session's stream keys
// pass the SIMD level's one.
#pragma once

#include <cstddef>
#include <cstdint>

namespace evk {

/** Compresses nblocks consecutive 64-byte blocks into the state h (a..h, host order). */
using Sha256BlocksFn = void (*)(uint32_t h[8], const uint8_t *blocks, size_t nblocks);

/** The round constants K0..K63 (FIPS 180-4 4.2.2), 16-byte aligned for the vector loads. */
extern const uint32_t SHA256_K[64];

void sha256_blocks_portable(uint32_t h[8], const uint8_t *blocks, size_t nblocks);
#if defined(EVK_HAVE_SHANI)
void sha256_blocks_shani(uint32_t h[8], const uint8_t *blocks, size_t nblocks);
#endif
#if defined(EVK_HAVE_ARMV8_SHA2)
void sha256_blocks_armv8(uint32_t h[8], const uint8_t *blocks, size_t nblocks);
#endif

class Sha256 {
public:
    static constexpr size_t DIGEST = 32;
    static constexpr size_t BLOCK = 64;
    explicit Sha256(Sha256BlocksFn blocks = sha256_blocks_portable);
    ~Sha256();
    Sha256(const Sha256 &) = default;
    Sha256 &operator=(const Sha256 &) = default;
    void update(const uint8_t *data, size_t len);
    void finish(uint8_t out[DIGEST]);

private:
    Sha256BlocksFn blocks_;
    uint32_t h_[8];
    uint8_t buf_[BLOCK];
    size_t buf_len_ = 0;
    uint64_t total_ = 0;
};

void sha256(const uint8_t *data, size_t len, uint8_t out[32]);

/** HMAC-SHA256 with the key's pad blocks absorbed once: each MAC then costs two compressions less. */
class HmacSha256 {
public:
    HmacSha256(const uint8_t *key, size_t key_len, Sha256BlocksFn blocks = sha256_blocks_portable);
    /** HMAC(key, a || b). */
    void mac(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len, uint8_t out[32]) const;

private:
    Sha256 inner_, outer_;
};

void hmac_sha256(const uint8_t *key, size_t key_len, const uint8_t *data, size_t len, uint8_t out[32]);

/** HKDF-Extract: PRK = HMAC(salt, ikm). */
void hkdf_extract(const uint8_t *salt, size_t salt_len, const uint8_t *ikm, size_t ikm_len, uint8_t prk[32]);

/** HKDF-Expand for L <= 32: T(1) = HMAC(PRK, info || 0x01), truncated to len. */
void hkdf_expand32(const uint8_t prk[32], const uint8_t *info, size_t info_len, uint8_t *out, size_t len);

}  // namespace evk
