# The Windows build's third-party libraries: static sqlite3, libxml2 and
# cmocka from SMSPROV_WINDOWS_DEPS (tools/windows-deps cross-builds them on
# Debian; on MSYS2 a copy of the environment's include/ and lib/ does), as
# imported targets named by the variables the Linux build sets too.
set(SMSPROV_WINDOWS_DEPS "" CACHE PATH
    "Prefix of the Windows dependencies (include/, lib/), e.g. tools/windows-deps PREFIX")
if(NOT SMSPROV_WINDOWS_DEPS OR NOT IS_DIRECTORY ${SMSPROV_WINDOWS_DEPS}/lib)
  message(FATAL_ERROR "The Windows build needs its dependencies: run "
          "tools/windows-deps PREFIX and configure with -DSMSPROV_WINDOWS_DEPS=PREFIX.")
endif()

# smsprov_windows_dep(TARGET INCLUDE_DIR FILE...): the first static library
# FILE found in the prefix's lib/.
function(smsprov_windows_dep target include_dir)
  find_library(${target}_LIBRARY NAMES ${ARGN} PATHS ${SMSPROV_WINDOWS_DEPS}/lib
               NO_DEFAULT_PATH NO_CMAKE_FIND_ROOT_PATH)
  if(NOT ${target}_LIBRARY)
    message(FATAL_ERROR "${SMSPROV_WINDOWS_DEPS}/lib has none of ${ARGN}; "
            "rebuild the prefix with tools/windows-deps.")
  endif()
  add_library(${target} STATIC IMPORTED GLOBAL)
  set_target_properties(${target} PROPERTIES
    IMPORTED_LOCATION ${${target}_LIBRARY}
    INTERFACE_INCLUDE_DIRECTORIES ${include_dir})
endfunction()

set(_deps_include ${SMSPROV_WINDOWS_DEPS}/include)
smsprov_windows_dep(smsprov_dep_sqlite3 ${_deps_include} libsqlite3.a)
smsprov_windows_dep(smsprov_dep_libxml2 ${_deps_include}/libxml2 libxml2.a)
smsprov_windows_dep(smsprov_dep_cmocka ${_deps_include} libcmocka-static.a libcmocka.a)
# Linked into the DLL, not imported from libxml2-2.dll; it needs Winsock.
set_property(TARGET smsprov_dep_libxml2 APPEND PROPERTY
             INTERFACE_COMPILE_DEFINITIONS LIBXML_STATIC)
set_property(TARGET smsprov_dep_libxml2 APPEND PROPERTY INTERFACE_LINK_LIBRARIES ws2_32)

set(SMSPROV_SQLITE3 smsprov_dep_sqlite3)
set(SMSPROV_LIBXML2 smsprov_dep_libxml2)
set(SMSPROV_CMOCKA smsprov_dep_cmocka)
