-- wrk script: GET /v1/convert with a different amount on every request, so no two requests
-- share a target and none is answered from the server's reply cache. The amounts start from
-- the run's start time (ten million a second), so no two runs share one either: a second
-- sighting of a target is kept by the cache, which is not what this load measures.
local counter = (os.time() % 100000) * 10000000
request = function()
  counter = counter + 1
  return wrk.format("GET", "/v1/convert?amount=" .. counter .. ".25&from=RMB&to=USD&date=2022-12-15")
end
