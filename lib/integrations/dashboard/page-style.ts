// The page's only stylesheet, inlined and allowed by its hash in the Content-Security-Policy.
// States differ in colour AND lightness AND word: open is a dark red badge on a tinted card, half-open a
// light amber badge, closed a pale green one, forced open dark purple, disabled grey.

/** @internal */
export const PAGE_STYLE = `
:root {
  --bg: #f6f8fa; --card: #fff; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --track: #e6eaef;
  --closed: #116329; --closed-bg: #dafbe1; --open: #c4111f; --open-tint: #fff0ee;
  --half: #7d4e00; --half-bg: #f5d05b; --forced: #6e3fc7; --forced-tint: #f7f0ff;
  --disabled: #59636e; --disabled-bg: #e6eaef;
  --success: #1a7f37; --failure: #c4111f; --rejected: #bc4c00; --ignored: #6e7781;
  --retry: #0969da; --timeout: #7d4e00; --fallback: #6e3fc7; --bulkhead_rejected: #bc4c00;
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
.top { display: flex; align-items: baseline; gap: 12px; padding: 10px 16px; background: #24292f; color: #fff; }
.top h1 { margin: 0; font-size: 16px; font-weight: 600; }
.top .sub { color: #c9d1d9; font-size: 12px; }
.conn { margin-left: auto; align-self: center; font-size: 12px; padding: 2px 10px; border-radius: 10px; background: #57606a; }
.conn[data-state="live"] { background: #1a7f37; }
.conn[data-state="down"] { background: #c4111f; }
.summary { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 16px; padding: 8px 16px; background: #fff; border-bottom: 1px solid var(--line); }
.summary .group { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
.summary .caption { color: var(--muted); }
.chip { display: inline-flex; align-items: baseline; gap: 4px; font-variant-numeric: tabular-nums; }
.toolbar { display: flex; flex-wrap: wrap; gap: 8px 14px; align-items: center; padding: 10px 16px 0; }
.toolbar input[type="search"], .toolbar select { font: inherit; padding: 4px 8px; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
.toolbar input[type="search"] { width: 300px; max-width: 100%; }
.toolbar .shown { color: var(--muted); }
.layout { display: grid; grid-template-columns: minmax(0, 1fr) 360px; gap: 16px; padding: 0 16px 16px; align-items: start; }
@media (max-width: 960px) { .layout { grid-template-columns: minmax(0, 1fr); } }
h2 { margin: 14px 0 6px; font-size: 12px; font-weight: 600; letter-spacing: .05em; text-transform: uppercase; color: var(--muted); }
.empty { color: var(--muted); margin: 4px 0; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(250px, 1fr)); gap: 8px; }
.compact .grid { grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 6px; }
.card { min-width: 0; padding: 6px 9px 8px; background: var(--card); border: 1px solid var(--line); border-left: 5px solid var(--line); border-radius: 6px; }
.card[data-state="closed"] { border-left-color: #a5dcb4; }
.card[data-state="open"] { border-color: var(--open); border-left-color: var(--open); background: var(--open-tint); }
.card[data-state="half_open"] { border-left-color: var(--half-bg); }
.card[data-state="forced_open"] { border-left-color: var(--forced); background: var(--forced-tint); }
.card[data-state="disabled"] { border-left-color: var(--disabled); }
.card[data-state="full"] { border-left-color: var(--rejected); }
.card[data-state="queueing"] { border-left-color: var(--half-bg); }
.head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 2px 6px; min-width: 0; }
.name { flex: 1 1 0; min-width: 0; margin: 0; font-size: 13px; font-weight: 600; overflow-wrap: anywhere;
  display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 2; line-clamp: 2; overflow: hidden; }
.badge { flex: none; padding: 1px 6px; border-radius: 4px; font-size: 11px; font-weight: 700; letter-spacing: .03em; text-transform: uppercase; white-space: nowrap; }
.s-closed { color: var(--closed); background: var(--closed-bg); }
.s-open { color: #fff; background: var(--open); }
.s-half_open { color: #3b2300; background: var(--half-bg); }
.s-forced_open { color: #fff; background: var(--forced); }
.s-disabled { color: var(--disabled); background: var(--disabled-bg); }
.s-free { color: var(--closed); background: var(--closed-bg); }
.s-queueing { color: #3b2300; background: var(--half-bg); }
.s-full { color: #fff; background: var(--rejected); }
.when { flex-basis: 100%; margin: 0; min-height: 1.4em; font-size: 12px; color: var(--muted); font-variant-numeric: tabular-nums; }
.card[data-state="open"] .when { color: var(--open); font-weight: 600; }
.meter { display: grid; grid-template-columns: auto 1fr; column-gap: 6px; margin-top: 4px; font-size: 12px; }
.meter .label { color: var(--muted); }
.meter .value { text-align: right; font-variant-numeric: tabular-nums; }
.bar { grid-column: 1 / -1; position: relative; height: 7px; margin-top: 2px; border-radius: 3px; background: var(--track); }
.fill { position: absolute; left: 0; top: 0; bottom: 0; width: 0; border-radius: 3px; background: #57606a; }
.fill.over { background: var(--open); }
.meter.unjudged .fill { background: #b7bfc7; }
.mark { position: absolute; top: -3px; bottom: -3px; width: 2px; margin-left: -1px; background: var(--ink); }
.rule { margin: 4px 0 0; font-size: 11px; color: var(--muted); }
.rates { display: flex; flex-wrap: wrap; gap: 2px 10px; margin: 5px 0 0; font-size: 12px; font-variant-numeric: tabular-nums; }
.rate { white-space: nowrap; }
.rate::before { content: ""; display: inline-block; width: 8px; height: 8px; margin-right: 4px; border-radius: 2px; background: var(--swatch); }
.rate.zero { color: var(--muted); }
.rate.zero::before { opacity: .35; }
.success { --swatch: var(--success); } .failure { --swatch: var(--failure); } .rejected { --swatch: var(--rejected); }
.ignored { --swatch: var(--ignored); } .retry { --swatch: var(--retry); } .timeout { --swatch: var(--timeout); }
.fallback { --swatch: var(--fallback); } .bulkhead_rejected { --swatch: var(--bulkhead_rejected); }
.compact .card { padding: 4px 7px 6px; }
.compact .name { order: -1; flex-basis: 100%; }
.compact .when { flex: 1 1 0; min-width: 0; min-height: 0; }
.compact .meter.unset, .compact .rule:empty, .compact .card .rate.zero { display: none; }
.compact .meter, .compact .rule, .compact .rates { margin-top: 2px; }
.activity { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid var(--line); }
.activity th, .activity td { padding: 3px 8px; border-bottom: 1px solid var(--track); text-align: right; font-variant-numeric: tabular-nums; }
.activity th:first-child, .activity td:first-child { text-align: left; overflow-wrap: anywhere; }
.side { position: sticky; top: 8px; }
.timeline { margin: 0; padding: 0; list-style: none; max-height: calc(100vh - 60px); overflow: auto; background: #fff; border: 1px solid var(--line); border-radius: 6px; }
.timeline li { padding: 5px 8px; border-bottom: 1px solid var(--track); }
.tl-head { display: flex; gap: 8px; align-items: baseline; min-width: 0; }
.tl-change { display: flex; flex-wrap: wrap; gap: 4px 6px; align-items: baseline; margin-top: 2px; }
.timeline time { flex: none; color: var(--muted); font-variant-numeric: tabular-nums; }
.timeline .who { min-width: 0; font-weight: 600; overflow-wrap: anywhere; }
.timeline .reason { color: var(--muted); font-size: 12px; }
.timeline li[data-to="open"], .timeline li[data-to="forced_open"] { background: var(--open-tint); }
`;
