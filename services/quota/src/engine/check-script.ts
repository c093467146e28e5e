/**
 * The pre-flight check as one Lua script: every enabled rule and budget of every subject of a request, checked and
 * counted atomically — all or nothing — so replicas of quota (and of the gateway) can never overshoot a limit.
 *
 * Sliding windows: a hash of 60 buckets of window/60 each. A requests rule is hard (this request must fit); a tokens
 * rule is soft (refused once the window is at or over its limit; tokens are counted post-flight).
 * Budgets: `used` (settled spend) + `reserved` (estimates of requests in flight). Soft: a request is admitted while
 * used + reserved is under the cap, and reserves its estimate; the reservation expires if nobody settles it.
 *
 * KEYS: one per window, then three per budget (totals hash, reservation amounts hash, reservation expiry zset).
 * ARGV: now_ms (0: Redis's own clock), reservation_id, reservation_ttl_ms, n_windows, n_budgets,
 *       per window (limit, bucket_ms, cost), per budget (limit, reserve_amount, period_end_ms).
 * Returns {0, remaining, reset_ms, …} per counter in order when allowed, or {counter_index, retry_after_ms}.
 */
export const CHECK_LUA = `
local now = tonumber(ARGV[1])
if now == 0 then
  -- Redis's clock: scripts run one at a time, so time only moves forward in the order counters change.
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local rid = ARGV[2]
local rttl = tonumber(ARGV[3])
local nw = tonumber(ARGV[4])
local nb = tonumber(ARGV[5])
local B = 60
local out = {0}
local wb, wcost, wms = {}, {}, {}
local bamt, bend = {}, {}
local a = 6
for i = 1, nw do
  local key = KEYS[i]
  local limit, bms, cost = tonumber(ARGV[a]), tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2])
  a = a + 3
  local nowb = math.floor(now / bms)
  local oldest = nowb - B + 1
  local f = redis.call('HGETALL', key)
  local sum, used, minb = 0, {}, nil
  for j = 1, #f, 2 do
    local b = tonumber(f[j])
    if b < oldest then
      redis.call('HDEL', key, f[j])
    else
      local c = tonumber(f[j + 1])
      sum = sum + c
      used[#used + 1] = {b, c}
      if minb == nil or b < minb then minb = b end
    end
  end
  -- requests (cost 1): sum + 1 > limit; tokens (cost 0, soft): sum >= limit. Both: sum + 1 - limit > 0.
  local need = sum + 1 - limit
  if need > 0 then
    local retry = B * bms
    if limit > 0 then
      table.sort(used, function(x, y) return x[1] < y[1] end)
      local dropped = 0
      for _, u in ipairs(used) do
        dropped = dropped + u[2]
        if dropped >= need then retry = (u[1] + B) * bms - now break end
      end
    end
    if retry < 1 then retry = 1 end
    return {i, retry}
  end
  wb[i], wcost[i], wms[i] = nowb, cost, bms
  out[#out + 1] = limit - sum - cost
  if minb == nil then out[#out + 1] = B * bms else out[#out + 1] = (minb + B) * bms - now end
end
for k = 1, nb do
  local base = nw + 3 * (k - 1)
  local h, r, x = KEYS[base + 1], KEYS[base + 2], KEYS[base + 3]
  local limit, amt, pend = tonumber(ARGV[a]), tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2])
  a = a + 3
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', x, '-inf', now)) do
    local held = redis.call('HGET', r, id)
    if held then
      redis.call('HDEL', r, id)
      redis.call('HINCRBY', h, 'reserved', -tonumber(held))
    end
    redis.call('ZREM', x, id)
  end
  local used = tonumber(redis.call('HGET', h, 'used') or '0')
  local reserved = tonumber(redis.call('HGET', h, 'reserved') or '0')
  if used + reserved >= limit then
    local retry = pend - now
    if retry < 1 then retry = 1 end
    return {nw + k, retry}
  end
  bamt[k], bend[k] = amt, pend
  out[#out + 1] = limit - used - reserved - amt
  out[#out + 1] = pend - now
end
for i = 1, nw do
  if wcost[i] > 0 then
    redis.call('HINCRBY', KEYS[i], wb[i], wcost[i])
    redis.call('PEXPIRE', KEYS[i], wms[i] * (B + 1))
  end
end
for k = 1, nb do
  local base = nw + 3 * (k - 1)
  local h, r, x = KEYS[base + 1], KEYS[base + 2], KEYS[base + 3]
  local ttl = bend[k] - now + 86400000
  if bamt[k] > 0 and rid ~= '' then
    redis.call('HSET', r, rid, bamt[k])
    redis.call('ZADD', x, now + rttl, rid)
    redis.call('HINCRBY', h, 'reserved', bamt[k])
    redis.call('PEXPIRE', r, ttl)
    redis.call('PEXPIRE', x, ttl)
  end
  redis.call('PEXPIRE', h, ttl)
end
return out
`;
