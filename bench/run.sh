#!/bin/sh
# kesu benchmark: registration, lookup, list and search throughput and latency on a
# database of 1,000,000 complaints. Called by `make bench` (which builds first); builds
# nothing itself. Needs wrk and node (scripts/deps.sh installs both).
#
#   sh bench/run.sh            # KESU_BIN defaults to build/release/kesu
#   BENCH_DURATION=5s sh bench/run.sh
#
# Results go to bench/results/ (not in git): the database is kept and reused.
set -eu

cd "$(dirname "$0")/.."
BIN=${KESU_BIN:-build/release/kesu}
OUT=bench/results
DB=$OUT/bench.db
MARK=$DB.complaints
N=${BENCH_COMPLAINTS:-1000000}
DUR=${BENCH_DURATION:-10s}
LOG=$OUT/serve.log
TABLE=$OUT/results.txt

[ -x "$BIN" ] || { echo "bench: $BIN not found (run make bench)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "bench: wrk not installed (sh scripts/deps.sh)" >&2; exit 1; }
command -v node >/dev/null || { echo "bench: node not installed (sh scripts/deps.sh)" >&2; exit 1; }
mkdir -p "$OUT"

# 1. The database: made once, reused while it holds at least N complaints.
have=0
[ -f "$DB" ] && [ -f "$MARK" ] && have=$(cat "$MARK")
if [ "$have" -lt "$N" ]; then
    rm -f "$DB" "$DB-wal" "$DB-shm" "$MARK"
    echo "bench: generating $N demo complaints into $DB ..."
    t0=$(date +%s)
    "$BIN" init --db "$DB"
    "$BIN" demo --db "$DB" --complaints "$N"
    t1=$(date +%s)
    echo "$N" > "$MARK"
    echo "bench: demo data: $N complaints in $((t1 - t0)) s"
else
    echo "bench: reusing $DB ($have+ complaints)"
    "$BIN" init --db "$DB" >/dev/null   # brings an older schema up to date
fi

# The bench acts as a service-centre account through an API token. Tokens are
# shown once, so each run makes a fresh one (the account is made once).
if ! "$BIN" user list --db "$DB" 2>/dev/null | grep -q '^bench'; then
    echo 'Load-Test-Passw0rd!' | "$BIN" user add bench --db "$DB" --name 压测 --role centre \
        --password-stdin >/dev/null
fi
KESU_BENCH_TOKEN=$("$BIN" token add --db "$DB" --name "bench-$(date +%s)-$$" --user bench \
    --scopes '*' 2>/dev/null)
export KESU_BENCH_TOKEN

# 2. The server on a free port.
SERVER_PID=
WRK_BG=
cleanup() {
    [ -n "$WRK_BG" ] && kill "$WRK_BG" 2>/dev/null || true
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
}
trap cleanup EXIT INT TERM
# The sign-in figures need many failed sign-ins from one address: no throttling.
KESU_LOGIN_FAILURES_FREE=1000000 KESU_ADDRESS_FAILURES_FREE=1000000 \
    "$BIN" serve --db "$DB" --listen 127.0.0.1:0 2>"$LOG" &
SERVER_PID=$!
PORT=
i=0
while [ $i -lt 100 ]; do
    PORT=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' "$LOG" | head -n 1)
    [ -n "$PORT" ] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "bench: server exited:" >&2; cat "$LOG" >&2; exit 1; }
    sleep 0.1
    i=$((i + 1))
done
[ -n "$PORT" ] || { echo "bench: server not ready in 10 s:" >&2; cat "$LOG" >&2; exit 1; }
URL=http://127.0.0.1:$PORT
echo "bench: server pid $SERVER_PID at $URL"

# 3. A sample of existing numbers, spread over the whole database (for GET by number).
NUMBERS=$OUT/numbers.txt
node --input-type=module - "$URL" "$NUMBERS" <<'EOF'
const [url, file] = process.argv.slice(2);
const auth = { Authorization: 'Bearer ' + process.env.KESU_BENCH_TOKEN };
const get = async (q) => { const r = await fetch(url + '/api/complaints?' + q, { headers: auth }); if (!r.ok) throw new Error(q + ': ' + r.status + ' ' + await r.text()); return r.json(); };
const first = (await get('sort=received_at&limit=1')).items[0];
const last = (await get('sort=-received_at&limit=1')).items[0];
const t0 = Date.parse(first.received_at), t1 = Date.parse(last.received_at);
const nums = new Set();
for (let i = 0; i < 40; i++) {
  const t = new Date(t0 + (t1 - t0) * i / 40 + 8 * 3600e3).toISOString().slice(0, 16) + '+08:00';
  for (const it of (await get('sort=received_at&limit=100&received_from=' + encodeURIComponent(t))).items) nums.add(it.number);
}
(await import('node:fs')).writeFileSync(file, [...nums].join('\n') + '\n');
console.log(`bench: ${nums.size} sample numbers from ${first.received_at} to ${last.received_at}`);
EOF
VERSION=$(node -e "fetch('$URL/api/health').then(r=>r.json()).then(j=>console.log(j.version+' (schema '+j.schema_version+')'))")

