-- wrk script: GET /api/complaints/{number} for random existing numbers read from a file
-- (one number per line). done() prints one RESULT line like post.lua.
-- Usage: wrk ... -s bench/get_number.lua URL -- NAME NUMBERS_FILE

-- every request acts as the bench account (bench/run.sh makes its token)
local token = os.getenv("KESU_BENCH_TOKEN") or error("KESU_BENCH_TOKEN is not set")
wrk.headers["Authorization"] = "Bearer " .. token

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function init(args)
  name = args[1] or "get"
  ok, bad = 0, 0
  numbers = {}
  for line in io.lines(args[2]) do
    if #line > 0 then numbers[#numbers + 1] = line end
  end
  if #numbers == 0 then error("no numbers in " .. tostring(args[2])) end
  math.randomseed(os.time() * 100 + (tid or 0))
end

function request()
  return wrk.format("GET", "/api/complaints/" .. numbers[math.random(#numbers)])
end

function response(status, headers, body)
  if status == 200 then ok = ok + 1 else bad = bad + 1 end
end

function done(summary, latency, requests)
  local good, nb = 0, 0
  for _, t in ipairs(threads) do
    good = good + (t:get("ok") or 0)
    nb = nb + (t:get("bad") or 0)
  end
  local e = summary.errors
  local nm = threads[1] and threads[1]:get("name") or "get"
  io.write(string.format("RESULT name=%s requests=%d ok=%d non2xx=%d errors=%d rps_ok=%.1f p50_ms=%.2f p99_ms=%.2f\n",
    nm, summary.requests, good, nb, e.connect + e.read + e.write + e.timeout, good / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
