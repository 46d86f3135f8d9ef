# store_owns_sql.cmake - the store is the only place that speaks SQL.
#
#   cmake -DROOT=<source tree> -P store_owns_sql.cmake
#       fails, naming file:line, when a C source under src/, tools/ or
#       include/ outside src/store (and the exceptions below) includes
#       <sqlite3.h>, calls the SQLite API or reaches the SQLite connection
#       with store_txn_db.  The API counts too, so a header that hands
#       <sqlite3.h> on cannot hide a use.
#   cmake -DROOT=<source tree> -DSELFTEST=<scratch folder> -P store_owns_sql.cmake
#       plants offenders in a copy of the layout under the scratch folder
#       and fails unless the scan names every one of them (and passes a
#       clean file and a comment).
#
# Only C and C++ sources are read: tools/windows-deps builds SQLite and
# names it, and the CMake files link it, legitimately.
cmake_minimum_required(VERSION 3.25)

# Where SQL may be spoken.
set(SQL_OWNER src/store)
# Folders allowed to speak SQL outside the store: none.  A second backend
# goes in a folder of src/store, never elsewhere.
set(SQL_OUTSIDE_STORE_EXCEPTIONS)
# What is scanned.
set(SCANNED_DIRS src tools include)
set(SOURCE_GLOBS *.c *.h *.cc *.cpp *.cxx *.hpp)

# The include, the API (sqlite3_* functions and types, SQLITE_* codes) and
# the store's SQLite escape hatch.
set(INCLUDE_RE "^[ \t]*#[ \t]*include[ \t]*[<\"]sqlite3(ext)?\\.h[>\"]")
set(API_RE "(^|[^A-Za-z0-9_])(sqlite3(_[A-Za-z0-9_]+)?|SQLITE_[A-Z0-9_]+|store_txn_db)([^A-Za-z0-9_]|$)")

# Sets <out> to the offending "file:line: text" entries under root.
function(find_offenders root out)
  set(found "")
  foreach(dir IN LISTS SCANNED_DIRS)
    set(globs "")
    foreach(g IN LISTS SOURCE_GLOBS)
      list(APPEND globs "${root}/${dir}/${g}")
    endforeach()
    file(GLOB_RECURSE files LIST_DIRECTORIES false RELATIVE "${root}" ${globs})
    foreach(rel IN LISTS files)
      set(allowed FALSE)
      foreach(prefix IN LISTS SQL_OWNER SQL_OUTSIDE_STORE_EXCEPTIONS)
        string(FIND "${rel}" "${prefix}/" at)
        if(at EQUAL 0)
          set(allowed TRUE)
        endif()
      endforeach()
      if(allowed)
        continue()
      endif()
      # One list item per line: characters that mean something to CMake
      # lists (; [ ] \) are stood in for, and restored in the report.
      file(READ "${root}/${rel}" content)
      string(REPLACE "\\" "<bs>" content "${content}")
      string(REPLACE ";" "<sc>" content "${content}")
      string(REPLACE "[" "<lb>" content "${content}")
      string(REPLACE "]" "<rb>" content "${content}")
      string(REPLACE "\n" ";" lines "${content}")
      set(n 0)
      foreach(line IN LISTS lines)
        math(EXPR n "${n} + 1")
        # Comments may name SQLite; code may not.
        string(REGEX REPLACE "//.*$" "" code "${line}")
        string(REGEX REPLACE "/\\*.*\\*/" "" code "${code}")
        string(REGEX REPLACE "^[ \t]*\\*.*$" "" code "${code}")
        if(line MATCHES "${INCLUDE_RE}" OR code MATCHES "${API_RE}")
          string(STRIP "${line}" text)
          list(APPEND found "${rel}:${n}: ${text}")
        endif()
      endforeach()
    endforeach()
  endforeach()
  set(${out} "${found}" PARENT_SCOPE)
endfunction()

if(NOT ROOT)
  message(FATAL_ERROR "store_owns_sql: pass -DROOT=<source tree>")
endif()

if(SELFTEST)
  set(t "${SELFTEST}/store_owns_sql")
  file(REMOVE_RECURSE "${t}")
  file(WRITE "${t}/src/jobs/bad_include.c" "#include <stdio.h>\n#  include \"sqlite3.h\"\n")
  file(WRITE "${t}/src/jobs/bad_api.c" "void f(void *db)\n{\n    sqlite3_exec(db, \"\", 0, 0, 0);\n}\n")
  file(WRITE "${t}/src/sms/bad_hatch.c" "int g(void *t) { return store_txn_db(t) != 0; }\n")
  file(WRITE "${t}/tools/smsprov/bad_code.h" "#define BUSY SQLITE_BUSY\n")
  file(WRITE "${t}/include/smsprov/bad.h" "typedef struct sqlite3_stmt stmt;\n")
  file(WRITE "${t}/src/jobs/clean.c" "/* sqlite3_exec is the store's business. */\nint sqlite3x;\n// store_txn_db\n")
  file(WRITE "${t}/src/store/sqlite/ok.c" "#include <sqlite3.h>\n")
  file(WRITE "${t}/src/wql/not_excepted.c" "#include <sqlite3.h>\n")
  file(WRITE "${t}/tools/windows-deps/build.sh.c.txt" "sqlite3\n")
  find_offenders("${t}" offenders)
  set(expected "src/jobs/bad_api.c:3" "src/jobs/bad_include.c:2" "src/sms/bad_hatch.c:1"
      "tools/smsprov/bad_code.h:1" "include/smsprov/bad.h:1" "src/wql/not_excepted.c:1")
  list(LENGTH offenders got)
  list(LENGTH expected want)
  foreach(e IN LISTS expected)
    string(FIND "${offenders}" "${e}:" at)
    if(at LESS 0)
      message(FATAL_ERROR "store_owns_sql self-test: ${e} was not reported; got: ${offenders}")
    endif()
  endforeach()
  if(NOT got EQUAL want)
    message(FATAL_ERROR "store_owns_sql self-test: expected ${want} offenders, got ${got}: "
                        "${offenders}")
  endif()
  file(REMOVE_RECURSE "${t}")
  message(STATUS "store_owns_sql self-test: all ${want} planted offenders reported")
  return()
endif()

find_offenders("${ROOT}" offenders)
if(offenders)
  list(JOIN offenders "\n  " report)
  string(REPLACE "<bs>" "\\" report "${report}")
  string(REPLACE "<sc>" ";" report "${report}")
  string(REPLACE "<lb>" "[" report "${report}")
  string(REPLACE "<rb>" "]" report "${report}")
  message(FATAL_ERROR "Only ${SQL_OWNER} may speak SQL (src/store/README.md), but these "
                      "sources include <sqlite3.h> or use the SQLite API; move the SQL behind a "
                      "store function:\n  ${report}")
endif()
message(STATUS "store_owns_sql: no SQLite outside ${SQL_OWNER} (exceptions: "
               "${SQL_OUTSIDE_STORE_EXCEPTIONS})")
