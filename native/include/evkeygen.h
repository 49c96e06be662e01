/*
 * evkeygen native backend: the one public header.
 *
 * A flat C ABI over the key generation of docs/ALGORITHMS.md. Calls are coarse (one call writes a
 * whole key body or a batch of polynomials). Every function returns an int32 status (EVK_OK = 0,
 * negative on error) unless documented otherwise; no C++ exception ever crosses this boundary.
 * The library allocates nothing the caller must free except the session, which evk_close() frees
 * (zeroing all secret material first). Output buffers always belong to the caller.
 *
 * Polynomials are written as n little-endian u64 values, NTT form, bit-reversed order
 * (KEY-FORMAT.md section 2). Functions write .bin *bodies*: the 5-byte headers, tag bytes and
 * container records are written by the caller.
 */
#ifndef EVKEYGEN_H
#define EVKEYGEN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32) && defined(EVK_BUILDING_LIBRARY)
/* PE: export exactly the evk_* functions (one dllexport also stops the linker exporting everything) */
#define EVK_API __declspec(dllexport)
#elif defined(__GNUC__) && !defined(_WIN32)
#define EVK_API __attribute__((visibility("default")))
#else
#define EVK_API
#endif

/**
 * Bumped whenever a signature or a meaning below changes (3: the evk_sha256* functions; 4: the
 * evk_keydata* stream and the SIMD table functions; evk_session_simd_level removed).
 */
#define EVK_ABI_VERSION 4

/* status codes */
#define EVK_OK 0
#define EVK_ERR_ARGUMENT (-1)  /* null pointer, bad index range, bad rank */
#define EVK_ERR_PARAMS (-2)    /* parameters rejected (n, moduli, roots, weight, seed length) */
#define EVK_ERR_BUFFER (-3)    /* output buffer length differs from what the call writes */
#define EVK_ERR_MEMORY (-4)    /* allocation failed */
#define EVK_ERR_INTERNAL (-5)  /* unexpected failure (a bug) */

/* SIMD levels */
#define EVK_SIMD_SCALAR 0 /* portable C++ everywhere, including the software AES */
#define EVK_SIMD_NEON 1   /* ARM64: NEON kernels, ARMv8 AES instructions when present */
#define EVK_SIMD_AVX2 2   /* x86-64: AVX2 kernels, AES-NI */
#define EVK_SIMD_AVX512 3 /* x86-64: AVX-512F/DQ kernels, VAES when present */
/** Levels are 0 .. EVK_SIMD_COUNT - 1, each above the one before on its architecture. */
#define EVK_SIMD_COUNT 4

typedef struct evk_session evk_session;

/** EVK_ABI_VERSION of the library (the Java side refuses a mismatch). */
EVK_API int32_t evk_abi_version(void);

/** Library version string, static storage. */
EVK_API const char *evk_version(void);

/** Best level this CPU supports, ignoring caps. */
EVK_API int32_t evk_simd_best(void);

/**
 * Level that sessions opened from now on use: the best level, capped by the environment variable
 * EVKEYGEN_SIMD (scalar|neon|avx2|avx512, read once) or by evk_set_simd_cap().
 */
EVK_API int32_t evk_simd_level(void);

/**
 * Caps the level of sessions opened afterwards (process-wide, for tests and benchmarks); a level
 * above what the CPU supports, or of the other architecture, gives the best supported level below
 * it. -1 returns to the EVKEYGEN_SIMD / automatic choice. Returns the resulting evk_simd_level().
 */
EVK_API int32_t evk_set_simd_cap(int32_t level);

/** "scalar", "neon", "avx2", "avx512" or "unknown"; static storage. */
EVK_API const char *evk_simd_name(int32_t level);

/** EVK_SIMD_COUNT of the library. */
EVK_API int32_t evk_simd_count(void);

/**
 * 1 when sessions on this CPU can compute at exactly this level (scalar always; a level of the other
 * architecture or above evk_simd_best() never), 0 otherwise, including levels outside
 * 0 .. EVK_SIMD_COUNT - 1.
 */
EVK_API int32_t evk_simd_supported(int32_t level);

/** The level named (as evk_simd_name gives it; case and surrounding blanks ignored), or -1. */
EVK_API int32_t evk_simd_parse(const char *name);

/** Name of the AES implementation a level uses ("soft", "aesni", "vaes", "armv8"); static. */
EVK_API const char *evk_aes_name(int32_t level);

/** One-line English text for a status code; static storage. */
EVK_API const char *evk_status_message(int32_t status);

/** base64 implementation at a level ("scalar" or "vbmi"). */
EVK_API const char *evk_base64_name(int32_t level);

/**
 * Standard base64 with padding (RFC 4648) of len bytes into exactly out_len = 4*ceil(len/3) chars,
 * at the current SIMD level (the envelope writer's key_data). EVK_ERR_BUFFER when out_len differs.
 */
