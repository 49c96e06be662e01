# Cross-compiling the native library with zig's bundled clang, libc++ and libc headers (issue 22):
#   cmake -S native -B native/build-x86_64-linux-musl -DCMAKE_TOOLCHAIN_FILE=cmake/zig.cmake \
#     -DEVK_ZIG=/path/to/zig -DEVK_ZIG_TARGET=x86_64-linux-musl
# Targets: x86_64-linux-musl, aarch64-linux-musl, aarch64-linux-gnu.2.17, x86_64-windows-gnu,
# x86_64-macos.11.0, aarch64-macos.11.0 (the suffix of a glibc or macOS target is its floor).
# CMake takes one compiler path, so `zig c++ -target T` is wrapped in a small script per target.
set(EVK_ZIG "$ENV{EVKEYGEN_ZIG}" CACHE FILEPATH "the zig binary")
set(EVK_ZIG_TARGET "" CACHE STRING "zig target triple, e.g. x86_64-linux-musl")
# try_compile projects re-read this file: hand them the two settings
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES EVK_ZIG EVK_ZIG_TARGET)
if(NOT EVK_ZIG OR NOT EVK_ZIG_TARGET)
  message(FATAL_ERROR "cmake/zig.cmake needs -DEVK_ZIG=<zig binary> and -DEVK_ZIG_TARGET=<triple>")
endif()

string(REPLACE "-" ";" _evk_parts "${EVK_ZIG_TARGET}")
list(GET _evk_parts 0 _evk_arch)
list(GET _evk_parts 1 _evk_os)
if(_evk_arch STREQUAL "x86_64")
  set(CMAKE_SYSTEM_PROCESSOR x86_64)
elseif(_evk_arch STREQUAL "aarch64")
  set(CMAKE_SYSTEM_PROCESSOR aarch64)
else()
  message(FATAL_ERROR "cmake/zig.cmake: unsupported architecture in ${EVK_ZIG_TARGET}")
endif()
if(_evk_os STREQUAL "linux")
  set(CMAKE_SYSTEM_NAME Linux)
elseif(_evk_os STREQUAL "windows")
  set(CMAKE_SYSTEM_NAME Windows)
elseif(_evk_os MATCHES "^macos")
  set(CMAKE_SYSTEM_NAME Darwin)
  # the floor is in the triple (-target aarch64-macos.11.0); keep CMake from adding its own
  set(CMAKE_OSX_DEPLOYMENT_TARGET "" CACHE STRING "" FORCE)
  set(CMAKE_OSX_SYSROOT "/" CACHE PATH "" FORCE)
else()
  message(FATAL_ERROR "cmake/zig.cmake: unsupported OS in ${EVK_ZIG_TARGET}")
endif()

set(_evk_wrap "${CMAKE_BINARY_DIR}/zig-wrappers")
file(MAKE_DIRECTORY "${_evk_wrap}")
foreach(_tool c++ cc ar ranlib)
  if(_tool MATCHES "^(c\\+\\+|cc)$")
    set(_cmd "exec \"${EVK_ZIG}\" ${_tool} -target ${EVK_ZIG_TARGET} \"$@\"")
  else()
    set(_cmd "exec \"${EVK_ZIG}\" ${_tool} \"$@\"")
  endif()
  file(WRITE "${_evk_wrap}/zig-${_tool}.tmp" "#!/bin/sh\n${_cmd}\n")
  file(COPY_FILE "${_evk_wrap}/zig-${_tool}.tmp" "${_evk_wrap}/zig-${_tool}" ONLY_IF_DIFFERENT)
  file(CHMOD "${_evk_wrap}/zig-${_tool}" PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
    WORLD_READ WORLD_EXECUTE)
endforeach()
set(CMAKE_CXX_COMPILER "${_evk_wrap}/zig-c++")
set(CMAKE_C_COMPILER "${_evk_wrap}/zig-cc")
set(CMAKE_AR "${_evk_wrap}/zig-ar" CACHE FILEPATH "" FORCE)
set(CMAKE_RANLIB "${_evk_wrap}/zig-ranlib" CACHE FILEPATH "" FORCE)

# Flag checks compile only: a zig link with -mavx2 etc. would build libc++ again for those CPU features.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
# nothing from the build machine: zig brings the target's headers and libraries
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)

# ARM64 test binaries run under qemu; a static musl binary needs no sysroot, a glibc one the
# target's libraries (Debian's libc6-arm64-cross, as cmake/aarch64-linux-gnu.cmake)
if(CMAKE_SYSTEM_NAME STREQUAL "Linux" AND CMAKE_SYSTEM_PROCESSOR STREQUAL "aarch64")
  find_program(EVK_QEMU_AARCH64 NAMES qemu-aarch64-static qemu-aarch64)
  if(EVK_QEMU_AARCH64 AND EVK_ZIG_TARGET MATCHES "-gnu")
    set(EVK_SYSROOT /usr/aarch64-linux-gnu CACHE PATH "target libraries for qemu -L")
    set(CMAKE_CROSSCOMPILING_EMULATOR ${EVK_QEMU_AARCH64};-L;${EVK_SYSROOT})
  elseif(EVK_QEMU_AARCH64)
    set(CMAKE_CROSSCOMPILING_EMULATOR ${EVK_QEMU_AARCH64})
  endif()
endif()
