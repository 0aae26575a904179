/**
 * The second half of the store's Lua script: transitions, probe leases and the five commands.
 * Every change of state takes a new generation (at least Redis's clock in ms, so a breaker the store
 * lost starts above every generation it had), is written with the hash's TTL, and is published on
 * the channel named like the key, as is a probe slot set free. The reply, like the message, is the encoded shared state.
 * @internal
 */
export const OPS_LUA = `
local function clearWindow()
  cf, wi, wn, wf, ws, wsf, fi = 0, 0, 0, 0, 0, 0, 0
  buckets = nil
  touched = {}
end

local function move(state, reason)
  st, why, hs, ls = state, reason, 0, ''
  gen = math.max(gen + 1, now)
  if state == 'closed' then clearWindow() end
  changed, dirty = true, true
end

local function open(consecutive, delay, reason)
  move('open', reason)
  opens, untilAt, opened = consecutive, now + delay, now
end

local function create()
  exists, st, why = true, 'closed', ''
  gen = math.max(gen + 1, now)
  born = gen
  clearWindow()
  dirty = true
end

-- Probe leases: 'token=expiry;' pairs; an expired lease frees its slot (its holder died or hangs).
local function leases()
  local list = {}
  for token, expiry in string.gmatch(ls, '([^=;]+)=([^;]+);') do
    if tonumber(expiry) > now then list[#list + 1] = {token, tonumber(expiry)} end
  end
  return list
end

local function joinLeases(list)
  local parts = {}
  for i, l in ipairs(list) do parts[i] = l[1] .. '=' .. fmt(l[2]) .. ';' end
  return table.concat(parts)
end

local granted, retry, freed = 0, 0, false

if op == 'report' then
  local rgen, codes = tonumber(ARGV[5]), ARGV[6]
  if not exists then create() end
  -- Outcomes of the current closed period count; so do those of a process that knew the breaker
  -- only from before the store (re)created it, if no change of state happened since.
  if st == 'closed' and (rgen == gen or (gen == born and rgen < born)) then
    for i = 1, #codes do
      local c = string.sub(codes, i, i)
      local failure, slow = c == 'f' or c == 'F', c == 'S' or c == 'F'
      record(failure, slow)
      dirty = true
      local reason = judge(failure)
      if reason then
        if wtype == 'time' then saveBuckets() end
        open(1, delayFirst, reason)
        break
      end
    end
    if wtype == 'time' and not changed then saveBuckets() end
  end
elseif op == 'admit' then
  if not exists then create() end
  if st == 'open' and now >= untilAt then move('half_open', 'reset_timeout') end
  if st == 'closed' or st == 'disabled' then
    granted = 1
  elseif st == 'half_open' then
    local list = leases()
    if #list < hmax then
      list[#list + 1] = {ARGV[5], now + leaseMs}
      granted = 1
    else
      retry = list[1][2]
      for _, l in ipairs(list) do if l[2] < retry then retry = l[2] end end
      retry = retry - now
    end
    local kept = joinLeases(list)
    if kept ~= ls then ls, dirty = kept, true end
  elseif st == 'open' then
    retry = untilAt - now
  end
elseif op == 'settle' then
  local rgen, token, code = tonumber(ARGV[5]), ARGV[6], ARGV[7]
  if exists and st == 'half_open' and rgen == gen then
    local list, held = {}, false
    for _, l in ipairs(leases()) do
      if l[1] == token then held = true else list[#list + 1] = l end
    end
    if held then
      ls, dirty = joinLeases(list), true
      if code == 'f' or code == 'F' or (code == 'S' and srate) then
        open(opens + 1, delayNext, 'probe_failed')
      elseif code ~= 'i' then
        hs = hs + 1
        if hs >= sthreshold then move('closed', 'probe_succeeded'); opens = 0 end
      end
      -- A freed slot is news too: processes refused a lease may ask again at once.
      freed = not changed
    end
  end
elseif op == 'command' then
  local change = ARGV[5]
  if not exists then create() end
  if change == 'reset' then
    move('closed', 'reset')
    opens = 0
  elseif st ~= change then
    move(change, change)
    if change == 'forced_open' then opened = now end
  end
end

local c, f, s, sf = sums()
local function encode(g)
  local after = 0
  if st == 'open' then after = math.max(0, untilAt - now) elseif retry > 0 then after = retry end
  return table.concat({st, fmt(gen), fmt(after), opens, why, fmt(opened), g, c, f, s, sf}, '|')
end

if dirty then
  redis.call('HSET', key, 'st', st, 'gen', fmt(gen), 'born', fmt(born), 'until', fmt(untilAt), 'opened', fmt(opened),
    'opens', opens, 'why', why, 'hs', hs, 'ls', ls, 'cf', cf, 'wi', wi, 'wn', wn, 'wf', wf, 'ws', ws, 'wsf', wsf, 'fi', fi)
  redis.call('PEXPIRE', key, ttl)
end
if changed or freed then redis.call('PUBLISH', key, encode(0)) end
return encode(granted)
`;
