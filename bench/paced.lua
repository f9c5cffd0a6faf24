-- wrk script: each connection waits DELAY ms (default 1) between its requests, so the load is
-- a steady rate below the machine's limit instead of a closed loop at saturation.
local ms = tonumber(os.getenv("DELAY") or "1")
function delay() return ms end
