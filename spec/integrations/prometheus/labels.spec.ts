import { Registry } from 'prom-client';
import { circuitBreaker, compose, retry, timeout } from '../../../lib/index.js';
import { registerPrometheusMetrics } from '../../../lib/integrations/prometheus/index.js';
import { parseExposition, valueOf } from './exposition-parser.js';

// Label values come from policy names and fixed kinds only. A name may hold any character: the
// exposition must still parse, and give the name back unchanged.

describe('Prometheus labels', () => {
  it('escapes quotes, backslashes and newlines in a breaker name so the exposition parses back to it', async () => {
    const registry = new Registry();
    const metrics = registerPrometheusMetrics({ registry });
    try {
      const name = 'say "hi"\nthen } \\ {name="forged"} 1\n# HELP <script>';
      const breaker = circuitBreaker({ name, failureThreshold: 1 });
      await breaker.execute(() => Promise.reject(new Error('down'))).catch(() => undefined);
      await breaker.execute(async () => 'not run').catch(() => undefined);
      const text = await registry.metrics();
      const e = parseExposition(text); // throws on any malformed line
      expect(valueOf(e, 'breakwater_circuitbreaker_state', { name, state: 'open' })).toBe(1);
      expect(valueOf(e, 'breakwater_circuitbreaker_not_permitted_calls_total', { name })).toBe(1);
      expect(e.samples.some((s) => s.labels.name === 'forged')).toBe(false);
    } finally {
      metrics.unregister();
    }
  });

  it('never puts error messages or call arguments into labels', async () => {
    const registry = new Registry();
    const metrics = registerPrometheusMetrics({ registry });
    try {
      const policy = compose(
        circuitBreaker({ name: 'prom.secrets' }),
        retry({ delay: 0, maxAttempts: 2 }),
        timeout(1_000),
      );
      const secret = 'card=4111111111111111';
      await policy.execute(() => Promise.reject(new Error(`declined ${secret}`))).catch(() => undefined);
      const e = parseExposition(await registry.metrics());
      const values = new Set(e.samples.flatMap((s) => Object.values(s.labels)));
      expect([...values].filter((v) => v.includes('4111'))).toEqual([]);
      const labelNames = new Set(e.samples.flatMap((s) => Object.keys(s.labels)));
      expect([...labelNames].sort()).toEqual(['kind', 'le', 'name', 'state']);
    } finally {
      metrics.unregister();
    }
  });
});
