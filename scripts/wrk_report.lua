-- `make bench` (directory/management/commands/bench_search.py) runs wrk with this script: at the
-- end it prints one JSON line, as earlyhelp.loadgen does: requests, errors (non-2xx/3xx answers
-- and socket errors), requests/second, median and p95 latency in milliseconds.
done = function(summary, latency, requests)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.status + e.timeout
  io.write(string.format(
    '{"requests": %d, "errors": %d, "rps": %.1f, "median_ms": %.2f, "p95_ms": %.2f}\n',
    summary.requests, errors, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
