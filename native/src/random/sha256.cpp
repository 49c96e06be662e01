#include "random/sha256.h"

#include <cstring>
#include <vector>

#include "ring/aligned.h"

namespace evk {

alignas(16) const uint32_t SHA256_K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

namespace {

inline uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

}  // namespace

Sha256::Sha256(Sha256BlocksFn blocks) : blocks_(blocks) {
    static const uint32_t H0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    std::memcpy(h_, H0, sizeof h_);
}

Sha256::~Sha256() {
    secure_zero(h_, sizeof h_);
    secure_zero(buf_, sizeof buf_);
}

void sha256_blocks_portable(uint32_t h_[8], const uint8_t *p, size_t nblocks) {
    uint32_t w[64];
    for (; nblocks > 0; nblocks--, p += 64) {
        for (int i = 0; i < 16; i++) {
            w[i] = (uint32_t(p[4 * i]) << 24) | (uint32_t(p[4 * i + 1]) << 16) | (uint32_t(p[4 * i + 2]) << 8) |
                   uint32_t(p[4 * i + 3]);
        }
        for (int i = 16; i < 64; i++) {
            uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
            uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        uint32_t a = h_[0], b = h_[1], c = h_[2], d = h_[3], e = h_[4], f = h_[5], g = h_[6], h = h_[7];
        for (int i = 0; i < 64; i++) {
            uint32_t S1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
            uint32_t ch = (e & f) ^ (~e & g);
            uint32_t t1 = h + S1 + ch + SHA256_K[i] + w[i];
            uint32_t S0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
            uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
            uint32_t t2 = S0 + maj;
            h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
        }
        h_[0] += a; h_[1] += b; h_[2] += c; h_[3] += d; h_[4] += e; h_[5] += f; h_[6] += g; h_[7] += h;
    }
    secure_zero(w, sizeof w);
}

void Sha256::update(const uint8_t *data, size_t len) {
    if (len == 0) return;
    total_ += len;
    if (buf_len_ > 0) {  // top up the partial block first
        size_t take = BLOCK - buf_len_;
        if (take > len) take = len;
        std::memcpy(buf_ + buf_len_, data, take);
        buf_len_ += take;
        data += take;
        len -= take;
        if (buf_len_ < BLOCK) return;
        blocks_(h_, buf_, 1);
        buf_len_ = 0;
    }
    // whole blocks straight from the input: one call, so the accelerated loops keep the state in registers
    if (len >= BLOCK) {
        blocks_(h_, data, len / BLOCK);
        data += len / BLOCK * BLOCK;
        len %= BLOCK;
    }
    if (len > 0) std::memcpy(buf_, data, len);
    buf_len_ = len;
}

void Sha256::finish(uint8_t out[DIGEST]) {
    // 0x80, zeros up to 56 mod 64, then the bit length big-endian: one update
    uint8_t pad[BLOCK + 8] = {0x80};
    const size_t zeros_to = buf_len_ < 56 ? 56 : 56 + BLOCK;
    const uint64_t bits = total_ * 8;
    for (int i = 0; i < 8; i++) pad[zeros_to - buf_len_ + i] = uint8_t(bits >> (56 - 8 * i));
    update(pad, zeros_to - buf_len_ + 8);
    for (int i = 0; i < 8; i++) {
        out[4 * i] = uint8_t(h_[i] >> 24);
        out[4 * i + 1] = uint8_t(h_[i] >> 16);
        out[4 * i + 2] = uint8_t(h_[i] >> 8);
        out[4 * i + 3] = uint8_t(h_[i]);
    }
}

void sha256(const uint8_t *data, size_t len, uint8_t out[32]) {
    Sha256 h;
    h.update(data, len);
    h.finish(out);
}

void hmac_sha256(const uint8_t *key, size_t key_len, const uint8_t *data, size_t len, uint8_t out[32]) {
    HmacSha256(key, key_len).mac(data, len, data, 0, out);
}

HmacSha256::HmacSha256(const uint8_t *key, size_t key_len, Sha256BlocksFn blocks) : inner_(blocks), outer_(blocks) {
    uint8_t k[64] = {0};
    if (key_len > 64) {
        sha256(key, key_len, k);
    } else if (key_len > 0) {
        std::memcpy(k, key, key_len);
    }
    uint8_t pad[64];
    for (int i = 0; i < 64; i++) pad[i] = k[i] ^ 0x36;
    inner_.update(pad, 64);
    for (int i = 0; i < 64; i++) pad[i] = k[i] ^ 0x5c;
    outer_.update(pad, 64);
    secure_zero(k, sizeof k);
    secure_zero(pad, sizeof pad);
}

void HmacSha256::mac(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len, uint8_t out[32]) const {
    uint8_t t[32];
    Sha256 in = inner_;
    in.update(a, a_len);
    in.update(b, b_len);
    in.finish(t);
    Sha256 o = outer_;
    o.update(t, 32);
    o.finish(out);
    secure_zero(t, sizeof t);
}

void hkdf_extract(const uint8_t *salt, size_t salt_len, const uint8_t *ikm, size_t ikm_len, uint8_t prk[32]) {
    hmac_sha256(salt, salt_len, ikm, ikm_len, prk);
}

void hkdf_expand32(const uint8_t prk[32], const uint8_t *info, size_t info_len, uint8_t *out, size_t len) {
    std::vector<uint8_t> msg(info, info + info_len);
    msg.push_back(1);
    uint8_t t[32];
    hmac_sha256(prk, 32, msg.data(), msg.size(), t);
    std::memcpy(out, t, len > 32 ? 32 : len);
    secure_zero(t, sizeof t);
}

}  // namespace evk
