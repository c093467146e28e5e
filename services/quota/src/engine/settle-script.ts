/**
 * Post-flight accounting of one gateway event as one Lua script: idempotent per event id (a redelivered event finds
 * its marker and changes nothing), counts real weighted tokens into token windows, settles the event's budget
 * reservation against its real cost, and reports which alert thresholds (50/80/95/100 %) this event crossed first
 * in the period — each fires once per period, because its flag lives in the period's own hash.
 *
 * KEYS: the event's marker, one per token window, three per budget (as in the check).
 * ARGV: now_ms (0: Redis's own clock), event_id, marker_ttl_ms, n_windows, n_budgets, per window (bucket_ms, amount),
 *       per budget (amount, limit, ttl_ms).
 * Returns {-1} for a duplicate, else {0, fired_mask, used, …} per budget (mask bits: 1=50, 2=80, 4=95, 8=100).
 */
export const SETTLE_LUA = `
if not redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[3]) then return {-1} end
local now = tonumber(ARGV[1])
if now == 0 then
  -- Redis's clock: scripts run one at a time, so time only moves forward in the order counters change.
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local eid = ARGV[2]
local nw = tonumber(ARGV[4])
local nb = tonumber(ARGV[5])
local B = 60
local a = 6
for i = 1, nw do
  local bms, amount = tonumber(ARGV[a]), tonumber(ARGV[a + 1])
  a = a + 2
  if amount > 0 then
    local key, b = KEYS[1 + i], math.floor(now / bms)
    local m = redis.call('HMGET', key, 's', 'lo')
    local sum, lo = tonumber(m[1]), tonumber(m[2])
    local count = redis.call('HINCRBY', key, b, amount)
    -- Keep the check's running total and oldest bucket true; a window without them is rebuilt by its next check.
    if sum ~= nil and lo ~= nil then
      if sum <= 0 or b < lo then
        redis.call('HSET', key, 's', sum + amount, 'lo', b)
      else
        redis.call('HINCRBY', key, 's', amount)
      end
    end
    -- A new bucket (its count is this amount) moves the window's expiry; a later write to the same bucket need not.
    if count == amount then redis.call('PEXPIRE', key, bms * (B + 1)) end
  end
end
local out = {0}
local thresholds = {50, 80, 95, 100}
local bits = {1, 2, 4, 8}
for k = 1, nb do
  local base = 1 + nw + 3 * (k - 1)
  local h, r, x = KEYS[base + 1], KEYS[base + 2], KEYS[base + 3]
  local amount, limit, ttl = tonumber(ARGV[a]), tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2])
  a = a + 3
  local held = redis.call('HGET', r, eid)
  if held then
    redis.call('HDEL', r, eid)
    redis.call('ZREM', x, eid)
    redis.call('HINCRBY', h, 'reserved', -tonumber(held))
  end
  local used = redis.call('HINCRBY', h, 'used', amount)
  -- A day after the period ends, the same instant for every write: set when used is new (the hash may be too).
  if used == amount then redis.call('PEXPIRE', h, ttl) end
  local mask = 0
  if limit > 0 then
    for t = 1, 4 do
      if used * 100 >= thresholds[t] * limit and redis.call('HSETNX', h, 'a' .. thresholds[t], '1') == 1 then
        mask = mask + bits[t]
      end
    end
  end
  out[#out + 1] = mask
  out[#out + 1] = used
end
return out
`;
