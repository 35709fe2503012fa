/**
 * Takes, for each of several requests in turn, one from every budget it names or from none, on the server's
 * clock, in one round trip (the requests a process asks for in the same turn of its event loop go together).
 *
 * ARGV: the count of requests, then per request its member (its name in window logs), its count of budgets, and
 * four arguments per budget: the index of its key in KEYS, then
 * - `r`, interval (ms per request), burst: a rate budget, kept as GCRA's theoretical arrival time (TAT, ms) in a
 *   string. A request may go when TAT - now <= (burst - 1) * interval; it moves TAT to max(TAT, now) + interval.
 * - `w`, requests, hold (ms): a window budget, kept as a sorted set of the requests of the last `hold` ms
 *   (member, score = time). A request may go when fewer than `requests` are younger than `hold`; otherwise it
 *   waits until the entry that frees a slot is older. A request taken is entered as pending, a minute ahead
 *   (core's default deadline of a call): its process places it at the time its answer came back once it has
 *   (the adjust script), so an answer late or a placement lost can only hold the slot longer, never free it
 *   early. A pending entry counts, in the wait, as if placed now.
 *
 * Replies three values per request, `1, slack, 0` (slack: how far behind full its rate budgets were, ms) or
 * `0, wait, index` (the first refusing budget's 1-based index and its wait, ms), then the server's `now`.
 * Fractions go as strings: Redis truncates Lua numbers to integers.
 */
export const TAKE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local pending = 60000
local out = {}
local p = 2
for n = 1, tonumber(ARGV[1]) do
  local member = ARGV[p]
  local count = tonumber(ARGV[p + 1])
  local first = p + 2
  p = first + count * 4
  local refused = 0
  local wait = 0
  local tats = {}
  for j = 1, count do
    local q = first + (j - 1) * 4
    local key = KEYS[tonumber(ARGV[q])]
    local a = tonumber(ARGV[q + 2])
    local b = tonumber(ARGV[q + 3])
    if ARGV[q + 1] == 'r' then
      local tat = tonumber(redis.call('GET', key) or '0') or 0
      if tat < now then tat = now end
      tats[j] = tat
      local w = tat - (b - 1) * a - now
      if w > 0 then refused = j wait = w break end
    else
      redis.call('ZREMRANGEBYSCORE', key, '-inf', now - b)
      local size = redis.call('ZCARD', key)
      if size >= a then
        local frees = redis.call('ZRANGE', key, size - a, size - a, 'WITHSCORES')
        local at = tonumber(frees[2])
        if at > now then at = now end
        local w = at + b - now
        if w < 1 then w = 1 end
        refused = j
        wait = w
        break
      end
    end
  end
  if refused > 0 then
    out[#out + 1] = 0
    out[#out + 1] = tostring(wait)
    out[#out + 1] = refused
  else
    local slack = -1
    for j = 1, count do
      local q = first + (j - 1) * 4
      local key = KEYS[tonumber(ARGV[q])]
      local a = tonumber(ARGV[q + 2])
      local b = tonumber(ARGV[q + 3])
      if ARGV[q + 1] == 'r' then
        local behind = tats[j] - now
        if slack < 0 or behind < slack then slack = behind end
        local tat = tats[j] + a
        redis.call('SET', key, tostring(tat), 'PX', math.ceil(tat - now + b * a))
      else
        redis.call('ZADD', key, now + pending, member)
        redis.call('PEXPIRE', key, math.ceil(b + pending))
      end
    end
    if slack < 0 then slack = 0 end
    out[#out + 1] = 1
    out[#out + 1] = tostring(slack)
    out[#out + 1] = 0
  end
end
out[#out + 1] = tostring(now)
return out
`;
