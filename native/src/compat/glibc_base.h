// The oldest symbol version of glibc on each architecture: the versions the compat layer binds to.
#pragma once

#if defined(__x86_64__)
#define EVK_GLIBC_BASE "GLIBC_2.2.5"
#elif defined(__aarch64__)
#define EVK_GLIBC_BASE "GLIBC_2.17"
#else
#error "EVK_GLIBC_COMPAT: no baseline glibc version known for this architecture"
#endif
