// glibc 2.17 floor for the test and bench executables (not the library): since glibc 2.34 the
// start files (Scrt1.o) call __libc_start_main@GLIBC_2.34 with init = NULL, and libc runs the
// program's constructors itself. Linked with -Wl,--wrap=__libc_start_main, the call comes here
// and goes to the baseline version with an init function that runs the constructors the way
// glibc's old __libc_csu_init did; glibc 2.34+ still honours a non-null init ("legacy program").
// This lets CI run evkeygen_test under glibc 2.17's loader (docs/NATIVE.md).
#if defined(EVK_GLIBC_COMPAT)

#include <cstddef>

#include "glibc_base.h"

extern "C" {

typedef int (*evk_main_fn)(int, char **, char **);
typedef void (*evk_init_fn)(int, char **, char **);

// Provided by the linker for executables, and by crti.o.
extern evk_init_fn __preinit_array_start[] __attribute__((visibility("hidden")));
extern evk_init_fn __preinit_array_end[] __attribute__((visibility("hidden")));
extern evk_init_fn __init_array_start[] __attribute__((visibility("hidden")));
extern evk_init_fn __init_array_end[] __attribute__((visibility("hidden")));
void _init(void);

int evk_old___libc_start_main(evk_main_fn main, int argc, char **argv, evk_init_fn init, void (*fini)(void),
                              void (*rtld_fini)(void), void *stack_end);
__asm__(".symver evk_old___libc_start_main,__libc_start_main@" EVK_GLIBC_BASE);

static void evk_csu_init(int argc, char **argv, char **envp) {
    const size_t npre = static_cast<size_t>(__preinit_array_end - __preinit_array_start);
    for (size_t i = 0; i < npre; i++) (*__preinit_array_start[i])(argc, argv, envp);
    _init();
    const size_t n = static_cast<size_t>(__init_array_end - __init_array_start);
    for (size_t i = 0; i < n; i++) (*__init_array_start[i])(argc, argv, envp);
}

__attribute__((visibility("hidden"))) int __wrap___libc_start_main(evk_main_fn main, int argc, char **argv,
                                                                    evk_init_fn, void (*)(void),
                                                                    void (*rtld_fini)(void), void *stack_end) {
    // fini stays NULL: glibc runs the program's destructors from _dl_fini, old and new alike.
    return evk_old___libc_start_main(main, argc, argv, evk_csu_init, nullptr, rtld_fini, stack_end);
}

}  // extern "C"

#endif  // EVK_GLIBC_COMPAT
