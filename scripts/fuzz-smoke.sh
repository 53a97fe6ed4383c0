#!/bin/sh
# Run each libFuzzer target briefly over its corpus, then for a few seconds of
# new inputs. A crash fails the run and leaves the input in build/fuzz/.
set -u
secs=${FUZZ_SECONDS:-5}
passed=0
failed=0
for bin in "$@"; do
    name=$(basename "$bin")
    name=${name#fuzz_}
    corpus=fuzz/corpus/$name
    mkdir -p "$corpus" build/fuzz/work/$name
    if "$bin" -max_total_time="$secs" -max_len=65536 -artifact_prefix=build/fuzz/ \
        build/fuzz/work/$name "$corpus" >build/fuzz/$name.log 2>&1; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FUZZ FAILED: $name"
        tail -n 40 build/fuzz/$name.log
    fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
