-- wrk script: POST /api/complaints with valid, varying bodies.
-- Counts answers other than 201 in the `response` hook; done() prints one line:
--   RESULT name=<name> requests=N ok=N non2xx=N errors=N rps_ok=X p50_ms=X p99_ms=X
-- Usage: wrk -t2 -c16 -d10s --latency -s bench/post.lua URL -- NAME

-- every request acts as the bench account (bench/run.sh makes its token)
local token = os.getenv("KESU_BENCH_TOKEN") or error("KESU_BENCH_TOKEN is not set")
wrk.headers["Authorization"] = "Bearer " .. token

local threads = {}
local counter = 0

local subjects = { "电梯困人", "楼上漏水", "噪音扰民", "物业费争议", "垃圾清运不及时",
                   "停车位被占", "外墙渗漏", "门禁故障", "绿化带损坏", "保安态度差" }
local contents = { "业主反映电梯停在两层之间,等待二十分钟才有人处理。",
                   "卫生间天花板漏水,怀疑楼上装修破坏了防水层。",
                   "晚上十一点后楼下广场舞音响声音很大,影响休息。",
                   "物业费收费标准与合同不符,要求书面解释。",
                   "小区垃圾连续三天未清运,气味很大。" }
local channels = { "phone", "phone", "visit", "web", "wechat", "email", "letter" }
local projects = { "HY", "JX", "BJ" }
local categories = { "equipment", "building", "environment", "general", "security", "service" }

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function init(args)
  name = args[1] or "post"
  ok, bad = 0, 0
  math.randomseed(os.time() * 100 + (tid or 0))
end

function request()
  counter = counter + 1
  local n = counter
  local s = subjects[n % #subjects + 1]
  local body = string.format(
    '{"channel":"%s","project":"%s","building":"%d栋","complainant":{"name":"客户%d","phone":"139%08d"},' ..
    '"subject":"%s %d-%d","content":"%s(第%d条,线程%d)","category":"%s","headcount":%d}',
    channels[n % #channels + 1], projects[n % #projects + 1], n % 10 + 1, n % 997,
    (tid or 0) * 10000000 + n % 10000000, s, tid or 0, n, contents[n % #contents + 1], n, tid or 0,
    categories[n % #categories + 1], n % 3 + 1)
  return wrk.format("POST", "/api/complaints", { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }, body)
end

function response(status, headers, body)
  if status == 201 then ok = ok + 1 else bad = bad + 1 end
end

function done(summary, latency, requests)
  local good, nb = 0, 0
  for _, t in ipairs(threads) do
    good = good + (t:get("ok") or 0)
    nb = nb + (t:get("bad") or 0)
  end
  local e = summary.errors
  local errs = e.connect + e.read + e.write + e.timeout
  local nm = threads[1] and threads[1]:get("name") or "post"
  io.write(string.format("RESULT name=%s requests=%d ok=%d non2xx=%d errors=%d rps_ok=%.1f p50_ms=%.2f p99_ms=%.2f\n",
    nm, summary.requests, good, nb, errs, good / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
