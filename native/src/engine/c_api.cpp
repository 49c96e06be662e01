// The flat C ABI of include/evkeygen.h: argument checks, and no exception crosses it.
#include <cstring>
#include <new>
#include <stdexcept>
#include <string>

#include "../../include/evkeygen.h"
#include "engine/session.h"
#include "random/sha256.h"
#include "ring/aligned.h"
#include "simd/kernels.h"

struct evk_session {
    evk::Session impl;
    template <typename... A>
    explicit evk_session(A &&...a) : impl(std::forward<A>(a)...) {}
};

#ifndef EVKEYGEN_VERSION_STRING
#define EVKEYGEN_VERSION_STRING "0.1.0"
#endif

namespace {

// The caller-allocated states behind evk_sha256_* and evk_keydata_*; the tag tells an initialised
// state from a zeroed (finished) or never-initialised one.
struct Sha256State {
    static constexpr uint64_t TAG = 0x65766b7368613235ull;  // "evksha25"
    uint64_t tag;
    evk::Sha256 h;
};

// The key data stream: the hash of every byte, and the 0-2 bytes not yet encoded.
struct KeyDataState {
    static constexpr uint64_t TAG = 0x65766b6b65796461ull;  // "evkkeyda"
    uint64_t tag;
    evk::Sha256 h;
    evk::Base64BodyFn body;
    uint8_t carry[3];
    size_t carry_len;
};

template <typename State>
State *live(void *state) {
    auto *st = static_cast<State *>(state);
    return st != nullptr && st->tag == State::TAG ? st : nullptr;
}

template <typename State>
bool placeable(void *state) {
    return state != nullptr && reinterpret_cast<uintptr_t>(state) % alignof(State) == 0;
}

template <typename State>
void destroy(void *state) {
    static_cast<State *>(state)->~State();
    evk::secure_zero(state, sizeof(State));
}

bool valid_level(int32_t level) { return level >= 0 && level < EVK_SIMD_COUNT; }

evk::Sha256BlocksFn current_sha256() { return evk::kernels_for(evk::simd_level()).sha256_blocks; }

template <typename F>
int32_t guarded(F &&f) {
    try {
        return f();
    } catch (const std::bad_alloc &) {
        return EVK_ERR_MEMORY;
    } catch (const std::invalid_argument &) {
        return EVK_ERR_PARAMS;
    } catch (...) {
        return EVK_ERR_INTERNAL;
    }
}

/**
 * guarded() for a call that computes polynomials in place in the caller's buffer: on an error the
 * buffer is zeroed, as an error term may sit in it half-combined.
 */
template <typename F>
int32_t guarded_output(uint8_t *out, size_t len, F &&compute) {
    return guarded([&] {
        try {
            compute();
        } catch (...) {
            evk::secure_zero(out, len);
            throw;
        }
        return EVK_OK;
    });
}

}  // namespace

