/**
 * The circuit breaker's state machine as Redis Lua scripts, so every ai-proxy replica reads and moves one shared
 * state atomically. One hash per route: state, the counting window (start, requests, failures), when it opened, and
 * the half-open probes handed out / succeeded.
 */

/** Admission. ARGV: now, recoveryMs, maxProbes. Returns { decision, state, transition, openedAt }. */
export const BREAKER_ADMIT = `
local h = KEYS[1]
local now = tonumber(ARGV[1])
local recovery = tonumber(ARGV[2])
local s = redis.call('HMGET', h, 'state', 'openedAt', 'probes', 'probeAt')
local state = s[1] or 'closed'
local openedAt = tonumber(s[2] or '0')
if state == 'closed' then return {'allow', 'closed', '', openedAt} end
if state == 'open' then
  if now - openedAt < recovery then return {'deny', 'open', '', openedAt} end
  redis.call('HSET', h, 'state', 'half_open', 'probes', 1, 'probeOk', 0, 'probeAt', now)
  return {'probe', 'half_open', 'half_opened', openedAt}
end
local probes = tonumber(s[3] or '0')
local probeAt = tonumber(s[4] or '0')
-- A probe whose replica died never reports back: after another recovery period, hand out probes afresh.
if probes < tonumber(ARGV[3]) or now - probeAt >= recovery then
  if probes >= tonumber(ARGV[3]) then probes = 0 end
  redis.call('HSET', h, 'probes', probes + 1, 'probeAt', now)
  return {'probe', 'half_open', '', openedAt}
end
return {'deny', 'half_open', '', openedAt}
`;

/**
 * Outcomes of one route. ARGV: now, successes, windowMs, failureThreshold, errorRatePct, probesToClose, wasProbe (1/0),
 * ttlSeconds, failures. A probe reports alone (one outcome); successes of requests admitted while closed may arrive
 * several at once, folded in by the replica that saw them. Returns { state, transition, openedAt }.
 */
export const BREAKER_RECORD = `
local h = KEYS[1]
local now = tonumber(ARGV[1])
local good = tonumber(ARGV[2])
local bad = tonumber(ARGV[9])
local ok = bad == 0
local s = redis.call('HMGET', h, 'state', 'winStart', 'requests', 'failures', 'openedAt')
local state = s[1] or 'closed'
local openedAt = tonumber(s[5] or '0')
redis.call('EXPIRE', h, tonumber(ARGV[8]))
if state == 'open' then return {'open', '', openedAt} end
if state == 'half_open' then
  -- Only the probes decide; late answers of requests admitted while closed do not.
  if ARGV[7] ~= '1' then return {'half_open', '', openedAt} end
  if ok then
    local passed = redis.call('HINCRBY', h, 'probeOk', 1)
    if passed >= tonumber(ARGV[6]) then
      redis.call('HSET', h, 'state', 'closed', 'winStart', now, 'requests', 0, 'failures', 0, 'probes', 0, 'probeOk', 0)
      return {'closed', 'closed', openedAt}
    end
    return {'half_open', '', openedAt}
  end
  redis.call('HSET', h, 'state', 'open', 'openedAt', now, 'probes', 0, 'probeOk', 0)
  return {'open', 'reopened', now}
end
local winStart = tonumber(s[2] or '0')
local requests = tonumber(s[3] or '0')
local failures = tonumber(s[4] or '0')
if now - winStart >= tonumber(ARGV[3]) then
  winStart = now
  requests = 0
  failures = 0
end
requests = requests + good + bad
failures = failures + bad
if (not ok) and failures >= tonumber(ARGV[4]) and failures * 100 >= tonumber(ARGV[5]) * requests then
  redis.call('HSET', h, 'state', 'open', 'openedAt', now, 'winStart', now, 'requests', 0, 'failures', 0, 'probes', 0, 'probeOk', 0)
  return {'open', 'opened', now}
end
redis.call('HSET', h, 'state', 'closed', 'winStart', winStart, 'requests', requests, 'failures', failures)
return {'closed', '', openedAt}
`;

/**
 * A probe that ends without an outcome (its route was skipped at a cap, or its client went away) gives its slot back,
 * so the breaker does not sit half-open until the slot goes stale. Returns the probes still out.
 */
export const BREAKER_RELEASE = `
local h = KEYS[1]
local s = redis.call('HMGET', h, 'state', 'probes')
local probes = tonumber(s[2] or '0')
if s[1] ~= 'half_open' or probes <= 0 then return probes end
return redis.call('HINCRBY', h, 'probes', -1)
`;
