#include "format/base64.h"

#include <cstring>

namespace evk {

namespace {

const char ALPHABET[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** For each 12-bit value its two chars, first char first in memory. */
struct PairTable {
    char pairs[4096][2];
    PairTable() {
        for (int i = 0; i < 4096; i++) {
            pairs[i][0] = ALPHABET[i >> 6];
            pairs[i][1] = ALPHABET[i & 63];
        }
    }
};

const PairTable &pair_table() {
    static const PairTable table;
    return table;
}

}  // namespace

void base64_body_scalar(const uint8_t *in, size_t len, char *out) {
    const PairTable &t = pair_table();
    for (size_t i = 0; i + 3 <= len; i += 3, out += 4) {
        uint32_t v = uint32_t(in[i]) << 16 | uint32_t(in[i + 1]) << 8 | in[i + 2];
        std::memcpy(out, t.pairs[v >> 12], 2);
        std::memcpy(out + 2, t.pairs[v & 0xfff], 2);
    }
}

void base64_encode(Base64BodyFn body, const uint8_t *in, size_t len, char *out) {
    size_t whole = len - len % 3;
    body(in, whole, out);
    out += whole / 3 * 4;
    size_t rest = len - whole;
    if (rest == 0) return;
    uint32_t v = uint32_t(in[whole]) << 16 | (rest == 2 ? uint32_t(in[whole + 1]) << 8 : 0);
    out[0] = ALPHABET[v >> 18];
    out[1] = ALPHABET[(v >> 12) & 63];
    out[2] = rest == 2 ? ALPHABET[(v >> 6) & 63] : '=';
    out[3] = '=';
}

}  // namespace evk
