/**
 * The first half of the store's Lua script: reading the hash, and the shared window and rules of
 * the closed state. Slots of the count window, buckets of the time window and the failure-time ring
 * are tagged with the generation of the closed period they belong to, so that a new period starts
 * empty without deleting them one by one.
 * @internal
 */
export const WINDOW_LUA = `
local key = KEYS[1]
local op = ARGV[1]
local R = {}
for field in string.gmatch(ARGV[2], '([^,]*),') do R[#R + 1] = field end
local rule, threshold, fwin = R[1], tonumber(R[2]), tonumber(R[3])
local frate, srate, wtype, wsize = tonumber(R[4]), tonumber(R[5]), R[6], tonumber(R[7])
local minimum, hmax, sthreshold, leaseMs, ttl = tonumber(R[8]), tonumber(R[9]), tonumber(R[10]), tonumber(R[11]), tonumber(R[12])
local delayFirst, delayNext = tonumber(ARGV[3]), tonumber(ARGV[4])

local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)

local F = {'st', 'gen', 'born', 'until', 'opened', 'opens', 'why', 'hs', 'ls', 'cf', 'wi', 'wn', 'wf', 'ws', 'wsf', 'fi'}
local v = redis.call('HMGET', key, unpack(F))
local exists = v[1] ~= false
local st = v[1] or 'closed'
local gen = tonumber(v[2]) or 0
local born = tonumber(v[3]) or 0
local untilAt = tonumber(v[4]) or 0
local opened = tonumber(v[5]) or -1
local opens = tonumber(v[6]) or 0
local why = v[7] or ''
local hs = tonumber(v[8]) or 0
local ls = v[9] or ''
local cf = tonumber(v[10]) or 0
local wi, wn, wf, ws, wsf = tonumber(v[11]) or 0, tonumber(v[12]) or 0, tonumber(v[13]) or 0, tonumber(v[14]) or 0, tonumber(v[15]) or 0
local fi = tonumber(v[16]) or 0
local changed, dirty = false, false

local function fmt(n) return string.format('%.0f', n) end

-- The time window: 20 buckets 'tK' = 'epoch:calls:failures:slow:slowFailures:gen'.
local width, epoch, buckets = 0, 0, nil
local function loadBuckets()
  width = wsize / 20
  epoch = math.floor(now / width)
  buckets = {}
  local names = {}
  for k = 0, 19 do names[k + 1] = 't' .. k end
  local raw = redis.call('HMGET', key, unpack(names))
  for k = 0, 19 do
    local b = {e = -1, c = 0, f = 0, s = 0, sf = 0}
    local text = raw[k + 1]
    if text then
      local e, c, f, s, sf, g = string.match(text, '^([^:]+):([^:]+):([^:]+):([^:]+):([^:]+):([^:]+)$')
      if tonumber(g) == gen and tonumber(e) > epoch - 20 then
        b = {e = tonumber(e), c = tonumber(c), f = tonumber(f), s = tonumber(s), sf = tonumber(sf)}
      end
    end
    buckets[k] = b
  end
end

local function sums()
  if wtype ~= 'time' then return wn, wf, ws, wsf end
  if buckets == nil then loadBuckets() end
  local c, f, s, sf = 0, 0, 0, 0
  for k = 0, 19 do
    local b = buckets[k]
    if b.e > epoch - 20 then c, f, s, sf = c + b.c, f + b.f, s + b.s, sf + b.sf end
  end
  return c, f, s, sf
end

local touched = {}
local function record(failure, slow)
  local df, ds, dsf = failure and 1 or 0, slow and 1 or 0, (failure and slow) and 1 or 0
  if wtype == 'time' then
    if buckets == nil then loadBuckets() end
    local k = epoch % 20
    local b = buckets[k]
    if b.e ~= epoch then b = {e = epoch, c = 0, f = 0, s = 0, sf = 0}; buckets[k] = b end
    b.c, b.f, b.s, b.sf = b.c + 1, b.f + df, b.s + ds, b.sf + dsf
    touched[k] = true
  else
    local slot = 'w' .. wi
    local old = redis.call('HGET', key, slot)
    if old and tonumber(string.sub(old, 2)) == gen then
      local o = string.sub(old, 1, 1)
      wn = wn - 1
      if o == 'f' or o == 'F' then wf = wf - 1 end
      if o == 'S' or o == 'F' then ws = ws - 1 end
      if o == 'F' then wsf = wsf - 1 end
    end
    local code = failure and (slow and 'F' or 'f') or (slow and 'S' or 's')
    redis.call('HSET', key, slot, code .. fmt(gen))
    wn, wf, ws, wsf = wn + 1, wf + df, ws + ds, wsf + dsf
    wi = (wi + 1) % wsize
  end
end

local function saveBuckets()
  for k, _ in pairs(touched) do
    local b = buckets[k]
    redis.call('HSET', key, 't' .. k, b.e .. ':' .. b.c .. ':' .. b.f .. ':' .. b.s .. ':' .. b.sf .. ':' .. fmt(gen))
  end
end

-- The rules of the closed state, as the local judge applies them: the count rule, then the rates.
local function judge(failure)
  local reason = nil
  if rule == 'consecutive' then
    if failure then cf = cf + 1 else cf = 0 end
    if cf >= threshold then reason = 'failure_threshold' end
  elseif rule == 'window' and failure then
    redis.call('HSET', key, 'f' .. fi, fmt(now) .. ':' .. fmt(gen))
    fi = (fi + 1) % threshold
    local oldest = redis.call('HGET', key, 'f' .. fi)
    if oldest then
      local at, g = string.match(oldest, '^([^:]+):([^:]+)$')
      if tonumber(g) == gen and now - tonumber(at) <= fwin then reason = 'failure_threshold' end
    end
  end
  if reason == nil and (frate or srate) then
    local c, f, s = sums()
    if c >= minimum then
      if frate and f / c >= frate then reason = 'failure_rate'
      elseif srate and s / c >= srate then reason = 'slow_call_rate' end
    end
  end
  return reason
end
`;
