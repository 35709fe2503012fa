/**
 * Takes, for each of several requests in turn, one from every budget it names or from none, on the server's
 * clock, in one round trip (the requests a process asks for in the same turn of its event loop go together).
 *
 * ARGV: one string per request (one string rather than many keeps the client's cost per take low),
 * `member|budget|budget…`: its member (its name in window logs), then per budget the index of its key in KEYS
 * and
 * - `r|interval|burst` (interval: ms per request): a rate budget, kept as GCRA's theoretical arrival time (TAT,
 *   ms) in a string. A request may go when TAT - now <= (burst - 1) * interval; it moves TAT to
 *   max(TAT, now) + interval.
 * - `w|requests|hold|grace` (ms): a window budget, kept as a sorted set of the requests of the last `hold` ms
 *   (member, score = time). A request may go when fewer than `requests` are younger than `hold`; otherwise it
 *   waits until the entry that frees a slot is older. A request is entered `grace` ms ahead (the window's
 *   margin): the time by which its answer normally came back, before which the server certainly counted it; its
 *   process moves it to the time of a later answer (the adjust script). An entry ahead of now counts, in the
 *   wait, as if it were now.
 *
 * Replies three values per request, `1, slack, 0` (slack: how far behind full its rate budgets were, ms) or
 * `0, wait, index` (the first refusing budget's 1-based index and its wait, ms), then the server's `now`.
 * Fractions go as strings: Redis truncates Lua numbers to integers.
 */
export const TAKE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local out = {}
for n = 1, #ARGV do
  local f = {}
  for field in string.gmatch(ARGV[n], '[^|]+') do f[#f + 1] = field end
  local member = f[1]
  local budgets = {}
  local q = 2
  while q <= #f do
    local budget = {key = KEYS[tonumber(f[q])], kind = f[q + 1], a = tonumber(f[q + 2]), b = tonumber(f[q + 3])}
    if budget.kind == 'w' then budget.grace = tonumber(f[q + 4]) q = q + 5 else q = q + 4 end
    budgets[#budgets + 1] = budget
  end
  local refused = 0
  local wait = 0
  local tats = {}
  for j = 1, #budgets do
    local key = budgets[j].key
    local a = budgets[j].a
    local b = budgets[j].b
    if budgets[j].kind == 'r' then
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
    for j = 1, #budgets do
      local key = budgets[j].key
      local a = budgets[j].a
      local b = budgets[j].b
      if budgets[j].kind == 'r' then
        local behind = tats[j] - now
        if slack < 0 or behind < slack then slack = behind end
        local tat = tats[j] + a
        redis.call('SET', key, tostring(tat), 'PX', math.ceil(tat - now + b * a))
      else
        redis.call('ZADD', key, now + budgets[j].grace, member)
        redis.call('PEXPIRE', key, math.ceil(b + budgets[j].grace))
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
