/**
 * The queue's state changes, one Lua script each (atomic on one Redis, and on a Cluster because
 * every key of a show carries the hash tag {show:<id>}).
 *
 * KEYS: 1 meta (hash: phase, reason, next, served, tokens, refillAt, batch, admitted, abandoned)
 *       2 tickets (member → ticket; 0 in the pre-queue)   3 owners (ticket → member)
 *       4 pre (list: pre-queue in join order)             5 left (zset: tickets given up, > served)
 *       6 leases (zset: member → lease expiry)            7 joined (member → "ms:ahead" or admittedAt)
 *       8 outbox (list: "seq|ms|m1,m2" admission batches to record as events)
 * The rules are those of src/domain/admission (see phaseAt, join, admit, …); the model-based test
 * (tests/integration/admission/admission-model.spec.ts) runs both side by side.
 */
const common = `
local meta, tickets, owners, pre, left, leases, joined = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local function num(key, field) return tonumber(redis.call('HGET', key, field)) or 0 end
local function waiting(t)
  t = tonumber(t)
  if t == 0 then return {'waiting', 0} end
  local served = num(meta, 'served')
  local gone = redis.call('ZCOUNT', left, '(' .. served, '(' .. t)
  return {'waiting', t, t - served - 1 - gone}
end
-- the instant that decides the phase: the caller's (tests) or, by default, this Redis server's clock
local function instant(arg)
  if arg and arg ~= '' then return tonumber(arg) end
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
-- stops the pre-queue (later joiners take tickets after it); returns it deduplicated in join order
local function freeze(phase)
  local seen, list = {}, {}
  for _, m in ipairs(redis.call('LRANGE', pre, 0, -1)) do
    if not seen[m] then seen[m] = true; list[#list + 1] = m end
  end
  if phase == 'prequeue' then redis.call('HSET', meta, 'phase', 'drawing', 'next', #list) end
  return list
end
local function closed() return {'closed', redis.call('HGET', meta, 'reason') or 'closed'} end
-- renews a live lease (capped by the session limit); drops an expired one
local function renew(m, now, leaseMs, sessionMs)
  local lease = redis.call('ZSCORE', leases, m)
  if not lease then return nil end
  if tonumber(lease) <= now then
    redis.call('ZREM', leases, m)
    redis.call('HDEL', joined, m)
    redis.call('HINCRBY', meta, 'abandoned', 1)
    return false
  end
  local since = num(joined, m)
  local expiry = math.min(now + leaseMs, since + sessionMs)
  if expiry > tonumber(lease) then redis.call('ZADD', leases, 'XX', expiry, m) else expiry = tonumber(lease) end
  return expiry
end
-- ends a member's lease (with admittedAt, only while it is still that admission's): 1 ended, 0 none, -1 another admission's
local function endLease(m, admittedAt)
  if admittedAt and admittedAt ~= '' and num(joined, m) ~= tonumber(admittedAt) then return -1 end
  if redis.call('ZREM', leases, m) == 0 then return 0 end
  redis.call('HDEL', joined, m)
  return 1
end
`;

/**
 * The admit step (see admit): expires silent leases, refills the token bucket, admits in ticket
 * order within rate and room, and puts the batch in the outbox. Returns {phase, active, waiting,
 * expired, "member|joined"…}.
 */
