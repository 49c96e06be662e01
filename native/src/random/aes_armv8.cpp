// AES-256-CTR with the ARMv8 cryptographic extension, eight blocks in flight
// (compiled with -march=armv8-a+crypto; used only when HWCAP_AES is set).
#include <arm_neon.h>

#include "random/aes.h"

namespace evk {

namespace {
inline uint8x16_t counter_block(uint64_t c) {
    return vreinterpretq_u8_u64(vcombine_u64(vcreate_u64(0), vcreate_u64(__builtin_bswap64(c))));
}
}  // namespace

void ctr_armv8(const AesKey &key, uint64_t first, size_t nblocks, uint8_t *out) {
    uint8x16_t rk[15];
    for (int r = 0; r < 15; r++) rk[r] = vld1q_u8(key.rk + 16 * r);
    size_t i = 0;
    for (; i + 8 <= nblocks; i += 8) {
        uint8x16_t b[8];
        for (int j = 0; j < 8; j++) b[j] = counter_block(first + i + j);
        for (int r = 0; r < 13; r++) {
            for (int j = 0; j < 8; j++) b[j] = vaesmcq_u8(vaeseq_u8(b[j], rk[r]));
        }
        for (int j = 0; j < 8; j++) vst1q_u8(out + 16 * (i + j), veorq_u8(vaeseq_u8(b[j], rk[13]), rk[14]));
    }
    for (; i < nblocks; i++) {
        uint8x16_t b = counter_block(first + i);
        for (int r = 0; r < 13; r++) b = vaesmcq_u8(vaeseq_u8(b, rk[r]));
        vst1q_u8(out + 16 * i, veorq_u8(vaeseq_u8(b, rk[13]), rk[14]));
    }
}

}  // namespace evk