EVK_API int32_t evk_base64_encode(const uint8_t *in, size_t len, uint8_t *out, size_t out_len);

/** SHA-256 compression a level uses ("portable", "sha-ni", "armv8"); "unknown" for a bad level. */
EVK_API const char *evk_sha256_name(int32_t level);

/**
 * Bytes of the opaque SHA-256 state of evk_sha256_init/update/final. The caller allocates it, 8-byte
 * aligned (malloc's alignment is enough), and may move or copy it only between init and final.
 */
EVK_API size_t evk_sha256_state_size(void);

/** Starts a SHA-256 (FIPS 180-4) in state, with the current SIMD level's implementation. */
EVK_API int32_t evk_sha256_init(void *state);

/** Absorbs len bytes. EVK_ERR_ARGUMENT for a state that init did not set up (or final cleared). */
EVK_API int32_t evk_sha256_update(void *state, const uint8_t *in, size_t len);

/**
 * Writes the 32-byte digest (out_len must be 32, else EVK_ERR_BUFFER and the state is kept) and
 * zeroes the state; init starts it again.
 */
EVK_API int32_t evk_sha256_final(void *state, uint8_t *out, size_t out_len);

/** One-shot SHA-256 of len bytes into out (out_len must be 32), at the current SIMD level. */
EVK_API int32_t evk_sha256(const uint8_t *in, size_t len, uint8_t *out, size_t out_len);

/**
 * Key data of an envelope, hashed and base64-encoded in one pass (docs/FORMAT.md: the hash is the
 * SHA-256 of the raw bytes, key_data their standard base64 with padding), so that bytes produced in
 * native memory reach Java only as finished text. The caller allocates the opaque state of
 * evk_keydata_state_size() bytes, 8-byte aligned, as for evk_sha256_init.
 */
EVK_API size_t evk_keydata_state_size(void);

/** Starts a stream (SHA-256 and base64 of the current SIMD level). */
EVK_API int32_t evk_keydata_init(void *state);

/**
 * Hashes len bytes and writes the base64 of every whole 3-byte group the stream now holds to out;
 * up to 2 bytes are kept for the next call. out_cap must be at least 4*ceil(len/3) (else
 * EVK_ERR_BUFFER, nothing consumed). Returns the number of chars written (>= 0), or a negative status.
 */
EVK_API int64_t evk_keydata_update(void *state, const uint8_t *in, size_t len, uint8_t *out, size_t out_cap);

/**
 * Ends the stream: writes the last quantum with its padding (0 or 4 chars) to out (out_cap >= 4)
 * and the 32-byte SHA-256 of all bytes to digest (digest_len must be 32), and zeroes the state.
 * Returns the number of chars written, or a negative status (the state is kept).
 */
EVK_API int64_t evk_keydata_final(void *state, uint8_t *out, size_t out_cap, uint8_t *digest, size_t digest_len);

/**
 * Opens a key set: derives the PRNG from the seed, samples the secret, precomputes its NTT forms.
 * n: ring degree (power of two, 32..65536); q, p: primes = 1 mod 2n below 2^61; psi_q, psi_p:
 * primitive 2n-th roots of unity; weight: exact Hamming weight of the secret; seed: 64 bytes
 * (seed_len must be 64; the library keeps only the HKDF pseudo-random key); threads: worker
 * threads for batches (>= 1; output never depends on it). *out receives the session, or NULL.
 */
EVK_API int32_t evk_open(uint32_t n, uint64_t q, uint64_t p, uint64_t psi_q, uint64_t psi_p,
                         uint32_t weight, const uint8_t *seed, size_t seed_len, int32_t threads,
                         evk_session **out);

/** SecKey.bin body: n/4 bytes of 2-bit codes (len must be n/4). */
EVK_API int32_t evk_seckey_body(evk_session *s, uint8_t *out, size_t len);

/** EncKey.bin body: aQ, aP, bQ, bP (len must be 4 * 8n). */
EVK_API int32_t evk_enckey_body(evk_session *s, uint8_t *out, size_t len);

/**
 * Polynomials [from, to) of the body of EVIKeys<rank>.bin after its 0x03 tag: index 0..3 the
 * relinearization key aQ, aP, bQ, bP; then aQ of mod-pack keys 0..rank-1, then their aP, bQ, bP
 * (4 + 4*rank polynomials in all). rank: power of two dividing n, >= 1. len must be
 * (to - from) * 8n. Computed on the session's threads; the output does not depend on them.
 */
EVK_API int32_t evk_evikeys_polys(evk_session *s, uint32_t rank, uint32_t from, uint32_t to,
                                  uint8_t *out, size_t len);

/** Zeroes every secret, stops the threads and frees the session. NULL is a no-op. */
EVK_API void evk_close(evk_session *s);

#ifdef __cplusplus
}
#endif

#endif /* EVKEYGEN_H */
