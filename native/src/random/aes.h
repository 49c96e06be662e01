// AES-256 in CTR mode (keystream only). Counter block i = 16-byte big-endian integer i; streams
// start at block 0 and never reach 2^64 blocks, so the high 8 bytes are always zero.
#pragma once

#include <cstddef>
#include <cstdint>

namespace evk {

struct AesKey {
    alignas(16) uint8_t rk[240];  // 15 round keys, FIPS-197 byte order (as AES-NI and ARMv8 use them)
};

/** The key schedule of a 32-byte key (portable; the kernels may pick an AES-NI one, same bytes). */
void aes256_expand(const uint8_t key[32], AesKey *out);
using AesExpandFn = void (*)(const uint8_t key[32], AesKey *out);

/** Writes nblocks * 16 keystream bytes for counter blocks first .. first + nblocks - 1. */
using KeystreamFn = void (*)(const AesKey &key, uint64_t first, size_t nblocks, uint8_t *out);

/** Portable byte-oriented AES (see aes_soft.cpp for its side-channel stance). */
void ctr_soft(const AesKey &key, uint64_t first, size_t nblocks, uint8_t *out);
void aes256_encrypt_block_soft(const AesKey &key, const uint8_t in[16], uint8_t out[16]);

#if defined(EVK_HAVE_AESNI)
void ctr_aesni(const AesKey &key, uint64_t first, size_t nblocks, uint8_t *out);
/** aes256_expand with AESKEYGENASSIST: a stream is keyed per polynomial, ~1,200 times a default set. */
void aes256_expand_aesni(const uint8_t key[32], AesKey *out);
#endif
#if defined(EVK_HAVE_VAES)
void ctr_vaes(const AesKey &key, uint64_t first, size_t nblocks, uint8_t *out);
#endif
#if defined(EVK_HAVE_ARMV8_AES)
void ctr_armv8(const AesKey &key, uint64_t first, size_t nblocks, uint8_t *out);
#endif

}  // namespace evk
