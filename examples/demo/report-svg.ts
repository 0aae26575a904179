import type { PhaseName, PhaseWindow } from './incident.js';
import type { SecondBucket, StateSegment } from './stats.js';

/** A breaker's states over the run, for the timeline. */
export interface BreakerTimeline {
  readonly name: string;
  readonly segments: readonly StateSegment[];
}

/** One client's requests per second, for the chart under the timeline. */
export interface ClientSeries {
  readonly label: string;
  readonly buckets: readonly SecondBucket[];
}

// Three palettes that cannot be confused with one another. Phases: light tints, read with their labels.
// Breaker states: greys, black and orange (no green, blue or red). Outcomes of user requests: green,
// blue and red, used nowhere else.
const PHASE_FILL: Record<PhaseName, string> = {
  healthy: '#dcedc8',
  flaky: '#fff59d',
  outage: '#ffccbc',
  slow: '#e1bee7',
  recovered: '#b2ebf2',
};
const STATE_STYLE: Record<string, { fill: string; text: string; label: string }> = {
  closed: { fill: '#cfd8dc', text: '#263238', label: 'closed' },
  half_open: { fill: '#ff9800', text: '#000000', label: 'half-open (probing)' },
  open: { fill: '#37474f', text: '#ffffff', label: 'open (rejecting)' },
  forced_open: { fill: '#000000', text: '#ffffff', label: 'forced open' },
  disabled: { fill: '#ffffff', text: '#616161', label: 'disabled' },
};
const OUTCOME_STYLE = {
  fresh: { fill: '#43a047', label: 'fresh answer' },
  stale: { fill: '#1e88e5', label: 'stale answer (fallback)' },
  error: { fill: '#e53935', label: 'error seen by the user' },
} as const;
// A state this short would be a hairline: half-open usually lasts one probe, a few milliseconds.
const MIN_STATE_WIDTH = 4;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const LEFT = 130;
const WIDTH = 960;
const PLOT = WIDTH - LEFT - 20;
const BAND = 26;
const CHART = 110;

/**
 * Escapes text for HTML and SVG content and attributes.
 *
 * @param text - anything printable.
 * @example
 * ```ts
 * escapeXml('<a & b>'); // '&lt;a &amp; b&gt;'
 * ```
 */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/**
 * The timeline as one inline SVG: incident phases, each breaker's state, and per client the
 * requests started each second split into fresh, stale and error (same scale for every client).
 *
 * @param windows - the incident's phases.
 * @param breakers - each breaker's state segments.
 * @param series - each client's per-second outcomes.
 * @example
 * ```ts
 * const svg = renderTimelineSvg(service.windows, [{ name: 'quotes', segments }], [{ label: 'with', buckets }]);
 * ```
 */
