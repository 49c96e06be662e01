// Test/bench helper: the .bin files of a key set through the C ABI, hashed as they are produced
// (the same layout the Java side writes around the bodies: KEY-FORMAT.md sections 3-5).
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "evkeygen.h"
#include "random/sha256.h"

namespace evktest {

struct Ip0 {
    static constexpr uint32_t n = 4096;
    static constexpr uint64_t q = 2251799813554177ull;
    static constexpr uint64_t p = 36028797014376449ull;
    static constexpr uint64_t psi_q = 278055349447ull;
    static constexpr uint64_t psi_p = 115736144453ull;
    static constexpr uint32_t weight = 2730;
};

inline std::string hex(const uint8_t *d, size_t n) {
    static const char *x = "0123456789abcdef";
    std::string s;
    for (size_t i = 0; i < n; i++) {
        s += x[d[i] >> 4];
        s += x[d[i] & 15];
    }
    return s;
}

/** Sink that hashes (and optionally keeps) everything written. */
struct Sink {
    evk::Sha256 h;
    uint64_t bytes = 0;
    std::vector<uint8_t> *keep = nullptr;
    bool hash = true;  // false: count only (benchmarks)
    void put(const void *d, size_t len) {
        if (hash) h.update(static_cast<const uint8_t *>(d), len);
        bytes += len;
        if (keep) keep->insert(keep->end(), static_cast<const uint8_t *>(d), static_cast<const uint8_t *>(d) + len);
    }
    void u8(uint8_t v) { put(&v, 1); }
    void u64(uint64_t v) { put(&v, 8); }
    std::string digest() {
        uint8_t out[32];
        h.finish(out);
        return hex(out, 32);
    }
};

inline void header(Sink &s, uint8_t tag) {
    const uint8_t h[5] = {tag, 'I', 'P', '0', 0};
    s.put(h, 5);
}

#define EVK_CHECK_OK(call)                                                                  \
    do {                                                                                    \
        int32_t rc_ = (call);                                                               \
        if (rc_ != EVK_OK) {                                                                \
            std::fprintf(stderr, "%s:%d: %s -> %d\n", __FILE__, __LINE__, #call, rc_);      \
            std::abort();                                                                   \
        }                                                                                   \
    } while (0)

inline std::string metadata_eval(const char *mode, const std::vector<uint32_t> &dims) {
    std::string s = std::string("{\n    \"EvalMode\": \"") + mode + "\",\n    \"ParameterPreset\": \"IP0\",\n    \"Ranks\": [\n";
    for (size_t i = 0; i < dims.size(); i++) s += "        " + std::to_string(dims[i]) + (i + 1 < dims.size() ? ",\n" : "\n");
    return s + "    ]\n}\n";
}

/** Pad ranks for sorted dims: RMP or FLAT. */
inline std::vector<uint32_t> pad_ranks(const char *mode, const std::vector<uint32_t> &dims) {
    std::vector<uint32_t> r;
    for (uint32_t d : dims) {
        uint32_t pr = std::strcmp(mode, "RMP") == 0 ? (d <= 2048 ? 32 : 64) : d;
        if (r.empty() || r.back() != pr) r.push_back(pr);
    }
    return r;
}

/** EvalKey.bin through evk_evikeys_polys in batches of `batch` polynomials. */
inline void eval_key(evk_session *s, const char *mode, const std::vector<uint32_t> &dims, Sink &out,
                     uint32_t batch = 16) {
    const size_t pb = size_t(Ip0::n) * 8;
    std::vector<uint8_t> buf(batch * pb);
    for (uint32_t r : pad_ranks(mode, dims)) {
        std::string name = "EVIKeys" + std::to_string(r) + ".bin";
        uint32_t count = 4 + 4 * r;
        out.u8('F');
        out.u64(name.size());
        out.put(name.data(), name.size());
        out.u64(1 + uint64_t(count) * pb);
        out.u8(3);
        for (uint32_t from = 0; from < count; from += batch) {
            uint32_t to = from + batch < count ? from + batch : count;
            EVK_CHECK_OK(evk_evikeys_polys(s, r, from, to, buf.data(), (to - from) * pb));
            out.put(buf.data(), (to - from) * pb);
        }
    }
    std::string meta = metadata_eval(mode, dims);
    const char *mname = "metadata-eval.json";
    out.u8('F');
    out.u64(std::strlen(mname));
    out.put(mname, std::strlen(mname));
    out.u64(meta.size());
    out.put(meta.data(), meta.size());
}

inline evk_session *open_ip0(const uint8_t seed[64], int threads) {
    evk_session *s = nullptr;
    EVK_CHECK_OK(evk_open(Ip0::n, Ip0::q, Ip0::p, Ip0::psi_q, Ip0::psi_p, Ip0::weight, seed, 64, threads, &s));
    return s;
}

struct Digests {
    std::string sec, enc, eval;
};

inline Digests key_set_digests(const uint8_t seed[64], const char *mode, const std::vector<uint32_t> &dims,
                               int threads, uint32_t batch = 16) {
    evk_session *s = open_ip0(seed, threads);
    Digests d;
    {
        Sink k;
        header(k, 1);
        std::vector<uint8_t> body(Ip0::n / 4);
        EVK_CHECK_OK(evk_seckey_body(s, body.data(), body.size()));
        k.put(body.data(), body.size());
        d.sec = k.digest();
    }
    {
        Sink k;
        header(k, 2);
        std::vector<uint8_t> body(4 * Ip0::n * 8);
        EVK_CHECK_OK(evk_enckey_body(s, body.data(), body.size()));
        k.put(body.data(), body.size());
        d.enc = k.digest();
    }
    {
        Sink k;
        eval_key(s, mode, dims, k, batch);
        d.eval = k.digest();
    }
    evk_close(s);
    return d;
}

}  // namespace evktest
