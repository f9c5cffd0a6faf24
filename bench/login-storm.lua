-- wrk script: a storm of failed logins, each with a fresh email, so every request costs an
-- argon2id verification (the per-account throttle never kicks in).
-- wrk -t1 -c16 -d20s -s bench/login-storm.lua http://127.0.0.1:18081/api/v1/auth/login
local n = 0
-- A fresh seed per run and thread: with wrk's fixed default seed, every run sent the same
-- emails, so later runs met the per-account throttle (429, no hashing) instead of a storm.
function init(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1000000) + tonumber(tostring({}):match("0x(%x+)"), 16) % 100000)
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  n = n + 1
  local body = string.format('{"email": "storm-%d-%d@bench.example", "password": "not the password"}',
                             math.random(1, 1000000000), n)
  return wrk.format(nil, nil, nil, body)
end