const admitting = `
local function admitStep(now, rate, maxActive, leaseMs, maxBatch)
  local phase = redis.call('HGET', meta, 'phase')
  if phase ~= 'open' then
    return {phase or 'absent', redis.call('ZCARD', leases), redis.call('HLEN', tickets), 0}
  end
  local expired = redis.call('ZRANGEBYSCORE', leases, '-inf', now, 'LIMIT', 0, 1000)
  if #expired > 0 then
    redis.call('ZREM', leases, unpack(expired))
    redis.call('HDEL', joined, unpack(expired))
    redis.call('HINCRBY', meta, 'abandoned', #expired)
  end
  local at = num(meta, 'refillAt')
  local tokens = num(meta, 'tokens')
  if now > at then tokens = math.min(math.max(1, rate), tokens + (now - at) * rate / 1000) else now = math.max(now, at) end
  local active = redis.call('ZCARD', leases)
  local want = math.min(math.floor(tokens), maxActive - active, maxBatch)
  local served, last = num(meta, 'served'), num(meta, 'next')
  local out, names = {}, {}
  local skips = 0
  while #names < want and served < last and skips < 10000 do
    served = served + 1
    local m = redis.call('HGET', owners, served)
    if m then
      redis.call('HDEL', owners, served)
      redis.call('HDEL', tickets, m)
      out[#out + 1] = m .. '|' .. (redis.call('HGET', joined, m) or '')
      names[#names + 1] = m
      redis.call('ZADD', leases, now + leaseMs, m)
      redis.call('HSET', joined, m, now)
    else
      redis.call('ZREM', left, served)
      skips = skips + 1
    end
  end
  redis.call('HSET', meta, 'served', served, 'tokens', tokens - #names, 'refillAt', now)
  if #names > 0 then
    local seq = redis.call('HINCRBY', meta, 'batch', 1)
    redis.call('HINCRBY', meta, 'admitted', #names)
    redis.call('RPUSH', KEYS[8], seq .. '|' .. now .. '|' .. table.concat(names, ','))
  end
  local result = {'open', active + #names, redis.call('HLEN', tickets), #expired}
  for _, entry in ipairs(out) do result[#result + 1] = entry end
  return result
end
`;

/**
 * ARGV: salesOpenAt, leaseMs, sessionMs, admitPerSecond, maxActive, firstLeaseMs, maxBatch (the
 * four '' for no admit step), then per join: member, now, receivedAt ('' for this server's TIME) —
 * the places of the joins of one turn of the event loop, in their order (ticket order = join
 * order). A join received before salesOpenAt goes into the pre-queue; the first one received at or
 * after it freezes the draw in this same step, so no later join can be drawn among the early ones.
 * When the first join to take a new ticket found nobody ahead, the admit step follows at once and
 * each joiner still waiting before it is answered as a look-up would answer it then (see joinAll).
 */
export const joinsScript = `${common}${admitting}
local openAt, leaseMs, sessionMs = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local rate, maxActive, firstLeaseMs, maxBatch = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local lineWasEmpty = nil
local function join(m, now, receivedAt)
  local at = instant(receivedAt)
  local phase = redis.call('HGET', meta, 'phase')
  if not phase then
    phase = at < openAt and 'prequeue' or 'open'
    redis.call('HSET', meta, 'phase', phase, 'next', 0, 'served', 0, 'tokens', 0, 'refillAt', now)
  elseif phase == 'prequeue' and at >= openAt then
    freeze(phase)
    phase = 'drawing'
  end
  if phase == 'closed' then return closed() end
  local expiry = renew(m, now, leaseMs, sessionMs)
  if expiry then return {'admitted', expiry} end
  local t = redis.call('HGET', tickets, m)
  if t then return waiting(t) end
  if phase == 'prequeue' then
    redis.call('RPUSH', pre, m)
    redis.call('HSET', tickets, m, 0)
    return {'waiting', 0}
  end
  t = redis.call('HINCRBY', meta, 'next', 1)
  redis.call('HSET', tickets, m, t)
  redis.call('HSET', owners, t, m)
  local place = waiting(t)
  redis.call('HSET', joined, m, now .. ':' .. place[3])
  if lineWasEmpty == nil then lineWasEmpty = place[3] == 0 end
  return place
end
local places, latest = {}, nil
for i = 8, #ARGV, 3 do
  local now = tonumber(ARGV[i + 1])
  places[#places + 1] = join(ARGV[i], now, ARGV[i + 2])
  if latest == nil or now > latest then latest = now end
end
if rate and lineWasEmpty then
  admitStep(latest, rate, maxActive, firstLeaseMs, maxBatch)
  -- each waiting joiner answered as a look-up would answer it now (see status)
  for i = 1, #places do
    local m, place = ARGV[8 + (i - 1) * 3], places[i]
    if place[1] == 'waiting' and place[2] ~= 0 then
      local expiry = renew(m, latest, leaseMs, sessionMs)
      if expiry then places[i] = {'admitted', expiry} else places[i] = waiting(place[2]) end
    end
  end
end
return places
`;

