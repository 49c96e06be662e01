// SHA-256 compression with the ARMv8 SHA2 instructions (compiled with -march=armv8-a+crypto; called
// only when HWCAP_SHA2 is set). sha256h/sha256h2 do four rounds each, giving the new {A,B,C,D} and
// {E,F,G,H} halves from the old ones and W+K; sha256su0/su1 extend the message schedule four words
// at a time.
#include <arm_neon.h>

#include "random/sha256.h"

namespace evk {

void sha256_blocks_armv8(uint32_t h[8], const uint8_t *p, size_t nblocks) {
    uint32x4_t abcd = vld1q_u32(h), efgh = vld1q_u32(h + 4);
    for (; nblocks > 0; nblocks--, p += 64) {
        const uint32x4_t abcd0 = abcd, efgh0 = efgh;
        uint32x4_t w[4];  // w[g % 4] = W[4g .. 4g+3], big-endian words
        for (int g = 0; g < 4; g++) w[g] = vreinterpretq_u32_u8(vrev32q_u8(vld1q_u8(p + 16 * g)));
#pragma GCC unroll 16
        for (int g = 0; g < 16; g++) {
            if (g >= 4) {
                // W[t..t+3] from W[t-16..] (w[g%4]), W[t-12..], W[t-8..] and W[t-4..] (w[g+1..g+3])
                w[g & 3] = vsha256su1q_u32(vsha256su0q_u32(w[g & 3], w[(g + 1) & 3]), w[(g + 2) & 3], w[(g + 3) & 3]);
            }
            const uint32x4_t wk = vaddq_u32(w[g & 3], vld1q_u32(SHA256_K + 4 * g));
            const uint32x4_t prev = abcd;  // sha256h2 needs the {A,B,C,D} from before these rounds
            abcd = vsha256hq_u32(abcd, efgh, wk);
            efgh = vsha256h2q_u32(efgh, prev, wk);
        }
        abcd = vaddq_u32(abcd, abcd0);
        efgh = vaddq_u32(efgh, efgh0);
    }
    vst1q_u32(h, abcd);
    vst1q_u32(h + 4, efgh);
}

}  // namespace evk