# 4. Measurements. Each wrk script prints "RESULT name=... requests= ok= non2xx= errors= rps_ok= p50_ms= p99_ms=".
RES=$OUT/wrk.txt
: > "$RES"
run() { # name connections script url [extra args]
    name=$1; c=$2; script=$3; url=$4; shift 4
    t=2; [ "$c" -eq 1 ] && t=1
    wrk -t"$t" -c"$c" -d"$DUR" --latency -s "$script" "$url" -- "$name" "$@" > "$OUT/$name.out" 2>&1 || true
    line=$(grep '^RESULT' "$OUT/$name.out" || echo "RESULT name=$name failed")
    echo "$line" | tee -a "$RES"
}

for c in 1 16 64; do run "post_c$c" "$c" bench/post.lua "$URL"; done
for c in 1 16 64; do run "get_c$c" "$c" bench/get_number.lua "$URL" "$NUMBERS"; done

# GET latency while 64 connections register at full speed.
wrk -t2 -c64 -d"$DUR" --latency -s bench/post.lua "$URL" -- post_c64_bg > "$OUT/post_c64_bg.out" 2>&1 &
WRK_BG=$!
sleep 1
run get_c16_under_load 16 bench/get_number.lua "$URL" "$NUMBERS"
wait "$WRK_BG" || true
WRK_BG=
grep '^RESULT' "$OUT/post_c64_bg.out" | tee -a "$RES" || true

LIST="$URL/api/complaints?project=HY&status=registered"
Q1="$URL/api/complaints?q=%E7%94%B5%E6%A2%AF"   # 电梯
Q2="$URL/api/complaints?q=%E6%BC%8F%E6%B0%B4"   # 漏水
for c in 1 16; do
    run "list_c$c" "$c" bench/get_path.lua "$LIST"
    run "q_elevator_c$c" "$c" bench/get_path.lua "$Q1"
    run "q_leak_c$c" "$c" bench/get_path.lua "$Q2"
done

# Sign-in: unknown login vs wrong password, and a flood of sign-ins during reads.
node bench/login.mjs "$URL" "$KESU_BENCH_TOKEN" "$(head -n 1 "$NUMBERS")" | tee "$OUT/login.txt"

HWM=$(sed -n 's/^VmHWM:[[:space:]]*//p' "/proc/$SERVER_PID/status" 2>/dev/null || echo "?")

# 5. The table.
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
{
    echo "kesu benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
    echo "machine: $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
    echo "kesu: $VERSION, $BIN; database $DB ($(du -h "$DB" | cut -f1)); wrk $DUR per run"
    echo
    printf '%-24s %10s %10s %8s %8s %10s %10s\n' test requests ok/s non2xx errors p50_ms p99_ms
    while read -r line; do
        printf '%-24s %10s %10s %8s %8s %10s %10s\n' "$(field "$line" name)" "$(field "$line" requests)" \
            "$(field "$line" rps_ok)" "$(field "$line" non2xx)" "$(field "$line" errors)" \
            "$(field "$line" p50_ms)" "$(field "$line" p99_ms)"
    done < "$RES"
    echo
    echo "server peak RSS (VmHWM): $HWM"
    cat "$OUT/login.txt"
} | tee "$TABLE"

bad=$(awk '/^RESULT/ { for (i = 1; i <= NF; i++) if ($i ~ /^non2xx=/) { split($i, a, "="); s += a[2] } } END { print s + 0 }' "$RES")
if grep -q 'failed' "$RES"; then echo "bench: a wrk run failed (see $OUT/*.out)" >&2; exit 1; fi
if [ "$bad" -ne 0 ]; then echo "bench: $bad requests got an unexpected status" >&2; exit 1; fi
echo "bench: table in $TABLE"
