-- wrk prints these after a run: requests a second and latency percentiles in
-- milliseconds, on one line a script can read. Non-2xx answers are counted,
-- so a page that refuses shows as refused rather than as fast.
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local failed = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %.0f %.2f %.2f %.2f %d\n",
    summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, failed))
end