/**
 * ARGV: now, leaseMs, sessionMs, members… — where each member stands, in order (admitted members'
 * leases are renewed): the polls and event streams of one process share one call per tick.
 */
export const statusesScript = `${common}
local now, leaseMs, sessionMs = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local phase = redis.call('HGET', meta, 'phase')
local places = {}
for i = 4, #ARGV do
  local place = {'absent'}
  if phase == 'closed' then
    place = closed()
  elseif phase then
    local expiry = renew(ARGV[i], now, leaseMs, sessionMs)
    if expiry then
      place = {'admitted', expiry}
    else
      local t = redis.call('HGET', tickets, ARGV[i])
      if t then place = waiting(t) end
    end
  end
  places[#places + 1] = place
end
return places
`;

/** ARGV: upTo — phase, served, reason, and the tickets given up in (served, upTo] (read only). */
export const glanceScript = `${common}
local phase = redis.call('HGET', meta, 'phase')
if not phase then return {'absent', 0, '', {}} end
local served = num(meta, 'served')
local reason = redis.call('HGET', meta, 'reason') or 'closed'
return {phase, served, reason, redis.call('ZRANGEBYSCORE', left, '(' .. served, ARGV[1])}
`;

/**
 * ARGV: leaseMs, sessionMs, then per member: member, now — each lease renewed in order, as one
 * call each would ({expiry, admittedAt}, or false): the holds and confirms of one turn share a call.
 */
export const renewsScript = `${common}
local leaseMs, sessionMs = tonumber(ARGV[1]), tonumber(ARGV[2])
local closedNow = redis.call('HGET', meta, 'phase') == 'closed'
local leasesOut = {}
for i = 3, #ARGV, 2 do
  local expiry = not closedNow and renew(ARGV[i], tonumber(ARGV[i + 1]), leaseMs, sessionMs)
  leasesOut[#leasesOut + 1] = expiry and {expiry, num(joined, ARGV[i])} or false
end
return leasesOut
`;

/** ARGV: member — ends their lease, or gives up their place in the queue (releases: releasesScript). */
export const leaveScript = `${common}
local m = ARGV[1]
if endLease(m, '') == 1 then return 1 end
local t = redis.call('HGET', tickets, m)
if not t then return 0 end
redis.call('HDEL', tickets, m)
redis.call('HDEL', joined, m)
t = tonumber(t)
if t > 0 then
  redis.call('HDEL', owners, t)
  if t > num(meta, 'served') then redis.call('ZADD', left, t, t) end
end
return 1
`;

/**
 * ARGV: per member: member, admittedAt ('' for any admission) — each admission's lease ended in
 * order, as one release each would (1 or 0): the confirms of one turn share a call.
 */
export const releasesScript = `${common}
local released = {}
for i = 1, #ARGV, 2 do released[#released + 1] = math.max(endLease(ARGV[i], ARGV[i + 1]), 0) end
return released
`;

/**
 * ARGV: salesOpenAt ('' for at once), now ('' for this server's TIME). Freezes the pre-queue once
 * the opening has come; returns it deduplicated in join order (the same on every call).
 */
export const freezeScript = `${common}
local phase = redis.call('HGET', meta, 'phase')
if phase ~= 'prequeue' and phase ~= 'drawing' then return false end
if phase == 'prequeue' and ARGV[1] ~= '' and instant(ARGV[2]) < tonumber(ARGV[1]) then return false end
return freeze(phase)
`;

/** ARGV: seed, now — keeps the seed unless one is kept already; returns {seed, committedAt}. */
export const commitSeedScript = `
if redis.call('HSETNX', KEYS[1], 'seed', ARGV[1]) == 1 then redis.call('HSET', KEYS[1], 'seedAt', ARGV[2]) end
return redis.call('HMGET', KEYS[1], 'seed', 'seedAt')
`;

