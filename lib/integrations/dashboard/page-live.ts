// The second half of the page's script: the page's state, filtering and sorting, the timeline, the
// summary and the event stream. It closes the function the first half (page-cards.ts) opens.

/** @internal */
export const PAGE_SCRIPT_LIVE = String.raw`
const ui = {
  conn: byId('conn'), states: byId('states'), totals: byId('totals'),
  filter: byId('filter'), stateFilter: byId('state-filter'), compact: byId('compact'), shown: byId('shown'),
  breakers: byId('breakers'), noBreakers: byId('no-breakers'),
  bulkheads: byId('bulkheads'), bulkheadSection: byId('bulkhead-section'),
  activity: byId('activity'), activitySection: byId('activity-section'),
  timeline: byId('timeline'), noChanges: byId('no-changes'),
};
const ACTIVITY = ['retry', 'timeout', 'fallback'];
const breakers = new Map();
const bulkheads = new Map();
const activity = new Map();
const allSamples = [];
let compactChosen = false;
let firstSnapshot = true;

function upsert(map, view, now, makeParts, kind) {
  let entry = map.get(view.name);
  const isNew = entry === undefined;
  if (isNew) {
    entry = { kind: kind, view: view, receivedAt: now, samples: [], parts: makeParts(view.name) };
    map.set(view.name, entry);
  }
  const moved = isNew || entry.view.state !== view.state;
  entry.view = view;
  entry.receivedAt = now;
  return moved;
}
function activityEntry(name) {
  let entry = activity.get(name);
  if (entry === undefined) {
    const row = h('tr');
    row.dataset.name = name;
    const cells = {};
    row.append(h('td', '', name));
    for (const o of ACTIVITY) row.append((cells[o] = h('td', '', '0/s')));
    entry = { kind: 'activity', samples: [], row: row, cells: cells };
    activity.set(name, entry);
    const rows = Array.from(activity.keys()).sort();
    ui.activity.replaceChildren(...rows.map((n) => activity.get(n).row));
    ui.activitySection.hidden = false;
  }
  return entry;
}
function render(entry, now) {
  if (entry.kind === 'breaker') renderBreaker(entry, now);
  else if (entry.kind === 'bulkhead') renderBulkhead(entry, now);
  else {
    const rates = ratesOf(entry.samples, now);
    for (const o of ACTIVITY) setText(entry.cells[o], perSecond(rates[o]));
  }
}

const bySeverity = (a, b) =>
  (RANK[a.view.state] ?? 5) - (RANK[b.view.state] ?? 5) || (a.view.name < b.view.name ? -1 : a.view.name > b.view.name ? 1 : 0);
function stateMatches(state, wanted) {
  return wanted === 'all' || (wanted === 'not_closed' ? state !== 'closed' : state === wanted);
}
function layout() {
  const query = ui.filter.value.trim().toLowerCase();
  const wanted = ui.stateFilter.value;
  let shown = 0;
  for (const e of Array.from(breakers.values()).sort(bySeverity)) {
    const visible = e.view.name.toLowerCase().includes(query) && stateMatches(e.view.state, wanted);
    e.parts.card.hidden = !visible;
    if (visible) shown += 1;
    ui.breakers.append(e.parts.card);
  }
  let shownBulkheads = 0;
  for (const e of Array.from(bulkheads.values()).sort(bySeverity)) {
    const visible = e.view.name.toLowerCase().includes(query);
    e.parts.card.hidden = !visible;
    if (visible) shownBulkheads += 1;
    ui.bulkheads.append(e.parts.card);
  }
  ui.noBreakers.hidden = shown > 0;
  setText(ui.noBreakers, breakers.size === 0 ? 'No circuit breaker is registered yet.' : 'No breaker matches the filter.');
  ui.bulkheadSection.hidden = bulkheads.size === 0;
  setText(ui.shown, 'showing ' + shown + ' of ' + breakers.size + ' breakers' +
    (bulkheads.size === 0 ? '' : ', ' + shownBulkheads + ' of ' + bulkheads.size + ' bulkheads'));
}

function badge(state) {
  return h('span', 'badge s-' + state, WORDS[state] || state);
}
function addChange(c) {
  const item = h('li');
  item.dataset.name = c.name;
  item.dataset.to = c.to;
  const time = h('time', '', clockTime(c.at));
  time.dateTime = new Date(c.at).toISOString();
  const head = h('div', 'tl-head');
  head.append(time, h('span', 'who', c.name));
  const change = h('div', 'tl-change');
  change.append(badge(c.from), h('span', 'arrow', '→'), badge(c.to), h('span', 'reason', words(c.reason)));
  item.append(head, change);
  ui.timeline.prepend(item);
  while (ui.timeline.childElementCount > TIMELINE_MAX) ui.timeline.lastElementChild.remove();
  ui.noChanges.hidden = true;
}

function renderSummary(now) {
  const counts = {};
  for (const e of breakers.values()) counts[e.view.state] = (counts[e.view.state] || 0) + 1;
  const states = Object.keys(RANK).filter((s) => counts[s] > 0 || s === 'open');
  const text = states.map((s) => s + counts[s]).join('|');
  if (ui.states.dataset.text !== text) {
    ui.states.dataset.text = text;
    ui.states.replaceChildren(...states.map((s) => {
      const chip = h('span', 'chip');
      chip.dataset.state = s;
      chip.append(badge(s), document.createTextNode(' ' + (counts[s] || 0)));
      return chip;
    }));
  }
  renderRates(ui.totals, ratesOf(allSamples, now), ALWAYS_SHOWN);
}

function applySnapshot(s) {
  const now = Date.now();
  skew = now - s.now;
  connectedAt = now;
  for (const map of [breakers, bulkheads, activity]) map.clear();
  allSamples.length = 0;
  for (const node of [ui.breakers, ui.bulkheads, ui.activity, ui.timeline]) node.replaceChildren();
  ui.activitySection.hidden = true;
  ui.noChanges.hidden = s.timeline.length > 0;
  for (const v of s.breakers) {
    upsert(breakers, v, now, breakerCard, 'breaker');
    render(breakers.get(v.name), now);
  }
  for (const v of s.bulkheads) {
    upsert(bulkheads, v, now, bulkheadCard, 'bulkhead');
    render(bulkheads.get(v.name), now);
  }
  for (const c of s.timeline) addChange(c);
  if (firstSnapshot && !compactChosen) {
    ui.compact.checked = breakers.size >= COMPACT_FROM;
    document.body.classList.toggle('compact', ui.compact.checked);
  }
  firstSnapshot = false;
  layout();
  renderSummary(now);
}
function applyBatch(b) {
  const now = Date.now();
  skew = now - b.now;
  let moved = false;
  const touched = new Set();
  for (const v of b.breakers) {
    moved = upsert(breakers, v, now, breakerCard, 'breaker') || moved;
    touched.add(breakers.get(v.name));
  }
  for (const v of b.bulkheads) {
    moved = upsert(bulkheads, v, now, bulkheadCard, 'bulkhead') || moved;
    touched.add(bulkheads.get(v.name));
  }
  for (const c of b.counts) {
    const entry = breakers.get(c.name) || bulkheads.get(c.name) || activityEntry(c.name);
    addSample(entry.samples, now, c);
    addSample(allSamples, now, c);
    touched.add(entry);
  }
  for (const c of b.changes) addChange(c);
  for (const entry of touched) render(entry, now);
  if (moved) layout();
  renderSummary(now);
}
function refresh() {
  const now = Date.now();
  for (const map of [breakers, bulkheads, activity]) for (const e of map.values()) render(e, now);
  renderSummary(now);
}

function setConn(state, text) {
  ui.conn.dataset.state = state;
  setText(ui.conn, text);
}
function connect() {
  const base = location.pathname.endsWith('/') ? location.pathname : location.pathname + '/';
  const source = new EventSource(base + 'events');
  setConn('connecting', 'connecting…');
  source.addEventListener('snapshot', (e) => {
    applySnapshot(JSON.parse(e.data));
    setConn('live', 'live');
  });
  source.addEventListener('batch', (e) => applyBatch(JSON.parse(e.data)));
  source.addEventListener('error', () => {
    if (source.readyState !== EventSource.CLOSED) {
      setConn('down', 'reconnecting…');
      return;
    }
    // Refused (too many clients, or the dashboard closed): the browser gives up, so try again later.
    setConn('down', 'disconnected · retrying in 5 s');
    setTimeout(connect, 5000);
  });
}

ui.filter.addEventListener('input', layout);
ui.stateFilter.addEventListener('change', layout);
ui.compact.addEventListener('change', () => {
  compactChosen = true;
  document.body.classList.toggle('compact', ui.compact.checked);
});
connect();
setInterval(refresh, 500);
})();
`;
