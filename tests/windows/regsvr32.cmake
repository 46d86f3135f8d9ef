# cmake -DWINE=wine -DDLL=/path/smsprov.dll -P regsvr32.cmake [/u]
# Runs `wine regsvr32 /s [/u] Z:\path\smsprov.dll` (Wine shows the Unix
# root as drive Z:) and fails when regsvr32 does.
if(NOT WINE OR NOT DLL)
  message(FATAL_ERROR "usage: cmake -DWINE=wine -DDLL=/path/smsprov.dll -P regsvr32.cmake [/u]")
endif()
string(REPLACE "/" "\\" windows_dll "Z:${DLL}")
set(flags /s)
math(EXPR last "${CMAKE_ARGC} - 1")
foreach(i RANGE ${last})
  if("${CMAKE_ARGV${i}}" STREQUAL "/u")
    list(APPEND flags /u)
  endif()
endforeach()
string(JOIN " " shown ${flags})
execute_process(COMMAND ${WINE} regsvr32 ${flags} ${windows_dll}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "wine regsvr32 ${shown} ${windows_dll} failed (${rc}):\n${out}${err}")
endif()
message(STATUS "wine regsvr32 ${shown} ${windows_dll}: done")
