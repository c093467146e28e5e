/**
 * The pre-flight check as one Lua script: every enabled rule and budget of every subject of a request, checked and
 * counted atomically — all or nothing — so replicas of quota (and of the gateway) can never overshoot a limit.
 *
 * Sliding windows: a hash of 60 buckets of window/60 each, plus the window's running total (field `s`) and a bucket
 * at or below every bucket present (field `lo`). A check reads those two fields and drops only the buckets that left
 * the window since the last check, so its cost does not grow with the number of buckets (reading all 60 buckets of
 * each window on every check cost ~4× more Redis CPU). A hash without `s`/`lo` is rebuilt from its buckets once.
 * A requests rule is hard (this request must fit); a tokens rule is soft (refused once the window is at or over its
 * limit; tokens are counted post-flight).
 * Budgets: `used` (settled spend) + `reserved` (estimates of requests in flight). Soft: a request is admitted while
 * used + reserved is under the cap, and reserves its estimate; the reservation expires if nobody settles it.
 * Expiry: a window lives 61 buckets past its newest bucket, a budget's keys a day past the period's end. Each is set
 * when it moves (a new bucket, a key this run creates), not on every write: every redis.call costs the script time,
 * and a check that re-set five expiries made a quarter of its calls for nothing.
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
local wb, wcost, wms, wsum, wlo, wdirty = {}, {}, {}, {}, {}, {}
local bamt, bend, bfresh, bempty = {}, {}, {}, {}

-- A window's running total and lowest bucket after buckets were dropped, with the expiry a written window keeps.
local function keep(key, sum, lo, bms)
  redis.call('HSET', key, 's', sum, 'lo', lo)
  redis.call('PEXPIRE', key, bms * (B + 1))
end

-- The window's total and lowest bucket from all its buckets, dropping those that left (a hash without s/lo).
local function rebuild(key, oldest)
  local f = redis.call('HGETALL', key)
  local sum, lo = 0, nil
  for j = 1, #f, 2 do
    local b = tonumber(f[j])
    if b ~= nil then
      if b < oldest then
        redis.call('HDEL', key, f[j])
      else
        sum = sum + tonumber(f[j + 1])
        if lo == nil or b < lo then lo = b end
      end
    end
  end
  return sum, lo
end

local a = 6
for i = 1, nw do
  local key = KEYS[i]
  local limit, bms, cost = tonumber(ARGV[a]), tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2])
  a = a + 3
  local nowb = math.floor(now / bms)
  local oldest = nowb - B + 1
  local m = redis.call('HMGET', key, 's', 'lo')
  local sum, lo = tonumber(m[1]), tonumber(m[2])
  local dirty = false
  if sum == nil or lo == nil or oldest - lo > B then
    sum, lo = rebuild(key, oldest)
    dirty = true
  elseif sum > 0 and lo < oldest then
    -- Drop the buckets that left the window since the last check (at most B), then find the oldest one present.
    dirty = true
    while lo < oldest and sum > 0 do
      local c = redis.call('HGET', key, lo)
      if c then
        sum = sum - tonumber(c)
        redis.call('HDEL', key, lo)
      end
      lo = lo + 1
    end
    if sum > 0 then
      while lo <= nowb and redis.call('HEXISTS', key, lo) == 0 do lo = lo + 1 end
      -- Only buckets ahead of the clock (a test clock moved back): count from all of them.
      if lo > nowb then sum, lo = rebuild(key, oldest) end
    end
  end
  -- An empty window has no oldest bucket (every bucket holds a positive count, so s = 0 means no bucket).
  if sum <= 0 then sum, lo = 0, nil end
  -- requests (cost 1): sum + 1 > limit; tokens (cost 0, soft): sum >= limit. Both: sum + 1 - limit > 0.
  local need = sum + 1 - limit
  if need > 0 then
    -- Refused (the rare path): when enough of the window's oldest buckets will have left for this request to fit.
    local retry = B * bms
    if limit > 0 then
      local f = redis.call('HGETALL', key)
      local used = {}
      for j = 1, #f, 2 do
        local b = tonumber(f[j])
        if b ~= nil and b >= oldest then used[#used + 1] = {b, tonumber(f[j + 1])} end
      end
      table.sort(used, function(x, y) return x[1] < y[1] end)
      local dropped = 0
      for _, u in ipairs(used) do
        dropped = dropped + u[2]
        if dropped >= need then retry = (u[1] + B) * bms - now break end
      end
    end
    if retry < 1 then retry = 1 end
    -- Nothing is counted, but the buckets this run dropped are gone: every window it changed keeps s/lo true.
    for j = 1, i - 1 do
      if wdirty[j] then keep(KEYS[j], wsum[j], wlo[j] or wb[j], wms[j]) end
    end
    if dirty then keep(key, sum, lo or nowb, bms) end
    return {i, retry}
  end
  wb[i], wcost[i], wms[i], wsum[i], wlo[i], wdirty[i] = nowb, cost, bms, sum, lo, dirty
  out[#out + 1] = limit - sum - cost
  if lo == nil then out[#out + 1] = B * bms else out[#out + 1] = (lo + B) * bms - now end
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
  local totals = redis.call('HMGET', h, 'used', 'reserved')
  -- Neither field: the totals hash does not exist yet (settlement writes used, reservations write reserved).
  bfresh[k] = not totals[1] and not totals[2]
  local used = tonumber(totals[1] or '0')
  local reserved = tonumber(totals[2] or '0')
  -- Nothing reserved: the reservation hash and zset are empty, so they do not exist (Redis drops an empty one).
  bempty[k] = reserved <= 0
  if used + reserved >= limit then
    local retry = pend - now
    if retry < 1 then retry = 1 end
    for i = 1, nw do
      if wdirty[i] then keep(KEYS[i], wsum[i], wlo[i] or wb[i], wms[i]) end
    end
    return {nw + k, retry}
  end
  bamt[k], bend[k] = amt, pend
  out[#out + 1] = limit - used - reserved - amt
  out[#out + 1] = pend - now
end
for i = 1, nw do
  local key = KEYS[i]
  if wcost[i] > 0 then
    local count = redis.call('HINCRBY', key, wb[i], wcost[i])
    -- The bucket written may lie below lo when the clock stepped back: lo must stay at or below every bucket.
    local lo = wlo[i]
    if lo == nil or wb[i] < lo then lo = wb[i] end
    redis.call('HSET', key, 's', wsum[i] + wcost[i], 'lo', lo)
    -- A new bucket (its count is this request's cost) moves the expiry; a later write to the same bucket need not.
    if count == wcost[i] then redis.call('PEXPIRE', key, wms[i] * (B + 1)) end
  elseif wdirty[i] then
    keep(key, wsum[i], wlo[i] or wb[i], wms[i])
  end
end
for k = 1, nb do
  local base = nw + 3 * (k - 1)
  local h, r, x = KEYS[base + 1], KEYS[base + 2], KEYS[base + 3]
  -- The three keys of a period expire a day after it ends. An existing key has that expiry already (it was set
  -- when the key was made, and it is the same instant for every write), so only a key this run creates gets it.
  local ttl = bend[k] - now + 86400000
  if bamt[k] > 0 and rid ~= '' then
    redis.call('HSET', r, rid, bamt[k])
    redis.call('ZADD', x, now + rttl, rid)
    redis.call('HINCRBY', h, 'reserved', bamt[k])
    if bempty[k] then
      redis.call('PEXPIRE', r, ttl)
      redis.call('PEXPIRE', x, ttl)
    end
    if bfresh[k] then redis.call('PEXPIRE', h, ttl) end
  end
end
return out
`;
