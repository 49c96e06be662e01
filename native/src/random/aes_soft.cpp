// Portable AES-256 (FIPS-197), byte oriented. Used at the "scalar" SIMD level and on CPUs without
// AES instructions. Side channels: only the 256-byte S-box is indexed by secret data (no T-tables),
// and all four of its cache lines are read before every block, so a cache-line-granular observer
// learns nothing; sub-line timing effects (cache-bank conflicts) remain, hence "constant-time-ish"
// (the block function is the one exception the valgrind constant-time check, evkeygen_test --ct,
// suppresses: native/test/ct.supp). The key schedule scans the whole S-box instead (sbox_scan).
// MixColumns works on whole columns with arithmetic xtime, no tables.
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

/**
 * s[x] for a secret x without a secret-dependent address: every entry is read and the one wanted
 * kept by a mask (the key schedule's 52 look-ups per key; the compiler vectorizes the scan).
 */
inline uint8_t sbox_scan(const uint8_t *s, uint8_t x) {
    uint8_t r = 0;
    for (unsigned k = 0; k < 256; k++) r = uint8_t(r | (s[k] & uint8_t(0 - uint8_t(uint8_t(k) == x))));
    return r;
}

inline void touch_sbox(const uint8_t *s) {
    volatile uint8_t sink = 0;
    sink ^= s[0];
    sink ^= s[64];
    sink ^= s[128];
    sink ^= s[192];
    (void)sink;
}

}  // namespace

// The key schedule runs on every level (AES-NI and ARMv8 use its round keys too) and its input is
// derived from the seed, so its S-box look-ups are full scans.
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
            t[0] = uint8_t(sbox_scan(s, t[1]) ^ rcon);
            t[1] = sbox_scan(s, t[2]);
            t[2] = sbox_scan(s, t[3]);
            t[3] = sbox_scan(s, t0);
            rcon = xtime(rcon);
        } else if (i % 8 == 4) {
            for (int k = 0; k < 4; k++) t[k] = sbox_scan(s, t[k]);
        }
        for (int k = 0; k < 4; k++) w[4 * i + k] = uint8_t(w[4 * (i - 8) + k] ^ t[k]);
    }
}

namespace {

inline uint32_t load32(const uint8_t *p) {
    return uint32_t(p[0]) | (uint32_t(p[1]) << 8) | (uint32_t(p[2]) << 16) | (uint32_t(p[3]) << 24);
}

inline void store32(uint8_t *p, uint32_t v) {
    p[0] = uint8_t(v);
    p[1] = uint8_t(v >> 8);
    p[2] = uint8_t(v >> 16);
    p[3] = uint8_t(v >> 24);
}

inline uint32_t ror32(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

/** xtime on the four bytes of a word at once (arithmetic, no table). */
inline uint32_t xtime4(uint32_t x) { return ((x & 0x7f7f7f7fu) << 1) ^ (((x >> 7) & 0x01010101u) * 0x1bu); }

/**
 * MixColumns of one column held little-endian (byte i = row i):
 * b_i = 2(a_i ^ a_{i+1}) ^ a_{i+1} ^ a_{i+2} ^ a_{i+3}.
 */
inline uint32_t mix_column(uint32_t w) {
    uint32_t r1 = ror32(w, 8), r2 = ror32(w, 16), r3 = ror32(w, 24);
    return xtime4(w ^ r1) ^ r1 ^ r2 ^ r3;
}

}  // namespace

void aes256_encrypt_block_soft(const AesKey &key, const uint8_t in[16], uint8_t out[16]) {
    const uint8_t *s = sbox().s;
    touch_sbox(s);
    // state as four columns, each a little-endian word: byte r of column c is state (r, c)
    uint32_t col[4];
    for (int c = 0; c < 4; c++) col[c] = load32(in + 4 * c) ^ load32(key.rk + 4 * c);
    uint32_t t[4];
    for (int round = 1; round <= 14; round++) {
        // SubBytes + ShiftRows: row r of new column c comes from old column c + r
        for (int c = 0; c < 4; c++) {
            t[c] = uint32_t(s[col[c] & 0xff]) | (uint32_t(s[(col[(c + 1) & 3] >> 8) & 0xff]) << 8) |
                   (uint32_t(s[(col[(c + 2) & 3] >> 16) & 0xff]) << 16) | (uint32_t(s[col[(c + 3) & 3] >> 24]) << 24);
        }
        const uint8_t *k = key.rk + 16 * round;
        for (int c = 0; c < 4; c++) col[c] = (round != 14 ? mix_column(t[c]) : t[c]) ^ load32(k + 4 * c);
    }
    for (int c = 0; c < 4; c++) store32(out + 4 * c, col[c]);
    secure_zero(t, sizeof t);
    secure_zero(col, sizeof col);
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
