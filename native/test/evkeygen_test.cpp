// Native tests: primitives against published vectors, every compiled SIMD path against scalar
// (NTT, samplers, whole keys), the golden digests of GoldenDigestTest, and the C ABI's checks.
//   evkeygen_test              all of it, every level this CPU supports
//   evkeygen_test --env-level  the level chosen by EVKEYGEN_SIMD: cap honoured, digests match
//   evkeygen_test --ct         constant-time check (EVK_CT_CHECK builds, under valgrind memcheck):
//                              whole key sets from a seed marked undefined, see ct_check()
// Prints "N passed, N failed" and exits non-zero on any failure.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "evkeygen.h"
#include "keyset.h"
#include "format/base64.h"
#include "random/aes.h"
#include "random/samplers.h"
#include "random/sha256.h"
#include "random/stream.h"
#include "ring/ct.h"
#include "ring/modulus.h"
#include "ring/ntt.h"
#include "simd/kernels.h"

using namespace evktest;

namespace {

int g_pass = 0, g_fail = 0;
bool g_quick = false;  // --quick (valgrind): one key set per level, smaller NTT checks

void check(bool ok, const std::string &what) {
    if (ok) {
        g_pass++;
    } else {
        g_fail++;
        std::printf("FAIL: %s\n", what.c_str());
    }
}

void check_eq(const std::string &got, const std::string &want, const std::string &what) {
    check(got == want, what + (got == want ? "" : " (got " + got + ", want " + want + ")"));
}

std::vector<uint8_t> unhex(const char *h) {
    std::vector<uint8_t> v;
    for (size_t i = 0; h[i] && h[i + 1]; i += 2) v.push_back(uint8_t(std::stoi(std::string(h + i, 2), nullptr, 16)));
    return v;
}

// Seeded output pinned by src/test/java/io/evkeygen/engine/GoldenDigestTest.java (seed 00..3f).
const char *GOLDEN_SEC = "08baf5dc38ca036c107b4e53f0b8f2b7a4f84550144f6f5257752029ed5c9c6a";
const char *GOLDEN_ENC = "4ef5c39fe0455bd918048f334b8e9912a05475489359bdbf114aaf385b0828d8";
const char *GOLDEN_EVAL_RMP_1024 = "d6194858ac60222fe9bce11048ca47bf9cd93496f5d9bb878689fe215622e291";
// EvalKey.bin for the default RMP list (32..4096), same seed: produced by the Java backend
// (NativeEngineEquivalenceTest compares the backends on it) and by x86-64 scalar.
const char *GOLDEN_EVAL_RMP_DEFAULT = "f7cc7cd4b84549d0adbbcde0d246214d0477b3960356650f5b2a92ecaae08ae4";

void golden_seed(uint8_t seed[64]) {
    for (int i = 0; i < 64; i++) seed[i] = uint8_t(i);
}

std::vector<int> available_levels() {
    std::vector<int> v;
    for (int level = 0; level < evk_simd_count(); level++) {
        if (evk_simd_supported(level)) v.push_back(level);
    }
    return v;
}

void test_sha_hmac_hkdf() {
    uint8_t d[32];
    evk::sha256(reinterpret_cast<const uint8_t *>("abc"), 3, d);
    check_eq(hex(d, 32), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "SHA-256(abc)");
    std::string m(1000, 'a');
    evk::sha256(reinterpret_cast<const uint8_t *>(m.data()), 0, d);
    check_eq(hex(d, 32), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "SHA-256(empty)");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    evk::sha256(reinterpret_cast<const uint8_t *>(two), std::strlen(two), d);
    check_eq(hex(d, 32), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", "SHA-256(448 bits)");
    // RFC 4231 test case 2
    evk::hmac_sha256(reinterpret_cast<const uint8_t *>("Jefe"), 4,
                     reinterpret_cast<const uint8_t *>("what do ya want for nothing?"), 28, d);
    check_eq(hex(d, 32), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", "HMAC RFC 4231 #2");
    // RFC 4231 test case 6 (key longer than a block)
    std::vector<uint8_t> k6(131, 0xaa);
    const char *msg6 = "Test Using Larger Than Block-Size Key - Hash Key First";
    evk::hmac_sha256(k6.data(), k6.size(), reinterpret_cast<const uint8_t *>(msg6), std::strlen(msg6), d);
    check_eq(hex(d, 32), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54", "HMAC RFC 4231 #6");
    // RFC 5869 test case 1
    auto ikm = unhex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
    auto salt = unhex("000102030405060708090a0b0c");
    auto info = unhex("f0f1f2f3f4f5f6f7f8f9");
    uint8_t prk[32];
    evk::hkdf_extract(salt.data(), salt.size(), ikm.data(), ikm.size(), prk);
    check_eq(hex(prk, 32), "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5", "HKDF-Extract RFC 5869 #1");
    uint8_t okm[32];
    evk::hkdf_expand32(prk, info.data(), info.size(), okm, 32);
    check_eq(hex(okm, 32), "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf", "HKDF-Expand RFC 5869 #1 (T1)");
}

// FIPS 180-4 example messages (NIST CSRC "SHA256.pdf", "SHA2_Additional.pdf") and their digests
struct ShaVector {
    std::string msg;
    const char *digest;
};

std::vector<ShaVector> sha256_vectors() {
    return {{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
            {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
            {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
             "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
            {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
             "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
            {std::string(1000000, 'a'), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"}};
}

std::string sha256_with(evk::Sha256BlocksFn fn, const uint8_t *data, size_t len) {
    evk::Sha256 h(fn);
    h.update(data, len);
    uint8_t d[32];
    h.finish(d);
    return hex(d, 32);
}

/** The C ABI's streaming calls over the given split points (ascending, within len). */
std::string sha256_streamed(const uint8_t *data, size_t len, const std::vector<size_t> &cuts) {
    std::vector<uint64_t> state((evk_sha256_state_size() + 7) / 8);
    EVK_CHECK_OK(evk_sha256_init(state.data()));
    size_t at = 0;
    for (size_t c : cuts) {
        EVK_CHECK_OK(evk_sha256_update(state.data(), data + at, c - at));
        at = c;
    }
    EVK_CHECK_OK(evk_sha256_update(state.data(), data + at, len - at));
    uint8_t d[32];
    EVK_CHECK_OK(evk_sha256_final(state.data(), d, 32));
    return hex(d, 32);
}

void test_sha256_paths() {
    // every level's compression (and the C ABI at that level) on the FIPS 180-4 examples
    for (int level : available_levels()) {
        evk_set_simd_cap(level);
        const evk::Kernels &k = evk::kernels_for(level);
        const std::string at = std::string(" (") + k.sha256_name + " at " + evk::simd_name(level) + ")";
        check_eq(evk_sha256_name(level), k.sha256_name, "evk_sha256_name" + at);
        for (const ShaVector &v : sha256_vectors()) {
            const auto *m = reinterpret_cast<const uint8_t *>(v.msg.data());
            const std::string what = "SHA-256 of " + std::to_string(v.msg.size()) + " bytes" + at;
            check_eq(sha256_with(k.sha256_blocks, m, v.msg.size()), v.digest, what);
            uint8_t d[32];
            EVK_CHECK_OK(evk_sha256(m, v.msg.size(), d, 32));
            check_eq(hex(d, 32), v.digest, "evk_sha256 " + what);
            check_eq(sha256_streamed(m, v.msg.size(), {v.msg.size() / 3, v.msg.size() / 2}), v.digest,
                     "evk_sha256_update in 3 parts " + what);
        }
    }
    evk_set_simd_cap(-1);
    check_eq(evk_sha256_name(EVK_SIMD_SCALAR), "portable", "scalar level hashes with the portable code");
    // lengths 0..300 at odd offsets, one-shot and random splits, against the portable compression
    std::mt19937_64 rng(256);
    std::vector<uint8_t> data(301 + 3);
    for (auto &b : data) b = uint8_t(rng());
    bool ok = true;
    for (int level : available_levels()) {
        evk_set_simd_cap(level);
        const evk::Kernels &k = evk::kernels_for(level);
        for (size_t len = 0; len <= 300; len++) {
            const uint8_t *m = data.data() + 1 + len % 3;  // unaligned input too
            const std::string want = sha256_with(evk::sha256_blocks_portable, m, len);
            std::vector<size_t> cuts;
            for (int c = int(rng() % 5); c > 0 && len > 0; c--) cuts.push_back(rng() % (len + 1));
            std::sort(cuts.begin(), cuts.end());
            uint8_t d[32];
            EVK_CHECK_OK(evk_sha256(m, len, d, 32));
            const bool same = sha256_with(k.sha256_blocks, m, len) == want && hex(d, 32) == want &&
                              sha256_streamed(m, len, cuts) == want;
            if (!same && ok) std::printf("SHA-256 %s differs from portable at length %zu\n", k.sha256_name, len);
            ok = ok && same;
        }
    }
    evk_set_simd_cap(-1);
    check(ok, "SHA-256 of lengths 0..300, one-shot and split, equals the portable code at every level");
    // the state's checks
    std::vector<uint64_t> state((evk_sha256_state_size() + 7) / 8 + 1);
    uint8_t d[32];
    check(evk_sha256_update(state.data(), d, 1) == EVK_ERR_ARGUMENT, "sha256: update before init refused");
    check(evk_sha256_init(reinterpret_cast<uint8_t *>(state.data()) + 4) == EVK_ERR_ARGUMENT, "sha256: misaligned state");
    check(evk_sha256_init(nullptr) == EVK_ERR_ARGUMENT, "sha256: null state");
    EVK_CHECK_OK(evk_sha256_init(state.data()));
    check(evk_sha256_update(state.data(), nullptr, 1) == EVK_ERR_ARGUMENT, "sha256: null input");
    check(evk_sha256_final(state.data(), d, 31) == EVK_ERR_BUFFER, "sha256: digest length 31 refused");
    EVK_CHECK_OK(evk_sha256_final(state.data(), d, 32));
    check_eq(hex(d, 32), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "sha256: final after refusal");
    bool zero = true;
    for (size_t i = 0; i < evk_sha256_state_size() / 8; i++) zero = zero && state[i] == 0;
    check(zero, "sha256: final zeroes the state");
    check(evk_sha256_update(state.data(), d, 1) == EVK_ERR_ARGUMENT, "sha256: update after final refused");
    check(evk_sha256(d, 1, d, 33) == EVK_ERR_BUFFER && evk_sha256(nullptr, 1, d, 32) == EVK_ERR_ARGUMENT,
          "sha256 one-shot: argument checks");
}

void test_aes() {
    // FIPS-197 C.3
    auto key = unhex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    auto pt = unhex("00112233445566778899aabbccddeeff");
    evk::AesKey k;
    evk::aes256_expand(key.data(), &k);
    uint8_t ct[16];
    evk::aes256_encrypt_block_soft(k, pt.data(), ct);
    check_eq(hex(ct, 16), "8ea2b7ca516745bfeafc49904b496089", "AES-256 FIPS-197 C.3 (soft)");
    // CTR: every implementation against soft, on odd lengths and counters
    std::vector<uint8_t> ref(16 * 1000), got(16 * 1000);
    for (int level : available_levels()) {
        const evk::Kernels &kr = evk::kernels_for(level);
        for (size_t blocks : {1u, 7u, 8u, 15u, 16u, 17u, 999u}) {
            for (uint64_t first : {0ull, 5ull, 0xfffffffffull}) {
                evk::ctr_soft(k, first, blocks, ref.data());
                std::fill(got.begin(), got.end(), 0);
                kr.keystream(k, first, blocks, got.data());
                check(std::memcmp(ref.data(), got.data(), 16 * blocks) == 0,
                      std::string("CTR ") + kr.aes_name + " blocks=" + std::to_string(blocks) + " first=" + std::to_string(first));
            }
        }
    }
    // every level's key schedule gives the portable one's bytes: FIPS-197 A.3's key, then 200 random keys
    std::mt19937_64 rng(42);
    for (int level : available_levels()) {
        const evk::Kernels &kr = evk::kernels_for(level);
        evk::AesKey want, have;
        std::vector<uint8_t> kb(key);
        int first_bad = -1;
        for (int i = 0; i <= 200 && first_bad < 0; i++) {
            if (i > 0) {
                for (auto &b : kb) b = static_cast<uint8_t>(rng());
            }
            evk::aes256_expand(kb.data(), &want);
            std::memset(&have, 0xa5, sizeof have);
            kr.aes_expand(kb.data(), &have);
            if (std::memcmp(want.rk, have.rk, sizeof want.rk) != 0) first_bad = i;
        }
        check(first_bad < 0, std::string("AES-256 key schedule at ") + evk::simd_name(level) + " (aes " + kr.aes_name +
                                 "), first differing key " + std::to_string(first_bad));
    }
    // SP 800-38A style check of the counter layout: block 1 = AES(00..00 01)
    uint8_t one[16] = {0};
    one[15] = 1;
    uint8_t e1[16];
    evk::aes256_encrypt_block_soft(k, one, e1);
    uint8_t ks[32];
    evk::ctr_soft(k, 0, 2, ks);
    check(std::memcmp(ks + 16, e1, 16) == 0, "CTR block 1 is AES(big-endian 1)");
}

void test_prng_stream() {
    // words and next_word agree, across buffer boundaries
    uint8_t seed[64];
    golden_seed(seed);
    evk::Prng prng(seed, 64);
    for (int level : available_levels()) {
        const evk::Kernels &kr = evk::kernels_for(level);
        evk::Stream a(prng, "x", kr.keystream), b(prng, "x", evk::ctr_soft);
        std::vector<uint64_t> wa(1001), wb(1001);
        a.next_word();
        a.words(wa.data(), 3);
        a.words(wa.data() + 3, 998);
        b.next_word();
        for (auto &w : wb) w = b.next_word();
        check(wa == wb, std::string("stream words == next_word at ") + evk::simd_name(level));
    }
}

void test_ntt() {
    std::mt19937_64 rng(42);
    for (uint64_t q : {Ip0::q, Ip0::p}) {
        // scalar NTT against O(n^2) evaluation at n = 32 and 64
        for (uint32_t n : {32u, 64u}) {
            uint64_t g = 0;
            for (uint64_t c = 2; c < 1000 && g == 0; c++) {
                uint64_t cand = evk::pow_mod(c, (q - 1) / (2 * n), q);
                if (evk::is_primitive_2n_root(cand, n, q)) g = cand;
            }
            evk::NttTables tb(n, q, g);
            std::vector<uint64_t> a(n), want(n);
            for (auto &v : a) v = rng() % q;
            a[0] = q - 1;
            evk::ntt_naive(tb, a.data(), want.data());
            std::vector<uint64_t> got = a;
            evk::ntt_forward_scalar(tb, got.data());
            check(got == want, "scalar NTT == naive, n=" + std::to_string(n) + " q=" + std::to_string(q));
            for (int level : available_levels()) {
                evk::AlignedU64 v(n);
                std::memcpy(v.data(), a.data(), n * 8);
                evk::kernels_for(level).ntt_forward(tb, v.data());
                check(std::memcmp(v.data(), want.data(), n * 8) == 0,
                      std::string("NTT n=") + std::to_string(n) + " at " + evk::simd_name(level));
            }
        }
        // every level against scalar at N = 4096, random and extreme inputs
        auto tb = evk::ntt_tables(4096, q, q == Ip0::q ? Ip0::psi_q : Ip0::psi_p);
        // the strided transform (mod-pack sources) equals the full one
        for (uint32_t stride : {1u, 2u, 32u, 64u, 256u, 4096u}) {
            std::vector<uint64_t> a(4096, 0);
            for (uint32_t j = 0; j < 4096; j += stride) a[j] = (rng() & 1) ? q - 1 - (rng() % 3) : rng() % 3;
            std::vector<uint64_t> full = a;
            evk::ntt_forward_scalar(*tb, full.data());
            evk::ntt_forward_strided(*tb, a.data(), stride);
            check(a == full, "strided NTT, stride " + std::to_string(stride) + " q=" + std::to_string(q));
        }
        for (int round = 0; round < (g_quick ? 2 : 4); round++) {
            std::vector<uint64_t> a(4096);
            for (auto &v : a) v = round == 1 ? q - 1 : (round == 2 ? (rng() & 1 ? q - 1 : 0) : rng() % q);
            std::vector<uint64_t> ref = a;
            evk::ntt_forward_scalar(*tb, ref.data());
            for (int level : available_levels()) {
                evk::AlignedU64 v(4096);
                std::memcpy(v.data(), a.data(), 4096 * 8);
                evk::kernels_for(level).ntt_forward(*tb, v.data());
                check(std::memcmp(v.data(), ref.data(), 4096 * 8) == 0,
                      std::string("NTT 4096 round ") + std::to_string(round) + " q=" + std::to_string(q) + " at " +
                          evk::simd_name(level));
            }
        }
    }
}

void test_kernels() {
    std::mt19937_64 rng(7);
    const size_t n = 4096 + 5;  // odd tail exercises the scalar remainders
    for (uint64_t q : {Ip0::q, Ip0::p}) {
        std::vector<uint64_t> words(n), a(n), s(n), ss(n), src(n), b0(n);
        for (size_t i = 0; i < n; i++) {
            words[i] = rng();
            a[i] = rng() % q;
            s[i] = i < 3 ? q - 1 - i : rng() % q;
            ss[i] = evk::shoup(s[i], q);
            src[i] = rng() % q;
            b0[i] = i < 5 ? q - 1 : rng() % q;
        }
        // a few words on the CDT edges
        for (int j = 0; j < 19; j++) {
            words[2 * j] = evk::ERROR_CDT[j] | (uint64_t(j & 1) << 63);
            words[2 * j + 1] = (evk::ERROR_CDT[j] - 1) | (uint64_t(j & 2) << 62);
        }
        words[40] = 0;
        words[41] = 1ull << 63;
        std::vector<uint64_t> e_ref(n), uf_ref = words;
        evk::error_residues_scalar(words.data(), n, q, e_ref.data());
        const uint64_t mask = (1ull << evk::bit_length(q)) - 1;
        // make the filter reject some: inflate values above q
        for (size_t i = 0; i < n; i += 7) uf_ref[i] |= mask;
        std::vector<uint64_t> uf_in = uf_ref;
        size_t kept_ref = evk::uniform_filter_scalar(uf_ref.data(), n, mask, q);
        std::vector<uint64_t> c_ref = b0, c2_ref = b0;
        evk::combine_scalar(c_ref.data(), a.data(), s.data(), ss.data(), nullptr, q, n);
        evk::combine_scalar(c2_ref.data(), a.data(), s.data(), ss.data(), src.data(), q, n);
        for (int level : available_levels()) {
            const evk::Kernels &k = evk::kernels_for(level);
            std::string at = std::string(" at ") + evk::simd_name(level) + " q=" + std::to_string(q);
            std::vector<uint64_t> e(n);
            k.error_residues(words.data(), n, q, e.data());
            check(e == e_ref, "error sampler" + at);
            std::vector<uint64_t> uf = uf_in;
            size_t kept = k.uniform_filter(uf.data(), n, mask, q);
            check(kept == kept_ref && std::memcmp(uf.data(), uf_ref.data(), kept * 8) == 0, "uniform filter" + at);
            std::vector<uint64_t> c = b0, c2 = b0;
            k.combine(c.data(), a.data(), s.data(), ss.data(), nullptr, q, n);
            k.combine(c2.data(), a.data(), s.data(), ss.data(), src.data(), q, n);
            check(c == c_ref && c2 == c2_ref, "combine" + at);
        }
        // the CDT meaning: k = #{j : m >= T[j]}, sign from bit 63, -0 = 0
        check(e_ref[40] == 0 && e_ref[41] == 0, "error: zero magnitude gives 0 for both signs");
        check(e_ref[0] == 1 && e_ref[2] == q - 2, "error: CDT boundaries");
    }
}

// The partial Fisher-Yates sampler as it was before the constant-time version (branches and
// addresses depend on the secret): the definition the constant-time one must reproduce exactly.
void sample_ternary_reference(evk::Stream &st, uint32_t n, uint32_t weight, int8_t *s) {
    std::vector<uint32_t> pos(n);
    for (uint32_t i = 0; i < n; i++) pos[i] = i;
    std::memset(s, 0, n);
    for (uint32_t i = 0; i < weight; i++) {
        const uint64_t bound = n - i;
        const uint64_t limit = (1ull << 32) - ((1ull << 32) % bound);
        uint64_t w, low;
        do {
            w = st.next_word();
            low = w & 0xffffffffull;
        } while (low >= limit);
        uint32_t j = i + static_cast<uint32_t>(low % bound);
        uint32_t t = pos[i];
        pos[i] = pos[j];
        pos[j] = t;
        s[pos[i]] = (w >> 63) ? int8_t(-1) : int8_t(1);
    }
}

void test_constant_time_arith() {
    // CtDivisor::mod == % : edge values of every divisor the samplers can use (1 .. 65536) and
    // random 32-bit values for them; then random divisors up to 2^32
    std::mt19937_64 rng(11);
    bool ok = true;
    auto one = [&](uint64_t d, uint64_t x) {
        if (evk::CtDivisor(d).mod(x) != x % d) {
            if (ok) std::printf("CtDivisor(%llu).mod(%llu) != %%\n", (unsigned long long)d, (unsigned long long)x);
            ok = false;
        }
    };
    const uint32_t ndiv = g_quick ? 4096 : 65536;
    for (uint64_t d = 1; d <= ndiv; d++) {
        const uint64_t top = 0xffffffffull;
        for (uint64_t x : {uint64_t(0), uint64_t(1), d - 1, d, d + 1, 2 * d - 1, 2 * d, top, top - 1, top - top % d,
                           top - top % d - 1, (top / d) * d, (top / d) * d - 1})
            if (x <= top) one(d, x);
        for (int r = 0; r < (g_quick ? 4 : 64); r++) one(d, rng() & top);
    }
    for (int r = 0; r < (g_quick ? 20000 : 2000000); r++) {
        uint64_t d = (rng() & 0xffffffffull) + 1, x = rng() & 0xffffffffull;
        one(d, x);
        one(d, x - x % d + d - 1 <= 0xffffffffull ? x - x % d + d - 1 : x);
    }
    check(ok, "CtDivisor::mod equals % (32-bit values, divisors 1..65536 and random)");
    // CtModulus against the 128-bit division forms
    for (uint64_t q : {Ip0::q, Ip0::p, uint64_t(3), uint64_t(2305843009213693951ull) /* 2^61 - 1 */}) {
        evk::CtModulus m(q);
        bool good = true;
        for (int r = 0; r < (g_quick ? 2000 : 200000); r++) {
            uint64_t a = r < 3 ? q - 1 - r % 2 : rng() % q, b = r < 2 ? q - 1 : rng() % q;
            if (r == 2) a = 0;
            good = good && m.mul(a, b) == evk::mul_mod(a, b, q) && m.shoup(a) == evk::shoup(a, q) &&
                   evk::mul_shoup(b, a, evk::shoup(a, q), q) == evk::mul_mod(a, b, q) &&
                   evk::ct_sub_if_ge(a + (b & 1 ? q : 0), q) == a;
        }
        check(good, "CtModulus mul/shoup equal mul_mod/shoup, q=" + std::to_string(q));
    }
}

void test_ternary_reference() {
    // the constant-time sampler against the old algorithm, many seeds and shapes
    const struct { uint32_t n, weight; } shapes[] = {{4096, 2730}, {4096, 64}, {32, 32}, {32, 1}, {1024, 1023}, {65536, 17}};
    int seeds = g_quick ? 3 : 60;
    bool ok = true;
    for (const auto &sh : shapes) {
        for (int sd = 0; sd < seeds; sd++) {
            uint8_t seed[64];
            for (int i = 0; i < 64; i++) seed[i] = uint8_t(sd * 131 + i * 3 + sh.n + sh.weight);
            evk::Prng prng(seed, 64);
            evk::Stream a(prng, "secret", evk::ctr_soft), b(prng, "secret", evk::ctr_soft);
            std::vector<int8_t> got(sh.n, 7), want(sh.n);
            evk::sample_ternary(a, sh.n, sh.weight, got.data());
            sample_ternary_reference(b, sh.n, sh.weight, want.data());
            bool same = got == want && a.next_word() == b.next_word();  // same words consumed
            if (!same && ok) std::printf("ternary differs: n=%u h=%u seed %d\n", sh.n, sh.weight, sd);
            ok = ok && same;
            if (sh.n == 65536) break;  // one is enough at that size
        }
    }
    check(ok, "sample_ternary equals the reference Fisher-Yates (same s, same words consumed)");
}

void test_base64() {
    // RFC 4648 section 10 vectors through the C ABI, then every level against scalar on random data
    const char *plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    const char *coded[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
    for (int i = 0; i < 7; i++) {
        size_t len = std::strlen(plain[i]);
        std::string out(evk::base64_length(len), '?');
        int32_t st = evk_base64_encode(reinterpret_cast<const uint8_t *>(plain[i]), len,
                                       reinterpret_cast<uint8_t *>(&out[0]), out.size());
        check(st == EVK_OK && out == coded[i], std::string("base64 RFC 4648 of \"") + plain[i] + "\"");
    }
    uint8_t one = 0;
    uint8_t small[3];
    check(evk_base64_encode(&one, 1, small, 3) == EVK_ERR_BUFFER, "base64: wrong output length refused");
    std::mt19937_64 rng(11);
    std::vector<uint8_t> data(48 * 40 + 47);
    for (auto &b : data) b = uint8_t(rng());
    for (size_t len : {size_t(0), size_t(3), size_t(45), size_t(48), size_t(51), size_t(96), size_t(48 * 40),
                       size_t(48 * 40 + 45)}) {
        std::string ref(len / 3 * 4, '?');
        evk::base64_body_scalar(data.data(), len, &ref[0]);
        for (int level : available_levels()) {
            const evk::Kernels &k = evk::kernels_for(level);
            std::string got(len / 3 * 4, '?');
            k.base64_body(data.data(), len, &got[0]);
            check(got == ref, std::string("base64 ") + k.base64_name + " at " + evk::simd_name(level) + " len " +
                                  std::to_string(len));
        }
    }
}

void test_simd_table() {
    check(evk_simd_count() == EVK_SIMD_COUNT, "evk_simd_count is EVK_SIMD_COUNT");
    check(evk_simd_supported(EVK_SIMD_SCALAR) == 1 && evk_simd_supported(evk_simd_best()) == 1,
          "scalar and the best level are supported");
    check(evk_simd_supported(-1) == 0 && evk_simd_supported(EVK_SIMD_COUNT) == 0, "levels outside the table are not");
    check(evk_simd_supported(EVK_SIMD_NEON) == 0 || evk_simd_supported(EVK_SIMD_AVX2) == 0,
          "neon and avx2 never both (one architecture)");
    for (int level = 0; level < EVK_SIMD_COUNT; level++) {
        std::string name = evk_simd_name(level);
        check(evk_simd_parse(name.c_str()) == level, "evk_simd_parse(evk_simd_name(" + std::to_string(level) + "))");
        std::string loud = " " + name + "\t";
        for (auto &c : loud) c = char(std::toupper(static_cast<unsigned char>(c)));
        check(evk_simd_parse(loud.c_str()) == level, "evk_simd_parse ignores case and blanks: " + loud);
    }
    check(evk_simd_parse("sse2") == -1 && evk_simd_parse("") == -1 && evk_simd_parse(nullptr) == -1,
          "evk_simd_parse: unknown names are -1");
    check_eq(evk_simd_name(EVK_SIMD_COUNT), "unknown", "evk_simd_name past the table");
}

// The stream of evk_keydata_* against the one-shot evk_base64_encode and evk_sha256, cut anywhere.
// Updates end at each cut, then at len.
std::string keydata_streamed(const uint8_t *data, size_t len, const std::vector<size_t> &cuts, std::string *digest) {
    std::vector<uint64_t> state((evk_keydata_state_size() + 7) / 8);
    EVK_CHECK_OK(evk_keydata_init(state.data()));
    std::string text;
    size_t at = 0;
    std::vector<size_t> ends(cuts);
    ends.push_back(len);
    for (size_t c : ends) {
        std::string part(evk::base64_length(c - at), '?');
        int64_t n = evk_keydata_update(state.data(), data + at, c - at, reinterpret_cast<uint8_t *>(&part[0]), part.size());
        check(n >= 0, "evk_keydata_update");
        text.append(part, 0, size_t(n < 0 ? 0 : n));
        at = c;
    }
    uint8_t tail[4], d[32];
    int64_t n = evk_keydata_final(state.data(), tail, sizeof tail, d, sizeof d);
    check(n == 0 || n == 4, "evk_keydata_final writes 0 or 4 chars");
    text.append(reinterpret_cast<char *>(tail), size_t(n < 0 ? 0 : n));
    *digest = hex(d, 32);
    return text;
}

void test_keydata() {
    std::mt19937_64 rng(23);
    std::vector<uint8_t> data(300001);
    for (auto &b : data) b = uint8_t(rng());
    bool ok = true;
    for (int level : available_levels()) {
        evk_set_simd_cap(level);
        for (size_t len : {size_t(0), size_t(1), size_t(2), size_t(3), size_t(64), size_t(1000), size_t(300001)}) {
            std::string want(evk::base64_length(len), '?');
            EVK_CHECK_OK(evk_base64_encode(data.data(), len, reinterpret_cast<uint8_t *>(&want[0]), want.size()));
            uint8_t d[32];
            EVK_CHECK_OK(evk_sha256(data.data(), len, d, 32));
            std::vector<std::vector<size_t>> cut_sets{{}, {len / 2}};
            if (len >= 6) cut_sets.push_back({len / 3, len / 3 + 1, len / 3 + 2, len / 2});  // 1-byte updates
            for (int r = 0; r < 4; r++) {
                std::vector<size_t> cuts;
                for (size_t at = 0; at < len;) {
                    at = std::min(len, at + 1 + size_t(rng() % 70000));
                    cuts.push_back(at);
                }
                cut_sets.push_back(cuts);
            }
            for (const auto &cuts : cut_sets) {
                std::string digest;
                std::string text = keydata_streamed(data.data(), len, cuts, &digest);
                if ((text != want || digest != hex(d, 32)) && ok) {
                    std::printf("keydata differs at %s, length %zu, %zu cuts\n", evk_simd_name(level), len, cuts.size());
                    ok = false;
                }
            }
        }
    }
    evk_set_simd_cap(-1);
    check(ok, "evk_keydata stream == evk_base64_encode + evk_sha256, at every level and cut");

    std::vector<uint64_t> state((evk_keydata_state_size() + 7) / 8 + 1);
    uint8_t out[8], d[32];
    check(evk_keydata_update(state.data(), data.data(), 1, out, 8) == EVK_ERR_ARGUMENT, "keydata: update before init");
    check(evk_keydata_init(reinterpret_cast<uint8_t *>(state.data()) + 4) == EVK_ERR_ARGUMENT, "keydata: misaligned");
    EVK_CHECK_OK(evk_keydata_init(state.data()));
    check(evk_keydata_update(state.data(), data.data(), 4, out, 7) == EVK_ERR_BUFFER, "keydata: short output refused");
    check(evk_keydata_update(state.data(), data.data(), 2, out, 4) == 0, "keydata: 2 bytes wait for a third");
    check(evk_keydata_final(state.data(), out, 3, d, 32) == EVK_ERR_BUFFER, "keydata: final needs 4 chars of room");
    check(evk_keydata_final(state.data(), out, 4, d, 32) == 4, "keydata: final pads the last quantum");
    check(evk_keydata_update(state.data(), data.data(), 1, out, 8) == EVK_ERR_ARGUMENT, "keydata: update after final");
    bool zero = true;
    for (size_t i = 0; i < evk_keydata_state_size() / 8; i++) zero = zero && state[i] == 0;
    check(zero, "keydata: final zeroes the state");
}

void test_whole_keys() {
    uint8_t seed[64];
    golden_seed(seed);
    std::vector<Digests> per_level;
    for (int level : available_levels()) {
        evk_set_simd_cap(level);
        check(evk_simd_level() == level, std::string("cap to ") + evk::simd_name(level));
        Digests d = key_set_digests(seed, "RMP", {1024}, g_quick ? 2 : 1);
        std::string at = std::string(" at ") + evk::simd_name(level);
        check_eq(d.sec, GOLDEN_SEC, "golden SecKey.bin" + at);
        check_eq(d.enc, GOLDEN_ENC, "golden EncKey.bin" + at);
        check_eq(d.eval, GOLDEN_EVAL_RMP_1024, "golden EvalKey.bin RMP [1024]" + at);
        if (g_quick) continue;
        // another seed, FLAT [32, 64], threads and batch sizes varied: must equal scalar
        uint8_t other[64];
        for (int i = 0; i < 64; i++) other[i] = uint8_t(0xa5 ^ (i * 7));
        Digests f = key_set_digests(other, "FLAT", {32, 64}, 1 + level % 3, 5 + level);
        per_level.push_back(f);
    }
    for (size_t i = 1; i < per_level.size(); i++) {
        check(per_level[i].sec == per_level[0].sec && per_level[i].enc == per_level[0].enc &&
                  per_level[i].eval == per_level[0].eval,
              "FLAT [32,64] other seed: level " + std::to_string(i) + " == scalar");
    }
    evk_set_simd_cap(-1);
    if (g_quick) return;
    // thread count and batch size never change the bytes
    Digests t1 = key_set_digests(seed, "RMP", {32, 4096}, 1, 16);
    Digests t3 = key_set_digests(seed, "RMP", {32, 4096}, 3, 7);
    check(t1.eval == t3.eval && t1.enc == t3.enc, "1 thread / batch 16 == 3 threads / batch 7");
    std::printf("digests RMP [32,4096] seed 00..3f: eval %s\n", t1.eval.c_str());
}

// The C++ runtime pieces the glibc 2.17 compatibility layer (src/compat) redirects, exercised here
// so that CI's run under glibc 2.17's loader covers them: exceptions (the unwinder's FDE lookup),
// threads, thread-local keys and std::random_device (getentropy/arc4random).
void test_runtime() {
    bool caught = false;
    try {
        evk::NttTables bad(64, Ip0::q, 1);  // 1 is no primitive root: throws
    } catch (const std::invalid_argument &) {
        caught = true;
    }
    check(caught, "runtime: exception thrown in the library objects is caught");
    int ran = 0;
    std::thread t([&ran] { ran = 1; });
    t.join();
    check(ran == 1, "runtime: std::thread runs and joins");
    std::random_device rd;
    unsigned a = rd(), b = rd(), c = rd();
    check(!(a == b && b == c), "runtime: std::random_device gives varying words");
}

void test_abi_errors() {
    uint8_t seed[64] = {0};
    evk_session *s = nullptr;
    check(evk_open(Ip0::n, Ip0::q, Ip0::p, Ip0::psi_q, Ip0::psi_p, Ip0::weight, seed, 63, 1, &s) == EVK_ERR_PARAMS && !s,
          "seed length checked");
    check(evk_open(Ip0::n, Ip0::q, Ip0::p, Ip0::psi_q + 1, Ip0::psi_p, Ip0::weight, seed, 64, 1, &s) == EVK_ERR_PARAMS,
          "psi checked");
    check(evk_open(Ip0::n, Ip0::q + 2, Ip0::p, Ip0::psi_q, Ip0::psi_p, Ip0::weight, seed, 64, 1, &s) == EVK_ERR_PARAMS,
          "modulus checked");
    check(evk_open(Ip0::n, Ip0::q, Ip0::p, Ip0::psi_q, Ip0::psi_p, 5000, seed, 64, 1, &s) == EVK_ERR_PARAMS, "weight checked");
    check(evk_open(Ip0::n, Ip0::q, Ip0::p, Ip0::psi_q, Ip0::psi_p, Ip0::weight, nullptr, 64, 1, &s) == EVK_ERR_ARGUMENT,
          "null seed");
    check(evk_open(Ip0::n, Ip0::q, Ip0::p, Ip0::psi_q, Ip0::psi_p, Ip0::weight, seed, 64, 0, &s) == EVK_ERR_PARAMS,
          "threads checked");
    s = open_ip0(seed, 2);
    std::vector<uint8_t> buf(8 * 4096 * 2);
    check(evk_seckey_body(s, buf.data(), 1023) == EVK_ERR_BUFFER, "seckey length");
    check(evk_enckey_body(s, buf.data(), buf.size()) == EVK_ERR_BUFFER, "enckey length");
    check(evk_evikeys_polys(s, 32, 0, 2, buf.data(), buf.size() - 1) == EVK_ERR_BUFFER, "polys length");
    check(evk_evikeys_polys(s, 32, 131, 133, buf.data(), buf.size()) == EVK_ERR_ARGUMENT, "polys range");
    check(evk_evikeys_polys(s, 33, 0, 2, buf.data(), buf.size()) == EVK_ERR_ARGUMENT, "rank power of two");
    check(evk_evikeys_polys(s, 32, 130, 132, buf.data(), buf.size()) == EVK_OK, "last polys");
    check(evk_evikeys_polys(s, 32, 5, 5, buf.data(), 0) == EVK_OK, "empty range");
    check(evk_evikeys_polys(nullptr, 32, 0, 2, buf.data(), buf.size()) == EVK_ERR_ARGUMENT, "null session");
    evk_close(s);
    evk_close(nullptr);
    check(std::string(evk_simd_name(EVK_SIMD_AVX512)) == "avx512" && evk_abi_version() == EVK_ABI_VERSION, "names");
}

// Prints the digests of a few key sets at the level EVKEYGEN_SIMD selects; .ci/native.sh compares
// these lines across levels and architectures (x86-64 scalar is the reference).
int print_digests() {
    struct Cfg {
        int seed;
        const char *mode;
        std::vector<uint32_t> dims;
    };
    const Cfg cfgs[] = {{0, "RMP", {32, 64, 128, 256, 512, 1024, 2048, 4096}}, {1, "FLAT", {32, 64}}, {2, "RMP", {1024}}};
    for (const Cfg &c : cfgs) {
        uint8_t seed[64];
        for (int i = 0; i < 64; i++) seed[i] = c.seed == 0 ? uint8_t(i) : uint8_t(c.seed * 101 + i * 7);
        Digests d = key_set_digests(seed, c.mode, c.dims, 2);
        std::string dims;
        for (uint32_t x : c.dims) dims += (dims.empty() ? "" : ",") + std::to_string(x);
        std::printf("seed%d %s [%s] sec=%s enc=%s eval=%s\n", c.seed, c.mode, dims.c_str(), d.sec.c_str(), d.enc.c_str(),
                    d.eval.c_str());
    }
    return 0;
}

int env_level_test() {
    const char *env = std::getenv("EVKEYGEN_SIMD");
    int requested = env ? evk::parse_simd_name(env) : -1;
    int level = evk_simd_level();
    std::printf("EVKEYGEN_SIMD=%s -> level %s (best %s), aes %s, sha256 %s\n", env ? env : "(unset)",
                evk_simd_name(level), evk_simd_name(evk_simd_best()), evk_aes_name(level), evk_sha256_name(level));
    if (requested == EVK_SIMD_SCALAR) check_eq(evk_sha256_name(level), "portable", "scalar cap: portable SHA-256");
    for (const ShaVector &v : sha256_vectors()) {
        uint8_t d[32];
        EVK_CHECK_OK(evk_sha256(reinterpret_cast<const uint8_t *>(v.msg.data()), v.msg.size(), d, 32));
        check_eq(hex(d, 32), v.digest, "evk_sha256 of " + std::to_string(v.msg.size()) + " bytes at the capped level");
    }
    check(requested < 0 || level <= requested || level == EVK_SIMD_SCALAR, "environment cap honoured");
    if (requested == evk_simd_best() || requested == EVK_SIMD_SCALAR) check(level == requested, "requested level used");
    uint8_t seed[64];
    golden_seed(seed);
    Digests d = key_set_digests(seed, "RMP", {1024}, 2);
    check_eq(d.sec, GOLDEN_SEC, "golden SecKey.bin");
    check_eq(d.enc, GOLDEN_ENC, "golden EncKey.bin");
    check_eq(d.eval, GOLDEN_EVAL_RMP_1024, "golden EvalKey.bin RMP [1024]");
    Digests dd = key_set_digests(seed, "RMP", {32, 64, 128, 256, 512, 1024, 2048, 4096}, 2);
    check_eq(dd.eval, GOLDEN_EVAL_RMP_DEFAULT, "golden EvalKey.bin RMP default list");
    std::printf("%d passed, %d failed\n", g_pass, g_fail);
    return g_fail == 0 ? 0 : 1;
}

// Constant-time check (run under valgrind memcheck in an EVK_CT_CHECK build, .ci/native.sh): the
// seed is marked undefined, so every value derived from it (keys, secret, errors, keystream) is
// undefined to memcheck, which then reports any branch ("Conditional jump or move depends on
// uninitialised value(s)") or address ("Use of uninitialised value of size 8") computed from it.
// The library itself declassifies only rejection decisions, the public a streams and the finished
// public polynomials (ring/ct.h, EVK_CT_PUBLIC); this test declassifies the SecKey body before
// hashing it. The digests must still be the golden ones. valgrind hides AVX-512 from CPUID, so the
// levels checked are scalar and AVX2 (NEON and AVX-512 share the scalar sampler and key schedule;
// their kernels are mask/compare-select code of the same shape).
int ct_check() {
#if !defined(EVK_CT_CHECK)
    std::printf("--ct needs a build with -DEVK_CT_CHECK=ON\n");
    return 2;
#else
    if (!RUNNING_ON_VALGRIND) {
        std::printf("--ct must run under valgrind (memcheck does the checking)\n");
        return 2;
    }
    for (int level : available_levels()) {
        evk_set_simd_cap(level);
        std::string at = std::string(" at ") + evk::simd_name(level) + " (aes " + evk_aes_name(level) + ")";
        std::printf("ct: level %s\n", at.c_str() + 4);
        std::fflush(stdout);
        uint8_t seed[64];
        golden_seed(seed);
        EVK_CT_SECRET(seed, sizeof seed);
        evk_session *s = open_ip0(seed, 1);
        {
            Sink k;
            header(k, 1);
            std::vector<uint8_t> body(Ip0::n / 4);
            EVK_CHECK_OK(evk_seckey_body(s, body.data(), body.size()));
            EVK_CT_PUBLIC(body.data(), body.size());  // the test's own declassification
            k.put(body.data(), body.size());
            check_eq(k.digest(), GOLDEN_SEC, "ct: golden SecKey.bin" + at);
        }
        {
            Sink k;
            header(k, 2);
            std::vector<uint8_t> body(4 * Ip0::n * 8);
            EVK_CHECK_OK(evk_enckey_body(s, body.data(), body.size()));
            k.put(body.data(), body.size());
            check_eq(k.digest(), GOLDEN_ENC, "ct: golden EncKey.bin" + at);
        }
        {
            Sink k;
            eval_key(s, "RMP", {1024}, k);  // relinearization and mod-pack (rank 32) keys
            check_eq(k.digest(), GOLDEN_EVAL_RMP_1024, "ct: golden EvalKey.bin RMP [1024]" + at);
        }
        evk_close(s);
    }
    evk_set_simd_cap(-1);
    std::printf("%d passed, %d failed\n", g_pass, g_fail);
    return g_fail == 0 ? 0 : 1;
#endif
}

}  // namespace

int main(int argc, char **argv) {
    if (argc > 1 && std::strcmp(argv[1], "--ct") == 0) return ct_check();
    if (argc > 1 && std::strcmp(argv[1], "--env-level") == 0) return env_level_test();
    if (argc > 1 && std::strcmp(argv[1], "--digests") == 0) return print_digests();
    g_quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
    std::printf("evkeygen %s, best SIMD level %s%s\n", evk_version(), evk_simd_name(evk_simd_best()),
                g_quick ? " (quick)" : "");
    test_sha_hmac_hkdf();
    test_sha256_paths();
    test_aes();
    test_prng_stream();
    test_ntt();
    test_kernels();
    test_constant_time_arith();
    test_ternary_reference();
    test_base64();
    test_simd_table();
    test_keydata();
    test_whole_keys();
    test_abi_errors();
    test_runtime();
    std::printf("%d passed, %d failed\n", g_pass, g_fail);
    return g_fail == 0 ? 0 : 1;
}
