/**
 * Applies corrections to budgets in one round trip, each op four arguments (key index, op, x, y):
 * - `p`, member, time: a window entry's answer came back at `time` (server ms): it is placed there (it was pending).
 * - `x`, member: a window entry never reached the wire: removed.
 * - `a`, member, age: a request taken while the store was unreachable, `age` ms ago (negative): recorded then.
 * - `s`, ms, interval: a rate budget's schedule moves `ms` later (its request arrived late).
 * - `e`, burst, interval: a rate budget is emptied (a 429, or a return from the local share).
 */
export const ADJUST_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
for i = 1, #ARGV, 4 do
  local key = KEYS[tonumber(ARGV[i])]
  local op = ARGV[i + 1]
  if op == 'p' then
    redis.call('ZADD', key, 'XX', tonumber(ARGV[i + 3]), ARGV[i + 2])
  elseif op == 'x' then
    redis.call('ZREM', key, ARGV[i + 2])
  elseif op == 'a' then
    redis.call('ZADD', key, 'NX', now + tonumber(ARGV[i + 3]), ARGV[i + 2])
    if redis.call('PTTL', key) < 0 then redis.call('PEXPIRE', key, 86400000) end
  else
    local x = tonumber(ARGV[i + 2])
    local interval = tonumber(ARGV[i + 3])
    local tat = tonumber(redis.call('GET', key) or '0') or 0
    if tat < now then tat = now end
    if op == 's' then tat = tat + x elseif tat < now + x * interval then tat = now + x * interval end
    redis.call('SET', key, tostring(tat), 'PX', math.ceil(tat - now + 60000))
  end
end
return 1
`;
