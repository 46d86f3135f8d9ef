# Cross-compiling for 64-bit Windows with Debian's mingw-w64 (GCC, posix
# thread model so winpthreads backs the provider's pthread use).
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(SMSPROV_MINGW_TRIPLE x86_64-w64-mingw32)

find_program(CMAKE_C_COMPILER NAMES ${SMSPROV_MINGW_TRIPLE}-gcc-posix ${SMSPROV_MINGW_TRIPLE}-gcc REQUIRED)
find_program(CMAKE_RC_COMPILER NAMES ${SMSPROV_MINGW_TRIPLE}-windres)
set(CMAKE_FIND_ROOT_PATH /usr/${SMSPROV_MINGW_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# Windows programs run under Wine when CTest runs them.
find_program(SMSPROV_WINE wine)
if(SMSPROV_WINE)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${SMSPROV_WINE})
endif()
