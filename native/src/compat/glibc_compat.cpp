// glibc 2.17 floor (issue 12, docs/NATIVE.md "glibc floor").
//
// libstdc++.a and libgcc_eh.a of a GCC built on a new glibc (Debian 12: 2.36) refer to symbols
// that older glibc lacks, and the linker binds plain references to the newest (default) version:
//   __libc_single_threaded (2.32)          libstdc++ atomicity, and inline code of our own objects
//   arc4random (2.36), getentropy (2.25)   libstdc++ random.o (std::random_device; never used here,
//                                          pulled in by the COW string instantiations)
//   pthread_* (2.34, moved into libc)      libstdc++ thread.o, once, TLS keys; libgcc_eh
//   _dl_find_object (2.35)                 libgcc_eh's unwinder (_Unwind_Find_FDE)
// CMake links with -Wl,--wrap=NAME for the functions (see EVK_GLIBC_WRAP in CMakeLists.txt), so
// every reference in our objects and in the static runtime goes to __wrap_NAME below; those call
// the old versioned symbol (pthread_*@GLIBC_2.2.5 on x86-64, @GLIBC_2.17 on ARM64) or implement
// the function with calls glibc 2.17 has. __libc_single_threaded is defined here (hidden), so the
// linker takes it before libc's: it stays 0 ("maybe multi-threaded"), the always-correct answer.
// None of this is on a hot path; the key generation code is untouched.
#if defined(EVK_GLIBC_COMPAT)

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <dlfcn.h>
#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "glibc_base.h"

extern "C" {

__attribute__((visibility("hidden"))) char __libc_single_threaded = 0;

// evk_old_NAME refers to NAME@<baseline version>; __wrap_NAME forwards to it.
#define EVK_FORWARD_OLD(ret, name, params, args)                              \
    ret evk_old_##name params;                                                \
    __asm__(".symver evk_old_" #name "," #name "@" EVK_GLIBC_BASE);          \
    __attribute__((visibility("hidden"))) ret __wrap_##name params { return evk_old_##name args; }

EVK_FORWARD_OLD(int, pthread_create, (pthread_t * t, const pthread_attr_t *a, void *(*f)(void *), void *arg),
                (t, a, f, arg))
EVK_FORWARD_OLD(int, pthread_join, (pthread_t t, void **ret), (t, ret))
EVK_FORWARD_OLD(int, pthread_detach, (pthread_t t), (t))
EVK_FORWARD_OLD(int, pthread_once, (pthread_once_t * o, void (*f)(void)), (o, f))
EVK_FORWARD_OLD(int, pthread_key_create, (pthread_key_t * k, void (*d)(void *)), (k, d))
EVK_FORWARD_OLD(int, __pthread_key_create, (pthread_key_t * k, void (*d)(void *)), (k, d))
EVK_FORWARD_OLD(int, pthread_key_delete, (pthread_key_t k), (k))
EVK_FORWARD_OLD(void *, pthread_getspecific, (pthread_key_t k), (k))
EVK_FORWARD_OLD(int, pthread_setspecific, (pthread_key_t k, const void *v), (k, v))

// getentropy(3) as glibc 2.25 has it: at most 256 bytes, from getrandom(2), here with a fallback
// to /dev/urandom for kernels before 3.17.
__attribute__((visibility("hidden"))) int __wrap_getentropy(void *buffer, size_t length) {
    if (length > 256) {
        errno = EIO;
        return -1;
    }
    unsigned char *p = static_cast<unsigned char *>(buffer);
    size_t done = 0;
    while (done < length) {
        long r = syscall(SYS_getrandom, p + done, length - done, 0);
        if (r > 0) {
            done += static_cast<size_t>(r);
        } else if (r < 0 && errno == EINTR) {
            continue;
        } else if (r < 0 && errno == ENOSYS) {
            int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
            if (fd < 0) return -1;
            while (done < length) {
                ssize_t n = read(fd, p + done, length - done);
                if (n > 0) {
                    done += static_cast<size_t>(n);
                } else if (!(n < 0 && errno == EINTR)) {
                    close(fd);
                    errno = EIO;
                    return -1;
                }
            }
            close(fd);
        } else {
            return -1;
        }
    }
    return 0;
}

__attribute__((visibility("hidden"))) uint32_t __wrap_arc4random(void) {
    uint32_t v;
    if (__wrap_getentropy(&v, sizeof v) != 0) abort();  // as glibc's arc4random: no failure return
    return v;
}

#if defined(DLFO_STRUCT_HAS_EH_DBASE)
// _dl_find_object(3) for the unwinder, from dl_iterate_phdr (what libgcc did before glibc 2.35):
// the loaded object whose PT_LOAD segments contain pc, and its PT_GNU_EH_FRAME segment.
namespace {
struct FindCtx {
    uintptr_t pc;
    dl_find_object *out;
};

int find_cb(dl_phdr_info *info, size_t, void *data) {
    FindCtx *ctx = static_cast<FindCtx *>(data);
    bool inside = false;
    uintptr_t lo = UINTPTR_MAX, hi = 0;
    const void *eh = nullptr;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) &ph = info->dlpi_phdr[i];
        if (ph.p_type == PT_LOAD) {
            uintptr_t start = info->dlpi_addr + ph.p_vaddr, end = start + ph.p_memsz;
            if (ctx->pc >= start && ctx->pc < end) inside = true;
            if (start < lo) lo = start;
            if (end > hi) hi = end;
        } else if (ph.p_type == PT_GNU_EH_FRAME) {
            eh = reinterpret_cast<const void *>(info->dlpi_addr + ph.p_vaddr);
        }
    }
    if (!inside) return 0;
    dl_find_object *o = ctx->out;
    o->dlfo_flags = 0;
    o->dlfo_map_start = reinterpret_cast<void *>(lo);
    o->dlfo_map_end = reinterpret_cast<void *>(hi);
    o->dlfo_link_map = nullptr;  // not used by the unwinder
    o->dlfo_eh_frame = const_cast<void *>(eh);
#if DLFO_STRUCT_HAS_EH_DBASE
    o->dlfo_eh_dbase = nullptr;
#endif
    return 1;
}
}  // namespace

__attribute__((visibility("hidden"))) int __wrap__dl_find_object(void *pc, dl_find_object *result) {
    FindCtx ctx{reinterpret_cast<uintptr_t>(pc), result};
    return dl_iterate_phdr(find_cb, &ctx) ? 0 : -1;
}
#endif

}  // extern "C"

#endif  // EVK_GLIBC_COMPAT