export function renderTimelineSvg(
  windows: readonly PhaseWindow[],
  breakers: readonly BreakerTimeline[],
  series: readonly ClientSeries[],
): string {
  const totalMs = Math.max(1, windows[windows.length - 1]?.endMs ?? 1);
  const x = (ms: number): number => LEFT + (PLOT * Math.min(Math.max(ms, 0), totalMs)) / totalMs;
  const parts: string[] = [];
  let y = 10;
  const label = (text: string, at: number): void => {
    parts.push(`<text x="${LEFT - 8}" y="${at}" text-anchor="end" class="label">${escapeXml(text)}</text>`);
  };
  const cell = (
    c: { startMs: number; endMs: number; fill: string; ink: string; text: string; title: string },
    minWidth = 0.5,
  ): void => {
    const width = Math.max(minWidth, x(c.endMs) - x(c.startMs));
    // A short cell is centred on its moment, so the marker shows where it happened.
    const centred = x(c.startMs) - Math.max(0, width - (x(c.endMs) - x(c.startMs))) / 2;
    const left = Math.max(LEFT, Math.min(LEFT + PLOT - width, centred));
    parts.push(
      `<rect x="${left.toFixed(1)}" y="${y}" width="${width.toFixed(1)}" height="${BAND}" fill="${c.fill}" stroke="#90a4ae" stroke-width="0.5"><title>${escapeXml(c.title)}</title></rect>`,
    );
    if (c.text !== '' && width > 7 * c.text.length + 8) {
      parts.push(
        `<text x="${(left + 4).toFixed(1)}" y="${y + 17}" class="in" fill="${c.ink}">${escapeXml(c.text)}</text>`,
      );
    }
  };
  const legend = (title: string, items: readonly { fill: string; label: string }[]): void => {
    parts.push(`<text x="${LEFT - 8}" y="${y + 11}" text-anchor="end" class="key">${escapeXml(title)}:</text>`);
    let lx = LEFT;
    for (const item of items) {
      parts.push(
        `<rect x="${lx}" y="${y}" width="12" height="12" fill="${item.fill}" stroke="#90a4ae" stroke-width="0.5"/>` +
          `<text x="${lx + 17}" y="${y + 11}" class="tick">${escapeXml(item.label)}</text>`,
      );
      lx += 30 + 7 * item.label.length;
    }
    y += 22;
  };

  label('incident', y + 17);
  const span = (startMs: number, endMs: number): string =>
    `${(startMs / 1_000).toFixed(2)}–${(endMs / 1_000).toFixed(2)} s`;
  for (const w of windows) {
    const title = `${w.name}, ${span(w.startMs, w.endMs)}`;
    cell({ startMs: w.startMs, endMs: w.endMs, fill: PHASE_FILL[w.name], ink: '#263238', text: w.name, title });
  }
  y += BAND + 8;
  const seen = new Set<string>(['closed', 'half_open', 'open']);
  for (const breaker of breakers) {
    label(`breaker ${breaker.name}`, y + 17);
    // Half-open on top, at least a few pixels wide: it is the moment the breaker tries again.
    const ordered = [...breaker.segments].sort(
      (a, b) => Number(a.state === 'half_open') - Number(b.state === 'half_open'),
    );
    for (const segment of ordered) {
      seen.add(segment.state);
      const style = STATE_STYLE[segment.state] ?? { fill: '#9e9e9e', text: '#000000', label: segment.state };
      const text = segment.state === 'half_open' ? '' : style.label.replace(/ \(.*\)$/, '');
      const title = `${style.label}, ${span(segment.startMs, segment.endMs)}`;
      cell(
        { ...segment, fill: style.fill, ink: style.text, text, title },
        segment.state === 'closed' ? 0.5 : MIN_STATE_WIDTH,
      );
    }
    y += BAND + 6;
  }
  legend(
    'breaker state',
    Object.entries(STATE_STYLE)
      .filter(([state]) => seen.has(state))
      .map(([, style]) => style),
  );

  const chartsTop = y;
  const peak = Math.max(1, ...series.flatMap((s) => s.buckets.map((b) => b.fresh + b.stale + b.error)));
  for (const client of series) {
    y += 6;
    label(client.label, y + CHART / 2);
    parts.push(`<line x1="${LEFT}" y1="${y + CHART}" x2="${LEFT + PLOT}" y2="${y + CHART}" class="axis"/>`);
    parts.push(`<text x="${LEFT - 8}" y="${y + 10}" text-anchor="end" class="tick">${peak} req/s</text>`);
    for (const bucket of client.buckets) {
      const left = x(bucket.second * 1_000) + 1;
      const width = Math.max(1, x(Math.min(totalMs, (bucket.second + 1) * 1_000)) - x(bucket.second * 1_000) - 2);
      let top = y + CHART;
      for (const outcome of ['fresh', 'stale', 'error'] as const) {
        const height = (CHART * bucket[outcome]) / peak;
        if (height <= 0) continue;
        top -= height;
        parts.push(
          `<rect x="${left.toFixed(1)}" y="${top.toFixed(1)}" width="${width.toFixed(1)}" height="${height.toFixed(1)}" fill="${OUTCOME_STYLE[outcome].fill}"><title>${escapeXml(`${client.label}, second ${bucket.second}: ${bucket[outcome]} ${OUTCOME_STYLE[outcome].label}`)}</title></rect>`,
        );
      }
    }
    y += CHART + 4;
  }
  // Phase boundaries through the charts, so each bar can be read against its phase.
  for (const w of windows.slice(1)) {
    parts.push(
      `<line x1="${x(w.startMs).toFixed(1)}" y1="${chartsTop}" x2="${x(w.startMs).toFixed(1)}" y2="${y}" class="phase"/>`,
    );
  }

  const step = totalMs > 30_000 ? 5_000 : totalMs > 10_000 ? 2_000 : 1_000;
  y += 4;
  for (let t = 0; t <= totalMs; t += step) {
    parts.push(`<text x="${x(t).toFixed(1)}" y="${y + 12}" text-anchor="middle" class="tick">${t / 1_000}s</text>`);
  }
  y += 24;
  legend(
    'user requests',
    Object.values(OUTCOME_STYLE).map((style) => style),
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${y}" width="${WIDTH}" height="${y}" role="img" aria-label="Breaker state against the incident phases, and what users got each second">${parts.join('')}</svg>`;
}
