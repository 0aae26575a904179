// The first half of the page's script: formatting, per-second rates and the cards. Plain browser
// JavaScript, inlined into the page and allowed by its hash. Every name and value reaches the DOM through
// textContent, dataset or CSSOM properties: nothing is ever parsed as markup.

/** @internal */
export const PAGE_SCRIPT_CARDS = String.raw`
(() => {
'use strict';
const WORDS = { closed: 'closed', open: 'open', half_open: 'half-open', forced_open: 'forced open', disabled: 'disabled' };
const RANK = { open: 0, forced_open: 1, half_open: 2, disabled: 3, closed: 4 };
const LABELS = {
  success: 'ok', failure: 'failed', rejected: 'rejected', ignored: 'ignored',
  retry: 'retries', timeout: 'timeouts', fallback: 'fallbacks', bulkhead_rejected: 'refused',
};
const OUTCOMES = Object.keys(LABELS);
const ALWAYS_SHOWN = ['success', 'failure', 'rejected'];
const RATE_WINDOW_MS = 5000;
const TIMELINE_MAX = 200;
const COMPACT_FROM = 40;

const byId = (id) => document.getElementById(id);
function h(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}
function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

// Server time: every message carries the server's clock, so countdowns do not depend on this machine's.
let skew = 0;
let connectedAt = Date.now();
const serverNow = () => Date.now() - skew;
const pad = (n, width) => String(n).padStart(width || 2, '0');
function pct(rate) {
  const p = rate * 100;
  return (p === 0 || p >= 10 ? String(Math.round(p)) : p.toFixed(1)) + '%';
}
function duration(ms, roundUp) {
  const s = Math.max(0, roundUp ? Math.ceil(ms / 1000) : Math.floor(ms / 1000));
  if (s < 60) return s + ' s';
  const m = Math.floor(s / 60);
  if (m < 60) return m + ' min ' + pad(s % 60) + ' s';
  return Math.floor(m / 60) + ' h ' + pad(m % 60) + ' min';
}
function clockTime(epoch) {
  const d = new Date(epoch);
  return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds()) + '.' + pad(d.getMilliseconds(), 3);
}
function perSecond(n) {
  return (n === 0 ? '0' : n < 10 ? n.toFixed(1) : String(Math.round(n))) + '/s';
}
const words = (reason) => String(reason).split('_').join(' ');

// Per-second rates from the batches of the last RATE_WINDOW_MS (fewer right after connecting).
function addSample(samples, at, count) {
  samples.push({ at: at, count: count });
  prune(samples, at);
}
function prune(samples, now) {
  while (samples.length > 0 && samples[0].at <= now - RATE_WINDOW_MS) samples.shift();
}
function ratesOf(samples, now) {
  prune(samples, now);
  const span = Math.max(1000, Math.min(RATE_WINDOW_MS, now - connectedAt));
  const rates = {};
  for (const o of OUTCOMES) rates[o] = 0;
  for (const s of samples) for (const o of OUTCOMES) rates[o] += s.count[o] || 0;
  for (const o of OUTCOMES) rates[o] = (rates[o] * 1000) / span;
  return rates;
}
function renderRates(container, rates, shown) {
  const spans = [];
  for (const o of OUTCOMES) {
    if (rates[o] === 0 && !shown.includes(o)) continue;
    spans.push(h('span', 'rate ' + o + (rates[o] === 0 ? ' zero' : ''), perSecond(rates[o]) + ' ' + LABELS[o]));
  }
  const text = spans.map((s) => s.textContent).join('|');
  if (container.dataset.text !== text) {
    container.dataset.text = text;
    container.replaceChildren(...spans);
  }
}

function meter(kind, label) {
  const root = h('div', 'meter ' + kind);
  const value = h('span', 'value');
  const bar = h('div', 'bar');
  const fill = h('div', 'fill');
  const mark = h('div', 'mark');
  bar.append(fill, mark);
  root.append(h('span', 'label', label), value, bar);
  return { root: root, value: value, fill: fill, mark: mark };
}
function setMeter(m, value, limit, judged, text) {
  setText(m.value, text);
  m.fill.style.width = Math.min(100, Math.max(0, value * 100)) + '%';
  m.fill.classList.toggle('over', limit != null && value >= limit);
  m.mark.hidden = limit == null;
  if (limit != null) m.mark.style.left = Math.min(100, limit * 100) + '%';
  m.root.classList.toggle('unjudged', !judged);
  m.root.classList.toggle('unset', limit == null);
}

function breakerCard(name) {
  const card = h('article', 'card breaker');
  card.dataset.name = name;
  const head = h('div', 'head');
  const badge = h('span', 'badge');
  const title = h('h3', 'name', name);
  title.title = name;
  const when = h('p', 'when');
  head.append(badge, title, when);
  const failure = meter('failure', 'failure rate');
  const slow = meter('slow', 'slow calls');
  const rule = h('p', 'rule');
  const rates = h('p', 'rates');
  card.append(head, failure.root, slow.root, rule, rates);
  return { card: card, badge: badge, when: when, failure: failure, slow: slow, rule: rule, rates: rates };
}
function whenText(entry, now) {
  const v = entry.view;
  const since = v.openedAt == null ? null : serverNow() - v.openedAt;
  switch (v.state) {
    case 'open': {
      const left = v.retryAfter == null ? null : v.retryAfter - (now - entry.receivedAt);
      const probe = left == null ? '' : left > 0 ? ' · probe in ' + duration(left, true) : ' · probe on next call';
      return 'open for ' + duration(since) + probe;
    }
    case 'forced_open':
      return 'forced open for ' + duration(since) + ' · until reset()';
    case 'half_open':
      return 'probing' + (since == null ? '' : ' · opened ' + duration(since) + ' ago');
    case 'disabled':
      return 'disabled: every call passes';
    default:
      return since == null ? 'never opened' : 'last opened ' + duration(since) + ' ago';
  }
}
function ruleText(v) {
  const s = v.settings;
  const parts = [];
  if (s.failureRateThreshold != null || s.slowCallRateThreshold != null) {
    parts.push('window ' + v.window.calls + ' calls, judged from ' + s.minimumCalls);
  }
  if (s.failureThreshold != null) {
    parts.push(s.failureWindow != null
      ? 'opens at ' + s.failureThreshold + ' failures within ' + duration(s.failureWindow)
      : 'failures in a row ' + v.consecutiveFailures + ' / ' + s.failureThreshold);
  }
  return parts.join(' · ');
}
const limitText = (rate, limit) => pct(rate) + (limit == null ? ' · no limit' : ' / ' + pct(limit));
function renderBreaker(entry, now) {
  const v = entry.view;
  const p = entry.parts;
  p.card.dataset.state = v.state;
  p.badge.className = 'badge s-' + v.state;
  setText(p.badge, WORDS[v.state] || v.state);
  setText(p.when, whenText(entry, now));
  const s = v.settings;
  const judged = v.window.calls >= s.minimumCalls;
  setMeter(p.failure, v.failureRate, s.failureRateThreshold, judged, limitText(v.failureRate, s.failureRateThreshold));
  setMeter(p.slow, v.slowCallRate, s.slowCallRateThreshold, judged, limitText(v.slowCallRate, s.slowCallRateThreshold));
  setText(p.rule, ruleText(v));
  renderRates(p.rates, ratesOf(entry.samples, now), ALWAYS_SHOWN);
}

function bulkheadCard(name) {
  const card = h('article', 'card bulkhead');
  card.dataset.name = name;
  const head = h('div', 'head');
  const badge = h('span', 'badge');
  const title = h('h3', 'name', name);
  title.title = name;
  head.append(badge, title);
  const use = meter('use', 'in use');
  const queue = meter('queue', 'queued');
  const rates = h('p', 'rates');
  card.append(head, use.root, queue.root, rates);
  return { card: card, badge: badge, use: use, queue: queue, rates: rates };
}
function bulkheadState(v) {
  if (v.active >= v.maxConcurrent && v.queued >= v.maxQueue) return 'full';
  return v.queued > 0 ? 'queueing' : 'free';
}
function renderBulkhead(entry, now) {
  const v = entry.view;
  const p = entry.parts;
  const state = bulkheadState(v);
  p.card.dataset.state = state;
  p.badge.className = 'badge s-' + state;
  setText(p.badge, state);
  setMeter(p.use, v.active / v.maxConcurrent, null, true, v.active + ' / ' + v.maxConcurrent);
  p.use.root.classList.remove('unset');
  p.queue.root.hidden = v.maxQueue === 0;
  setMeter(p.queue, v.maxQueue === 0 ? 0 : v.queued / v.maxQueue, null, true, v.queued + ' / ' + v.maxQueue);
  p.queue.root.classList.remove('unset');
  renderRates(p.rates, ratesOf(entry.samples, now), ['bulkhead_rejected']);
}
`;
