// Native benchmarks (docs/BENCHMARKS.md): NTT per level, AES-CTR keystream per implementation,
// SHA-256 per implementation, keystream consumed per key set, and .bin generation times through the C ABI.
//   evkeygen_bench [--quick] [--ternary | --sha256]   (only the secret sampler / only SHA-256)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "../test/keyset.h"
#include "evkeygen.h"
#include "random/aes.h"
#include "random/samplers.h"
#include "random/sha256.h"
#include "random/stream.h"
#include "ring/ntt.h"
#include "simd/kernels.h"

using namespace evktest;
using Clock = std::chrono::steady_clock;

namespace {

bool g_quick = false;

template <typename F>
double best_of(int reps, F &&f) {  // seconds, minimum over reps
    double best = 1e30;
    for (int r = 0; r < reps; r++) {
        auto t0 = Clock::now();
        f();
        double s = std::chrono::duration<double>(Clock::now() - t0).count();
        best = std::min(best, s);
    }
    return best;
}

std::vector<int> levels() {
    std::vector<int> v{EVK_SIMD_SCALAR};
    int best = evk_simd_best();
    if (best == EVK_SIMD_NEON) v.push_back(EVK_SIMD_NEON);
    for (int l = EVK_SIMD_AVX2; l <= best; l++) v.push_back(l);
    return v;
}

void bench_ntt() {
    std::printf("\n## NTT (N = 4096, forward, in place), microseconds per transform\n\n| level | mod Q (51 bit) | mod P (55 bit) |\n|---|---|---|\n");
    auto tq = evk::ntt_tables(Ip0::n, Ip0::q, Ip0::psi_q);
    auto tp = evk::ntt_tables(Ip0::n, Ip0::p, Ip0::psi_p);
    std::mt19937_64 rng(1);
    evk::AlignedU64 a(Ip0::n);
    for (int level : levels()) {
        const evk::Kernels &k = evk::kernels_for(level);
        double us[2];
        int i = 0;
        for (auto *t : {tq.get(), tp.get()}) {
            const int iters = 100;
            for (uint32_t j = 0; j < Ip0::n; j++) a[j] = rng() % t->q;
            double s = best_of(g_quick ? 10 : 40, [&] {  // minimum: the machine is shared
                for (int it = 0; it < iters; it++) k.ntt_forward(*t, a.data());  // output stays in [0, q)
            });
            us[i++] = s / iters * 1e6;
        }
        std::printf("| %s | %.2f | %.2f |\n", evk::simd_name(level), us[0], us[1]);
    }
}

void bench_ternary() {
    // The secret sampler alone (IP0: n 4096, h 2730), AES-NI keystream when there is one
    std::printf("\n## Secret sampler (sample_ternary, n = 4096, h = 2730), microseconds\n\n");
    uint8_t seed[64];
    for (int i = 0; i < 64; i++) seed[i] = uint8_t(i);
    evk::Prng prng(seed, 64);
    const evk::Kernels &k = evk::kernels_for(evk_simd_best());
    std::vector<int8_t> s(Ip0::n);
    int it = 0;
    double best = best_of(g_quick ? 20 : 200, [&] {
        evk::Stream st(prng, "secret" + std::to_string(it++), k.keystream);
        evk::sample_ternary(st, Ip0::n, Ip0::weight, s.data());
    });
    std::printf("| sample_ternary | %.1f |\n", best * 1e6);
}

void bench_aes() {
    std::printf("\n## AES-256-CTR keystream, single thread\n\n| implementation (level) | MB/s |\n|---|---|\n");
    uint8_t key[32];
    for (int i = 0; i < 32; i++) key[i] = uint8_t(i);
    evk::AesKey k;
    evk::aes256_expand(key, &k);
    const size_t blocks = 4096;  // 64 KB per call
    std::vector<uint8_t> out(blocks * 16);
    std::string seen;
    for (int level : levels()) {
        const evk::Kernels &kr = evk::kernels_for(level);
        if (seen.find(kr.aes_name) != std::string::npos) continue;
        seen += std::string(kr.aes_name) + ",";
        int iters = std::strcmp(kr.aes_name, "soft") == 0 ? 20 : (g_quick ? 100 : 1000);
        double s = best_of(5, [&] {
            for (int it = 0; it < iters; it++) kr.keystream(k, uint64_t(it) * blocks, blocks, out.data());
        });
        std::printf("| %s (%s) | %.0f |\n", kr.aes_name, evk::simd_name(level), double(iters) * out.size() / s / 1e6);
    }
}

void bench_sha256() {
    // the key data of a default key set is 12.8 MB; one call per level as the key-file writer makes it
    std::printf("\n## SHA-256 of 12.8 MB (evk_sha256), single thread\n\n| implementation (level) | MB/s |\n|---|---|\n");
    std::vector<uint8_t> data(12800000);
    std::mt19937_64 rng(3);
    for (auto &b : data) b = uint8_t(rng());
    std::string seen;
    uint8_t d[32];
    for (int level : levels()) {
        const char *name = evk_sha256_name(level);
        if (seen.find(std::string(name) + ",") != std::string::npos) continue;
        seen += std::string(name) + ",";
        evk_set_simd_cap(level);
        double s = best_of(g_quick ? 2 : 5, [&] { EVK_CHECK_OK(evk_sha256(data.data(), data.size(), d, 32)); });
        std::printf("| %s (%s) | %.0f |\n", name, evk::simd_name(level), data.size() / s / 1e6);
    }
    evk_set_simd_cap(-1);
}

struct Workload {
    const char *name;
    const char *mode;
    std::vector<uint32_t> dims;
};

/** Generates SecKey, EncKey and EvalKey .bin data (count-only sink); seconds. */
double generate(const Workload &w, int threads) {
    uint8_t seed[64];
    for (int i = 0; i < 64; i++) seed[i] = uint8_t(i);
    evk_session *s = open_ip0(seed, threads);
    Sink sink;
    sink.hash = false;
    std::vector<uint8_t> sec(Ip0::n / 4), enc(4 * Ip0::n * 8);
    EVK_CHECK_OK(evk_seckey_body(s, sec.data(), sec.size()));
    EVK_CHECK_OK(evk_enckey_body(s, enc.data(), enc.size()));
    if (std::strcmp(w.mode, "MM") != 0) eval_key(s, w.mode, w.dims, sink, uint32_t(8 * threads));
    evk_close(s);
    return 0;
}

void bench_keys() {
    const std::vector<Workload> loads = {
        {"RMP default (32..4096)", "RMP", {32, 64, 128, 256, 512, 1024, 2048, 4096}},
        {"RMP [1024]", "RMP", {1024}},
        {"MM [1024]", "MM", {1024}},
        {"FLAT [256]", "FLAT", {256}},
    };
    std::printf("\n## Keystream per key set (AES blocks generated, incl. regeneration of a for b)\n\n| workload | MB generated |\n|---|---|\n");
    for (const auto &w : loads) {
        uint64_t b0 = evk::keystream_blocks_generated();
        generate(w, 1);
        uint64_t b1 = evk::keystream_blocks_generated();
        std::printf("| %s | %.2f |\n", w.name, double(b1 - b0) * 16 / 1e6);
    }
    std::printf("\n## .bin generation (SecKey + EncKey + EvalKey bodies and container), milliseconds, best of %d\n\n",
                g_quick ? 2 : 5);
    std::printf("| workload | level | 1 thread | 2 threads |\n|---|---|---|---|\n");
    for (const auto &w : loads) {
        for (int level : levels()) {
            evk_set_simd_cap(level);
            int reps = g_quick ? 2 : (std::strcmp(w.mode, "FLAT") == 0 || level == EVK_SIMD_SCALAR ? 3 : 7);
            double t1 = best_of(reps, [&] { generate(w, 1); });
            double t2 = best_of(reps, [&] { generate(w, 2); });
            std::printf("| %s | %s (aes %s) | %.1f | %.1f |\n", w.name, evk::simd_name(level), evk_aes_name(level), t1 * 1e3,
                        t2 * 1e3);
        }
        evk_set_simd_cap(-1);
    }
}

}  // namespace

int main(int argc, char **argv) {
    bool only_ternary = false, only_sha256 = false;
    for (int i = 1; i < argc; i++) {
        if (std::strcmp(argv[i], "--quick") == 0) g_quick = true;
        if (std::strcmp(argv[i], "--ternary") == 0) only_ternary = true;
        if (std::strcmp(argv[i], "--sha256") == 0) only_sha256 = true;
    }
    if (only_ternary) {
        bench_ternary();
        return 0;
    }
    if (only_sha256) {
        bench_sha256();
        return 0;
    }
    std::printf("evkeygen %s bench, best level %s\n", evk_version(), evk_simd_name(evk_simd_best()));
    bench_ntt();
    bench_ternary();
    bench_aes();
    bench_sha256();
    bench_keys();
    return 0;
}
