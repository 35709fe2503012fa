/**
 * Takes one request from every budget in KEYS, or from none, on the server's clock, in one round trip.
 *
 * ARGV[1] is the member naming this request in window logs; then three arguments per key:
 * - `r`, interval (ms per request), burst: a rate budget, kept as GCRA's theoretical arrival time (TAT, ms) in a
 *   string. A request may go when TAT - now <= (burst - 1) * interval; it moves TAT to max(TAT, now) + interval.
 * - `w`, requests, hold (ms): a window budget, kept as a sorted set of the requests of the last `hold` ms (member,
 *   score = time). A request may go when fewer than `requests` are younger than `hold`; the wait otherwise is
 *   until the one that frees a slot is older.
 *
 * Replies `{1, slack, 0, now}` (slack: how far behind full the rate budgets were, ms) or `{0, wait, index, now}`
 * (the first refusing budget's 1-based index and its wait, ms). Numbers go as strings: Redis truncates Lua
 * numbers to integers.
 */
export const TAKE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local tats = {}
for i = 1, #KEYS do
  local base = 2 + (i - 1) * 3
  local a = tonumber(ARGV[base + 1])
  local b = tonumber(ARGV[base + 2])
  if ARGV[base] == 'r' then
    local tat = tonumber(redis.call('GET', KEYS[i]) or '0') or 0
    if tat < now then tat = now end
    local wait = tat - (b - 1) * a - now
    if wait > 0 then return {0, tostring(wait), i, tostring(now)} end
    tats[i] = tat
  else
    redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - b)
    local count = redis.call('ZCARD', KEYS[i])
    if count >= a then
      local frees = redis.call('ZRANGE', KEYS[i], count - a, count - a, 'WITHSCORES')
      local wait = tonumber(frees[2]) + b - now
      if wait < 1 then wait = 1 end
      return {0, tostring(wait), i, tostring(now)}
    end
  end
end
local slack = -1
for i = 1, #KEYS do
  local base = 2 + (i - 1) * 3
  local a = tonumber(ARGV[base + 1])
  local b = tonumber(ARGV[base + 2])
  if ARGV[base] == 'r' then
    local behind = tats[i] - now
    if slack < 0 or behind < slack then slack = behind end
    local tat = tats[i] + a
    redis.call('SET', KEYS[i], tostring(tat), 'PX', math.ceil(tat - now + b * a))
  else
    redis.call('ZADD', KEYS[i], now, ARGV[1])
    redis.call('PEXPIRE', KEYS[i], math.ceil(b))
  end
end
if slack < 0 then slack = 0 end
return {1, tostring(slack), 0, tostring(now)}
`;