/** ARGV: offset, now, members… — places a chunk of the drawn order at tickets offset+1…; idempotent. */
export const drawChunkScript = `${common}
if redis.call('HGET', meta, 'phase') ~= 'drawing' then return 0 end
local offset, now = tonumber(ARGV[1]), ARGV[2]
for i = 3, #ARGV do
  local m, t = ARGV[i], offset + i - 2
  local current = redis.call('HGET', tickets, m)
  if current == '0' then
    redis.call('HSET', tickets, m, t)
    redis.call('HSET', owners, t, m)
    redis.call('HSET', joined, m, now .. ':' .. (t - 1))
  elseif current ~= tostring(t) then
    redis.call('ZADD', left, t, t)
  end
end
return 1
`;

/** ARGV: now — ends the draw: admission may start. */
export const openScript = `${common}
if redis.call('HGET', meta, 'phase') ~= 'drawing' then return 0 end
redis.call('HSET', meta, 'phase', 'open', 'tokens', 0, 'refillAt', ARGV[1])
redis.call('DEL', pre)
return 1
`;

/**
 * ARGV: now, admitPerSecond, maxActive, leaseMs (the first lease: see firstLeaseMs), maxBatch. Expires
 * silent leases, refills a token bucket (burst: one second's worth), admits min(tokens, room) in
 * ticket order skipping leavers.
 * Returns {phase, active, waiting, expired, admitted…} where each admitted entry is "member|joined".
 */
export const admitScript = `${common}${admitting}
local now, rate, maxActive, leaseMs, maxBatch = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
return admitStep(now, rate, maxActive, leaseMs, maxBatch)
`;

/** ARGV: reason, ttlSeconds, now — closes and lets the show's keys expire later. */
export const closeScript = `${common}
if redis.call('HGET', meta, 'phase') == 'closed' and redis.call('HGET', meta, 'reason') == ARGV[1] then return 0 end
redis.call('HSET', meta, 'phase', 'closed', 'reason', ARGV[1], 'closedAt', ARGV[3])
for i = 1, #KEYS do redis.call('EXPIRE', KEYS[i], tonumber(ARGV[2])) end
return 1
`;

/** ARGV: now, quietMs — reopens a show closed as sold out at least quietMs ago. */
export const reopenScript = `${common}
if redis.call('HGET', meta, 'phase') ~= 'closed' or redis.call('HGET', meta, 'reason') ~= 'sold_out' then return 0 end
if tonumber(ARGV[1]) - num(meta, 'closedAt') < tonumber(ARGV[2]) then return 0 end
redis.call('HSET', meta, 'phase', 'open', 'tokens', 0, 'refillAt', ARGV[1])
redis.call('HDEL', meta, 'reason')
for i = 1, #KEYS do redis.call('PERSIST', KEYS[i]) end
return 1
`;

/**
 * ARGV: head, recorded — after a failover rolled the batch counter back: the outbox entries from the
 * one numbered head on get new numbers above recorded (the record's highest), in order. 0 when head
 * is gone or above recorded (another process renumbered them first). See renumberBatches (domain).
 */
export const renumberScript = `${common}
local outbox, head, recorded = KEYS[8], tonumber(ARGV[1]), tonumber(ARGV[2])
if head > recorded then return 0 end
local entries = redis.call('LRANGE', outbox, 0, -1)
local from
for i, entry in ipairs(entries) do
  if tonumber(string.match(entry, '^(%d+)|')) == head then from = i; break end
end
if not from then return 0 end
if num(meta, 'batch') < recorded then redis.call('HSET', meta, 'batch', recorded) end
for i = from, #entries do
  local seq = redis.call('HINCRBY', meta, 'batch', 1)
  redis.call('LSET', outbox, i - 1, seq .. '|' .. string.match(entries[i], '^%d+|(.*)$'))
end
return #entries - from + 1
`;

/**
 * ARGV: seq — drops outbox batches up to seq; returns how many members this call dropped, so that
 * of all the processes recording a batch exactly one counts it.
 */
export const ackScript = `
local upTo, members = tonumber(ARGV[1]), 0
while true do
  local head = redis.call('LINDEX', KEYS[8], 0)
  if not head or tonumber(string.match(head, '^(%d+)|')) > upTo then return members end
  redis.call('LPOP', KEYS[8])
  local _, commas = string.gsub(string.match(head, '^[^|]*|[^|]*|(.*)$'), ',', '')
  members = members + commas + 1
end
`;
