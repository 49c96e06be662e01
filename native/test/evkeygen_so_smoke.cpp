// Smoke test of the shipped shared library itself (not the objects): linked against
// libevkeygen.so, it opens a session through the C ABI (two worker threads), writes SecKey,
// EncKey and a few evaluation-key polynomials, and prints a hash of each body (and SHA-256 of SecKey). CI runs it under
// the host's glibc and under glibc 2.17's loader and requires the same output (issue 12).
#include <cstdint>
#include <cstdio>
#include <vector>

#include "evkeygen.h"

namespace {

uint64_t fnv1a(const std::vector<uint8_t> &d) {
    uint64_t h = 1469598103934665603ull;
    for (uint8_t b : d) h = (h ^ b) * 1099511628211ull;
    return h;
}

int fail(const char *what, int32_t st) {
    std::printf("evkeygen_so_smoke: %s failed: %s\n", what, evk_status_message(st));
    return 1;
}

}  // namespace

int main() {
    const uint32_t n = 4096;
    uint8_t seed[64];
    for (int i = 0; i < 64; i++) seed[i] = static_cast<uint8_t>(i);
    evk_session *s = nullptr;
    int32_t st = evk_open(n, 2251799813554177ull, 36028797014376449ull, 278055349447ull, 115736144453ull, 2730, seed,
                          64, 2, &s);
    if (st != EVK_OK) return fail("evk_open", st);
    std::vector<uint8_t> sec(n / 4), enc(4 * 8 * n), polys(4 * 8 * n);
    if ((st = evk_seckey_body(s, sec.data(), sec.size())) != EVK_OK) return fail("evk_seckey_body", st);
    if ((st = evk_enckey_body(s, enc.data(), enc.size())) != EVK_OK) return fail("evk_enckey_body", st);
    if ((st = evk_evikeys_polys(s, 32, 0, 4, polys.data(), polys.size())) != EVK_OK) return fail("evk_evikeys_polys", st);
    evk_close(s);
    uint8_t digest[32];
    if ((st = evk_sha256(sec.data(), sec.size(), digest, 32)) != EVK_OK) return fail("evk_sha256", st);
    // no implementation name: CI compares this output across architectures
    std::printf("sha256(sec) %02x%02x%02x%02x\n", digest[0], digest[1], digest[2], digest[3]);
    std::printf("evkeygen %s abi %d: sec %016llx enc %016llx evk32[0,4) %016llx\n", evk_version(),
                static_cast<int>(evk_abi_version()), static_cast<unsigned long long>(fnv1a(sec)),
                static_cast<unsigned long long>(fnv1a(enc)), static_cast<unsigned long long>(fnv1a(polys)));
    return 0;
}
