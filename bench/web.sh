#!/bin/sh
# The web front end's page times (bench/web.mjs) on the demo database that
# `make run` makes (kesu demo: a year of complaints), or on BENCH_WEB_DB
# (e.g. bench/results/bench.db, the million-complaint one; signs in as its
# `bench` account). Called by `make bench-web`.
set -eu
cd "$(dirname "$0")/.."
BIN=${KESU_BIN:-build/release/kesu}
OUT=bench/results
mkdir -p "$OUT"
if [ -n "${BENCH_WEB_DB:-}" ]; then
    DB=$BENCH_WEB_DB; LOGIN=bench; PASSWORD='Load-Test-Passw0rd!'
else
    DB=$OUT/web-demo.db; LOGIN=wuxia; PASSWORD='Kesu-Bench-Passw0rd!'
    if [ ! -f "$DB" ]; then
        "$BIN" init --db "$DB" >/dev/null
        KESU_DEMO_PASSWORD=$PASSWORD "$BIN" demo --db "$DB" >/dev/null
    fi
fi
"$BIN" init --db "$DB" >/dev/null
"$BIN" serve --db "$DB" --listen 127.0.0.1:0 2> "$OUT/web-serve.log" &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT INT TERM
i=0
URL=
while [ -z "$URL" ] && [ $i -lt 100 ]; do
    sleep 0.1
    URL=$(grep -o 'listening on http://[0-9.]*:[0-9]*'  "$OUT/web-serve.log" | head -n 1 | sed 's/listening on //')
    i=$((i + 1))
done
[ -n "$URL" ] || { echo "bench-web: kesu serve did not start" >&2; cat "$OUT/web-serve.log" >&2; exit 1; }
echo "database: $DB ($(du -h "$DB" | cut -f1))"
node bench/web.mjs "$URL" "$LOGIN" "$PASSWORD" "${BENCH_WEB_ROUNDS:-15}" | tee "$OUT/web.txt"
