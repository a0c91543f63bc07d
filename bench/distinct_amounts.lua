-- wrk script: GET /v1/convert with a different amount on every request, so no two requests
-- share a target and none is answered from the server's reply cache.
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", "/v1/convert?amount=" .. counter .. ".25&from=RMB&to=USD&date=2022-12-15")
end
