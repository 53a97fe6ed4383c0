#!/bin/sh
# Run every unit-test binary given; with --valgrind, under valgrind.
# Prints one summary line that CI reads: "unit: N passed, N failed".
set -u
wrap=""
if [ "${1:-}" = "--valgrind" ]; then
    wrap="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite"
    shift
fi
passed=0
failed=0
for t in "$@"; do
    if $wrap "$t" >"$t.log" 2>&1; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAILED: $t"
        cat "$t.log"
    fi
done
echo "unit: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
