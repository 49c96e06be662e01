# Cross-compiling the native library for ARM64 Linux with Debian's g++-aarch64-linux-gnu.
#   cmake -S native -B native/build-aarch64 -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake
# Tests run under qemu-aarch64-static (CMAKE_CROSSCOMPILING_EMULATOR) with the target's sysroot.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(EVK_CROSS_PREFIX aarch64-linux-gnu- CACHE STRING "cross toolchain prefix")
set(CMAKE_C_COMPILER ${EVK_CROSS_PREFIX}gcc)
set(CMAKE_CXX_COMPILER ${EVK_CROSS_PREFIX}g++)

set(EVK_SYSROOT /usr/aarch64-linux-gnu CACHE PATH "target libraries (QEMU_LD_PREFIX)")
set(CMAKE_FIND_ROOT_PATH ${EVK_SYSROOT})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)

find_program(EVK_QEMU_AARCH64 NAMES qemu-aarch64-static qemu-aarch64)
if(EVK_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${EVK_QEMU_AARCH64};-L;${EVK_SYSROOT})
endif()
