/**
 * Applies corrections to budgets in one round trip, each op one argument, `keyIndex|op|x|y` (one string rather than
 * four keeps the client's cost per op low):
 * - `p`, member, time: a window entry's answer came back at `time` (server ms), after its grace: it holds its slot
 *   from then (moved later, or entered again if it had already left the window).
 * - `x`, member: a window entry never reached the wire: removed.
 * - `a`, member, age: a request taken while the store was unreachable, `age` ms ago (negative): recorded then.
 * - `s`, ms, interval: a rate budget's schedule moves `ms` later (its request arrived late).
 * - `e`, burst, interval: a rate budget is emptied (a 429, or a return from the local share).
 */
export const ADJUST_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
for i = 1, #ARGV do
  local k, op, a, b = string.match(ARGV[i], '^(%d+)|(%a)|([^|]*)|([^|]*)$')
  local key = KEYS[tonumber(k)]
  if op == 'p' then
    local score = redis.call('ZSCORE', key, a)
    if not score or tonumber(score) < tonumber(b) then redis.call('ZADD', key, tonumber(b), a) end
  elseif op == 'x' then
    redis.call('ZREM', key, a)
  elseif op == 'a' then
    redis.call('ZADD', key, 'NX', now + tonumber(b), a)
    if redis.call('PTTL', key) < 0 then redis.call('PEXPIRE', key, 86400000) end
  else
    local x = tonumber(a)
    local interval = tonumber(b)
    local tat = tonumber(redis.call('GET', key) or '0') or 0
    if tat < now then tat = now end
    if op == 's' then tat = tat + x elseif tat < now + x * interval then tat = now + x * interval end
    redis.call('SET', key, tostring(tat), 'PX', math.ceil(tat - now + 60000))
  end
end
return 1
`;
