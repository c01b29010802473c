-- An inspector recording findings: POST /api/v1/inspections/{id}/findings over the prepared inspections, each request
-- with a fresh Idempotency-Key (so every request is a new write, never a replay).
--   wrk -t2 -c32 -d15s --latency -s record-finding.lua http://127.0.0.1:PORT -- <inspection-ids file> <bearer token> <run id>
-- Prints one summary line the benchmark harness parses; any non-2xx answer or socket error fails the run there.

local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function init(args)
  ids = {}
  for line in io.lines(args[1]) do
    if #line > 0 then ids[#ids + 1] = line end
  end
  token = args[2]
  run = args[3]
  counter = 0
end

local body = '{"category":"RecordKeeping","severity":"High","legalBasis":"Art.16(1)(iv)","traineesAffected":2,' ..
  '"observedOn":"2023-06-01","narrative":"Time records for March were not kept; overtime was paid at the base rate."}'

function request()
  counter = counter + 1
  local id = ids[((counter * 7919) + tid) % #ids + 1]
  local headers = {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = run .. "-" .. tid .. "-" .. counter,
  }
  return wrk.format("POST", "/api/v1/inspections/" .. id .. "/findings", headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("wrk-summary requests=%d duration_us=%d p50_us=%d p99_us=%d non2xx=%d socket_errors=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), e.status,
    e.connect + e.read + e.write + e.timeout))
end