extern "C" {

int32_t evk_abi_version(void) { return EVK_ABI_VERSION; }

const char *evk_version(void) { return EVKEYGEN_VERSION_STRING; }

int32_t evk_simd_best(void) { return evk::simd_best(); }

int32_t evk_simd_level(void) { return evk::simd_level(); }

int32_t evk_set_simd_cap(int32_t level) { return evk::set_simd_cap(level); }

const char *evk_simd_name(int32_t level) { return evk::simd_name(level); }

int32_t evk_simd_count(void) { return EVK_SIMD_COUNT; }

int32_t evk_simd_supported(int32_t level) { return evk::simd_supported(level) ? 1 : 0; }

int32_t evk_simd_parse(const char *name) { return evk::parse_simd_name(name); }

const char *evk_aes_name(int32_t level) {
    if (!valid_level(level)) return "unknown";
    return evk::kernels_for(level).aes_name;
}

const char *evk_base64_name(int32_t level) {
    if (!valid_level(level)) return "unknown";
    return evk::kernels_for(level).base64_name;
}

int32_t evk_base64_encode(const uint8_t *in, size_t len, uint8_t *out, size_t out_len) {
    if ((in == nullptr && len > 0) || (out == nullptr && out_len > 0)) return EVK_ERR_ARGUMENT;
    if (out_len != evk::base64_length(len)) return EVK_ERR_BUFFER;
    const evk::Kernels &k = evk::kernels_for(evk::simd_level());
    evk::base64_encode(k.base64_body, in, len, reinterpret_cast<char *>(out));
    return EVK_OK;
}

const char *evk_sha256_name(int32_t level) {
    if (!valid_level(level)) return "unknown";
    return evk::kernels_for(level).sha256_name;
}

size_t evk_sha256_state_size(void) { return sizeof(Sha256State); }

int32_t evk_sha256_init(void *state) {
    if (!placeable<Sha256State>(state)) return EVK_ERR_ARGUMENT;
    new (state) Sha256State{Sha256State::TAG, evk::Sha256(current_sha256())};
    return EVK_OK;
}

int32_t evk_sha256_update(void *state, const uint8_t *in, size_t len) {
    Sha256State *st = live<Sha256State>(state);
    if (st == nullptr || (in == nullptr && len > 0)) return EVK_ERR_ARGUMENT;
    st->h.update(in, len);
    return EVK_OK;
}

int32_t evk_sha256_final(void *state, uint8_t *out, size_t out_len) {
    Sha256State *st = live<Sha256State>(state);
    if (st == nullptr || out == nullptr) return EVK_ERR_ARGUMENT;
    if (out_len != evk::Sha256::DIGEST) return EVK_ERR_BUFFER;
    st->h.finish(out);
    destroy<Sha256State>(state);
    return EVK_OK;
}

int32_t evk_sha256(const uint8_t *in, size_t len, uint8_t *out, size_t out_len) {
    if ((in == nullptr && len > 0) || out == nullptr) return EVK_ERR_ARGUMENT;
    if (out_len != evk::Sha256::DIGEST) return EVK_ERR_BUFFER;
    evk::Sha256 h(current_sha256());
    h.update(in, len);
    h.finish(out);
    return EVK_OK;
}

size_t evk_keydata_state_size(void) { return sizeof(KeyDataState); }

int32_t evk_keydata_init(void *state) {
    if (!placeable<KeyDataState>(state)) return EVK_ERR_ARGUMENT;
    const evk::Kernels &k = evk::kernels_for(evk::simd_level());
    new (state) KeyDataState{KeyDataState::TAG, evk::Sha256(k.sha256_blocks), k.base64_body, {0, 0, 0}, 0};
    return EVK_OK;
}

int64_t evk_keydata_update(void *state, const uint8_t *in, size_t len, uint8_t *out, size_t out_cap) {
    KeyDataState *st = live<KeyDataState>(state);
    if (st == nullptr || (in == nullptr && len > 0) || (out == nullptr && out_cap > 0)) return EVK_ERR_ARGUMENT;
    // carry + len bytes hold at most ceil(len / 3) whole groups, as carry_len <= 2
    if (out_cap < evk::base64_length(len)) return EVK_ERR_BUFFER;
    st->h.update(in, len);
    char *o = reinterpret_cast<char *>(out);
    int64_t written = 0;
    if (st->carry_len > 0) {
        while (st->carry_len < 3 && len > 0) {
            st->carry[st->carry_len++] = *in++;
            len--;
        }
        if (st->carry_len < 3) return 0;
        st->body(st->carry, 3, o);
        o += 4;
        written = 4;
        st->carry_len = 0;
    }
    const size_t whole = len - len % 3;
    st->body(in, whole, o);
    written += int64_t(whole / 3 * 4);
    st->carry_len = len - whole;
    std::memcpy(st->carry, in + whole, st->carry_len);
    return written;
}

int64_t evk_keydata_final(void *state, uint8_t *out, size_t out_cap, uint8_t *digest, size_t digest_len) {
    KeyDataState *st = live<KeyDataState>(state);
    if (st == nullptr || out == nullptr || digest == nullptr) return EVK_ERR_ARGUMENT;
    if (out_cap < 4 || digest_len != evk::Sha256::DIGEST) return EVK_ERR_BUFFER;
    const size_t tail = evk::base64_length(st->carry_len);
    evk::base64_encode(st->body, st->carry, st->carry_len, reinterpret_cast<char *>(out));
    st->h.finish(digest);
    destroy<KeyDataState>(state);
    return int64_t(tail);
}

const char *evk_status_message(int32_t status) {
    switch (status) {
        case EVK_OK: return "ok";
        case EVK_ERR_ARGUMENT: return "invalid argument";
        case EVK_ERR_PARAMS: return "parameters rejected";
        case EVK_ERR_BUFFER: return "output buffer has the wrong length";
        case EVK_ERR_MEMORY: return "out of memory";
        case EVK_ERR_INTERNAL: return "internal error";
        default: return "unknown status";
    }
}

int32_t evk_open(uint32_t n, uint64_t q, uint64_t p, uint64_t psi_q, uint64_t psi_p, uint32_t weight,
                 const uint8_t *seed, size_t seed_len, int32_t threads, evk_session **out) {
    if (out == nullptr) return EVK_ERR_ARGUMENT;
    *out = nullptr;
    if (seed == nullptr) return EVK_ERR_ARGUMENT;
    if (seed_len != 64 || threads < 1 || threads > 1024) return EVK_ERR_PARAMS;
    evk::Params pr;
    pr.n = n;
    pr.q = q;
    pr.p = p;
    pr.psi_q = psi_q;
    pr.psi_p = psi_p;
    pr.weight = weight;
    if (!evk::validate(pr, nullptr)) return EVK_ERR_PARAMS;
    while ((1u << pr.log_n) < n) pr.log_n++;
    return guarded([&] {
        *out = new evk_session(pr, seed, seed_len, static_cast<int>(threads), evk::simd_level());
        return EVK_OK;
    });
}

int32_t evk_seckey_body(evk_session *s, uint8_t *out, size_t len) {
    if (!s || !out) return EVK_ERR_ARGUMENT;
    if (len != s->impl.params().n / 4) return EVK_ERR_BUFFER;
    return guarded([&] {
        s->impl.seckey_body(out);
        return EVK_OK;
    });
}

int32_t evk_enckey_body(evk_session *s, uint8_t *out, size_t len) {
    if (!s || !out) return EVK_ERR_ARGUMENT;
    if (len != 4 * size_t(s->impl.params().n) * 8) return EVK_ERR_BUFFER;
    return guarded_output(out, len, [&] { s->impl.enckey_body(out); });
}

int32_t evk_evikeys_polys(evk_session *s, uint32_t rank, uint32_t from, uint32_t to, uint8_t *out, size_t len) {
    if (!s || !out) return EVK_ERR_ARGUMENT;
    const uint32_t n = s->impl.params().n;
    if (rank == 0 || (rank & (rank - 1)) != 0 || rank > n) return EVK_ERR_ARGUMENT;
    if (from > to || to > evk::Session::evikeys_count(rank)) return EVK_ERR_ARGUMENT;
    if (len != size_t(to - from) * n * 8) return EVK_ERR_BUFFER;
    return guarded_output(out, len, [&] { s->impl.evikeys_polys(rank, from, to, out); });
}

void evk_close(evk_session *s) { delete s; }

}  // extern "C"
