// Standard base64 (RFC 4648, with padding) for the envelope writer: the key data of a default key
// set is 12.8 MB, and encoding it is the largest single cost of writing the JSON.
#pragma once

#include <cstddef>
#include <cstdint>

namespace evk {

/** Encodes len bytes (a multiple of 3) into 4*len/3 chars; no padding needed. */
using Base64BodyFn = void (*)(const uint8_t *in, size_t len, char *out);

void base64_body_scalar(const uint8_t *in, size_t len, char *out);
#if defined(EVK_HAVE_VBMI)
void base64_body_vbmi(const uint8_t *in, size_t len, char *out);
#endif

/** Chars needed for len bytes, with padding. */
inline size_t base64_length(size_t len) { return (len + 2) / 3 * 4; }

/** Encodes any length with padding using the kernel's body function for the whole triples. */
void base64_encode(Base64BodyFn body, const uint8_t *in, size_t len, char *out);

}  // namespace evk
