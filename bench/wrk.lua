-- wrk script for bench.sh: one request shape per run, from the environment.
--   WRK_METHOD (GET|POST), WRK_BODY, WRK_CONTENT_TYPE; other headers come with -H.
-- Prints one RESULT line that bench.sh parses.
wrk.method = os.getenv("WRK_METHOD") or "GET"
if wrk.method == "POST" then
  wrk.body = os.getenv("WRK_BODY") or ""
  wrk.headers["Content-Type"] = os.getenv("WRK_CONTENT_TYPE") or "application/x-www-form-urlencoded"
end

function done(summary, latency, requests)
  local secs = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "RESULT rps=%.1f p50_ms=%.3f p99_ms=%.3f requests=%d non2xx=%d sock_err=%d\n",
    summary.requests / secs, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, e.status, e.connect + e.read + e.write + e.timeout))
end
