// 64-byte aligned, zero-on-free vector of u64 (secret material lives in these).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#if defined(_WIN32)
#include <malloc.h>
#endif

namespace evk {

/** 64-byte aligned allocation; Windows' C runtime has no aligned_alloc and needs its own free. */
inline void *aligned_alloc64(size_t bytes) {
#if defined(_WIN32)
    return _aligned_malloc(bytes, 64);
#else
    return std::aligned_alloc(64, bytes);
#endif
}

inline void aligned_free64(void *p) {
#if defined(_WIN32)
    _aligned_free(p);
#else
    std::free(p);
#endif
}

/** Zeroes memory in a way the compiler may not elide. */
inline void secure_zero(void *p, size_t len) {
    if (p == nullptr || len == 0) return;
    std::memset(p, 0, len);
    __asm__ __volatile__("" : : "r"(p) : "memory");  // the stores must happen: p escapes here
}

class AlignedU64 {
public:
    AlignedU64() = default;
    explicit AlignedU64(size_t n) { resize(n); }
    AlignedU64(const AlignedU64 &) = delete;
    AlignedU64 &operator=(const AlignedU64 &) = delete;
    AlignedU64(AlignedU64 &&o) noexcept : p_(o.p_), n_(o.n_) { o.p_ = nullptr; o.n_ = 0; }
    AlignedU64 &operator=(AlignedU64 &&o) noexcept {
        if (this != &o) {
            release();
            p_ = o.p_; n_ = o.n_;
            o.p_ = nullptr; o.n_ = 0;
        }
        return *this;
    }
    ~AlignedU64() { release(); }

    void resize(size_t n) {
        release();
        if (n == 0) return;
        size_t bytes = (n * sizeof(uint64_t) + 63) / 64 * 64;
        void *p = aligned_alloc64(bytes);
        if (!p) throw std::bad_alloc();
        std::memset(p, 0, bytes);
        p_ = static_cast<uint64_t *>(p);
        n_ = n;
    }
    void wipe() { secure_zero(p_, n_ * sizeof(uint64_t)); }
    uint64_t *data() { return p_; }
    const uint64_t *data() const { return p_; }
    size_t size() const { return n_; }
    uint64_t &operator[](size_t i) { return p_[i]; }
    const uint64_t &operator[](size_t i) const { return p_[i]; }

private:
    void release() {
        if (p_) {
            wipe();
            aligned_free64(p_);
        }
        p_ = nullptr;
        n_ = 0;
    }
    uint64_t *p_ = nullptr;
    size_t n_ = 0;
};

}  // namespace evk
