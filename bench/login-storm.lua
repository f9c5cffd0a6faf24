-- wrk script: a storm of failed logins, each with a fresh email from a fresh address (the
-- server must run with NEWSROOM_TRUST_FORWARDED=true), so every request costs an argon2id
-- verification: a botnet's storm, which neither the per-account nor the per-address
-- throttle stops.
-- wrk -t1 -c16 -d20s -s bench/login-storm.lua http://127.0.0.1:18081/api/v1/auth/login
local n = 0
-- A fresh seed per run and thread: with wrk's fixed default seed, every run sent the same
-- emails, so later runs met the per-account throttle (429, no hashing) instead of a storm.
function init(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1000000) + tonumber(tostring({}):match("0x(%x+)"), 16) % 100000)
end
-- Answers refused for the hashing budget (429) or a busy slot (503) are counted apart: the
-- storm's rate of logins served is the rest.
refused = 0
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end
function response(status, headers, body)
  if status == 429 or status == 503 then
    refused = refused + 1
  end
end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + (thread:get("refused") or 0)
  end
  io.write(string.format("refused %d of %d\n", total, summary.requests))
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  n = n + 1
  local body = string.format('{"email": "storm-%d-%d@bench.example", "password": "not the password"}',
                             math.random(1, 1000000000), n)
  local headers = {["Content-Type"] = "application/json",
                   ["X-Forwarded-For"] = string.format("198.18.%d.%d", math.random(0, 255), math.random(1, 254))}
  return wrk.format(nil, nil, headers, body)
end
