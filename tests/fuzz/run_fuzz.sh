#!/bin/sh
# run_fuzz.sh - builds the WQL libFuzzer target (clang, AddressSanitizer)
# and runs it for a number of seconds, starting from the seed corpus.
#
#   tests/fuzz/run_fuzz.sh [SECONDS] [BUILD_DIR]     (default 60, build-fuzz)
#
# New inputs the fuzzer finds go to BUILD_DIR/fuzz-corpus/wql, not into the
# repository.  Exits non-zero when the fuzzer finds a crash, a leak or a
# disagreement between the pushed-down and in-memory answers; the input is
# left in BUILD_DIR as crash-* / leak-*.
set -eu

seconds=${1:-60}
here=$(cd "$(dirname "$0")" && pwd)
source_dir=$(cd "$here/../.." && pwd)
build_dir=${2:-$source_dir/build-fuzz}

if [ ! -f "$build_dir/CMakeCache.txt" ]; then
    CC=clang cmake -S "$source_dir" -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DSMSPROV_FUZZ=ON -DSMSPROV_SANITIZE=ON
fi
cmake --build "$build_dir" --target fuzz_wql -j2

work="$build_dir/fuzz-corpus/wql"
mkdir -p "$work"
cd "$build_dir"
exec "$build_dir/tests/fuzz/fuzz_wql" -max_total_time="$seconds" -max_len=4096 \
    -timeout=10 -rss_limit_mb=2048 -dict="$here/wql.dict" -print_final_stats=1 \
    "$work" "$here/corpus/wql"
