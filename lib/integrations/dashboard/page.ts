import { createHash } from 'node:crypto';
import { PAGE_SCRIPT_CARDS } from './page-cards.js';
import { PAGE_SCRIPT_LIVE } from './page-live.js';
import { PAGE_STYLE } from './page-style.js';

/**
 * Escapes text for an HTML element's content or a quoted attribute value.
 *
 * @param text - any text.
 * @internal
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The page's script: the cards half and the live half, one function. @internal */
export const PAGE_SCRIPT = PAGE_SCRIPT_CARDS + PAGE_SCRIPT_LIVE;

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/**
 * The page's Content-Security-Policy: nothing may load but its own inline script and style (allowed by
 * hash, so no injected script or style could run) and the event stream from the same origin; no frames
 * of it, no forms, no `<base>`. `img-src data:` only lets the empty favicon through.
 * @internal
 */
export const PAGE_CSP = [
  "default-src 'none'",
  `script-src ${sha256(PAGE_SCRIPT)}`,
  `style-src ${sha256(PAGE_STYLE)}`,
  "connect-src 'self'",
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The headers of the page response (with its length). @internal */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': PAGE_CSP,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

/**
 * The one static page: markup, inline style and script. Its data arrives over the event stream, so the
 * only text put into it here is the title, escaped.
 *
 * @param title - the heading, e.g. the service's name.
 * @internal
 */
export function renderPage(title: string): string {
  const t = escapeHtml(title);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${t} · breakwater dashboard</title>
<link rel="icon" href="data:,">
<style>${PAGE_STYLE}</style>
</head>
<body>
<header class="top">
<h1>${t}</h1>
<span class="sub">circuit breakers and bulkheads, live</span>
<span id="conn" class="conn" data-state="connecting" role="status">connecting…</span>
</header>
<section class="summary" aria-label="Summary">
<div class="group"><span class="caption">Breakers</span><span id="states" class="group"></span></div>
<div class="group"><span class="caption">Per second, last 5 s</span><span id="totals" class="rates"></span></div>
</section>
<div class="toolbar">
<input id="filter" type="search" placeholder="Filter by name" aria-label="Filter by name" autocomplete="off" spellcheck="false">
<label>State <select id="state-filter">
<option value="all">all</option>
<option value="not_closed">not closed</option>
<option value="open">open</option>
<option value="half_open">half-open</option>
<option value="forced_open">forced open</option>
<option value="disabled">disabled</option>
<option value="closed">closed</option>
</select></label>
<label><input id="compact" type="checkbox"> compact</label>
<span id="shown" class="shown" aria-live="polite"></span>
</div>
<div class="layout">
<main>
<h2>Circuit breakers <small>(open first)</small></h2>
<p id="no-breakers" class="empty">Waiting for the first snapshot…</p>
<div id="breakers" class="grid"></div>
<section id="bulkhead-section" hidden>
<h2>Bulkheads</h2>
<div id="bulkheads" class="grid"></div>
</section>
<section id="activity-section" hidden>
<h2>Retries, timeouts and fallbacks by method, last 5 s</h2>
<table class="activity"><thead><tr><th>name</th><th>retries</th><th>timeouts</th><th>fallbacks</th></tr></thead>
<tbody id="activity"></tbody></table>
</section>
</main>
<aside class="side">
<h2>State changes, newest first</h2>
<p id="no-changes" class="empty">None yet.</p>
<ol id="timeline" class="timeline" aria-live="polite"></ol>
</aside>
</div>
<noscript>This page shows live data with JavaScript, which is turned off.</noscript>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
