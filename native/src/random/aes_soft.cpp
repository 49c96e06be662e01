// Portable AES-256 (FIPS-197), byte oriented. Used at the "scalar" SIMD level and on CPUs without
// AES instructions. Side channels: only the 256-byte S-box is indexed by secret data (no T-tables),
// and all four of its cache lines are read before every block, so a cache-line-granular observer
// learns nothing; sub-line timing effects (cache-bank conflicts) remain, hence "constant-time-ish".
// MixColumns uses arithmetic xtime, no tables.
#include <cstring>

#include "random/aes.h"
#include "ring/aligned.h"

namespace evk {

namespace {

uint8_t gf_mul(uint8_t a, uint8_t b) {
    uint8_t r = 0;
    for (int i = 0; i < 8; i++) {
        r ^= uint8_t(-(b & 1)) & a;
        a = uint8_t((a << 1) ^ (0x1b & -(a >> 7)));
        b >>= 1;
    }
    return r;
}

struct SBox {
    alignas(64) uint8_t s[256];
    SBox() {
        for (int x = 0; x < 256; x++) {
            // inverse = x^254 in GF(2^8) (0 maps to 0)
            uint8_t inv = 1, base = uint8_t(x);
            for (int e = 254; e; e >>= 1) {
                if (e & 1) inv = gf_mul(inv, base);
                base = gf_mul(base, base);
            }
            if (x == 0) inv = 0;
            uint8_t v = inv;
            uint8_t r = inv;
            for (int i = 1; i <= 4; i++) {
                r = uint8_t((r << 1) | (r >> 7));
                v ^= r;
            }
            s[x] = uint8_t(v ^ 0x63);
        }
    }
};

const SBox &sbox() {
    static const SBox box;
    return box;
}

inline uint8_t xtime(uint8_t x) { return uint8_t((x << 1) ^ (0x1b & -(x >> 7))); }

inline void touch_sbox(const uint8_t *s) {
    volatile uint8_t sink = 0;
    sink ^= s[0];
    sink ^= s[64];
    sink ^= s[128];
    sink ^= s[192];
    (void)sink;
}

}  // namespace

void aes256_expand(const uint8_t key[32], AesKey *out) {
    const uint8_t *s = sbox().s;
    uint8_t *w = out->rk;
    std::memcpy(w, key, 32);
    uint8_t rcon = 1;
    for (int i = 8; i < 60; i++) {
        uint8_t t[4];
        std::memcpy(t, w + 4 * (i - 1), 4);
        if (i % 8 == 0) {
            uint8_t t0 = t[0];
            t[0] = uint8_t(s[t[1]] ^ rcon);
            t[1] = s[t[2]];
            t[2] = s[t[3]];
            t[3] = s[t0];
            rcon = xtime(rcon);
        } else if (i % 8 == 4) {
            for (int k = 0; k < 4; k++) t[k] = s[t[k]];
        }
        for (int k = 0; k < 4; k++) w[4 * i + k] = uint8_t(w[4 * (i - 8) + k] ^ t[k]);
    }
}

void aes256_encrypt_block_soft(const AesKey &key, const uint8_t in[16], uint8_t out[16]) {
    const uint8_t *s = sbox().s;
    touch_sbox(s);
    uint8_t st[16], tmp[16];
    for (int i = 0; i < 16; i++) st[i] = uint8_t(in[i] ^ key.rk[i]);
    for (int round = 1; round <= 14; round++) {
        // SubBytes + ShiftRows: state byte (row r, column c) at r + 4c; row r rotates left by r.
        for (int c = 0; c < 4; c++) {
            for (int r = 0; r < 4; r++) tmp[r + 4 * c] = s[st[r + 4 * ((c + r) & 3)]];
        }
        if (round != 14) {
            for (int c = 0; c < 4; c++) {
                uint8_t a0 = tmp[4 * c], a1 = tmp[4 * c + 1], a2 = tmp[4 * c + 2], a3 = tmp[4 * c + 3];
                uint8_t all = uint8_t(a0 ^ a1 ^ a2 ^ a3);
                st[4 * c] = uint8_t(a0 ^ all ^ xtime(uint8_t(a0 ^ a1)));
                st[4 * c + 1] = uint8_t(a1 ^ all ^ xtime(uint8_t(a1 ^ a2)));
                st[4 * c + 2] = uint8_t(a2 ^ all ^ xtime(uint8_t(a2 ^ a3)));
                st[4 * c + 3] = uint8_t(a3 ^ all ^ xtime(uint8_t(a3 ^ a0)));
            }
        } else {
            std::memcpy(st, tmp, 16);
        }
        const uint8_t *k = key.rk + 16 * round;
        for (int i = 0; i < 16; i++) st[i] ^= k[i];
    }
    std::memcpy(out, st, 16);
    secure_zero(st, sizeof st);
    secure_zero(tmp, sizeof tmp);
}

void ctr_soft(const AesKey &key, uint64_t first, size_t nblocks, uint8_t *out) {
    uint8_t ctr[16] = {0};
    for (size_t b = 0; b < nblocks; b++) {
        uint64_t c = first + b;
        for (int i = 0; i < 8; i++) ctr[15 - i] = uint8_t(c >> (8 * i));
        aes256_encrypt_block_soft(key, ctr, out + 16 * b);
    }
}

}  // namespace evk
