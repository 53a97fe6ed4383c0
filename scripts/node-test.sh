#!/bin/sh
# Run Node's built-in test runner over the given paths, one file at a time
# where this Node can be told so (--test-concurrency is Node 20.10+; Debian
# 12's Node 18 runs files in parallel, which the tests also allow: each file
# starts its own server on a free port).
set -eu
if node --help 2>/dev/null | grep -q -- '--test-concurrency'; then
    exec node --test --test-concurrency=1 "$@"
fi
exec node --test "$@"
