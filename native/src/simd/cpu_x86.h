// x86-64 CPU features from CPUID and XGETBV, the same on every OS and compiler (GCC's
// __builtin_cpu_supports needs libgcc's or compiler-rt's CPU model and knows fewer names on Clang).
#pragma once

#if defined(__x86_64__)
#include <cpuid.h>
#include <cstdint>
#if defined(__APPLE__)
#include <sys/sysctl.h>
#endif

namespace evk {

struct X86Features {
    bool ssse3 = false, sse41 = false, aes = false, avx2 = false, sha = false;
    bool avx512f = false, avx512dq = false, avx512bw = false, avx512vbmi = false, vaes = false;
};

#if defined(__APPLE__)
/** macOS enables the AVX-512 register state on first use, so XCR0 does not show it: ask the kernel. */
inline bool apple_sysctl_flag(const char *name) {
    int v = 0;
    size_t len = sizeof v;
    return sysctlbyname(name, &v, &len, nullptr, 0) == 0 && v != 0;
}
#endif

inline X86Features detect_x86_features() {
    X86Features f;
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return f;
    f.ssse3 = (c >> 9) & 1;
    f.sse41 = (c >> 19) & 1;
    f.aes = (c >> 25) & 1;
    const bool osxsave = (c >> 27) & 1, avx = (c >> 28) & 1;
    uint64_t xcr0 = 0;
    if (osxsave) {
        uint32_t lo = 0, hi = 0;
        __asm__ __volatile__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
        xcr0 = (static_cast<uint64_t>(hi) << 32) | lo;
    }
    const bool ymm_state = avx && (xcr0 & 0x6) == 0x6;  // SSE and AVX registers saved by the OS
#if defined(__APPLE__)
    const bool zmm_state = ymm_state && apple_sysctl_flag("hw.optional.avx512f");
#else
    const bool zmm_state = ymm_state && (xcr0 & 0xe0) == 0xe0;  // opmask, ZMM0-15 upper, ZMM16-31
#endif
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return f;
    f.avx2 = ymm_state && ((b >> 5) & 1);
    f.sha = (b >> 29) & 1;
    f.avx512f = zmm_state && ((b >> 16) & 1);
    f.avx512dq = f.avx512f && ((b >> 17) & 1);
    f.avx512bw = f.avx512f && ((b >> 30) & 1);
    f.avx512vbmi = f.avx512f && ((c >> 1) & 1);
    f.vaes = ymm_state && ((c >> 9) & 1);
    return f;
}

/** Read once per process. */
inline const X86Features &x86_features() {
    static const X86Features f = detect_x86_features();
    return f;
}

}  // namespace evk
#endif
