/**
 * Announces an instance (KEYS[1] is the sorted set of instances, ARGV[1] its id, ARGV[2] how long an
 * announcement lasts, ms) and counts the instances announced within that time, itself included. Replies
 * `{count, now}`.
 */
export const HEARTBEAT_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
redis.call('PEXPIRE', KEYS[1], math.ceil(tonumber(ARGV[2])))
return {redis.call('ZCARD', KEYS[1]), tostring(now)}
`;
