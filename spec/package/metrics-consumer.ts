// Programs the tarball spec runs in fresh projects with the packed breakwater installed, for the
// metric exporters (`breakwater/prometheus`, `breakwater/opentelemetry`). Kept apart from
// tarball.spec.ts so that each integration adds its own programs without touching the others'.

/** The packages the exporter programs need, linked from this repository (no network). */
export const EXPORTER_PEERS = ['prom-client', '@opentelemetry'] as const;

/**
 * A TypeScript consumer (compiled by the project's own tsc, as ES module or CommonJS): registers
 * both exporters, trips a breaker, and prints what a scrape and an SDK collection show.
 */
export const METRICS_CONSUMER_SOURCE = `
import { circuitBreaker } from 'breakwater';
import { registerPrometheusMetrics } from 'breakwater/prometheus';
import { registerOpenTelemetryMetrics } from 'breakwater/opentelemetry';
import { Registry } from 'prom-client';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';

class OnDemandReader extends MetricReader {
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

async function main(): Promise<void> {
  const registry = new Registry();
  const prometheus = registerPrometheusMetrics({ registry });
  const reader = new OnDemandReader();
  const provider = new MeterProvider({ readers: [reader] });
  const telemetry = registerOpenTelemetryMetrics({ meterProvider: provider });

  const breaker = circuitBreaker({ name: 'tarball-metrics', failureThreshold: 1 });
  await breaker.execute(() => Promise.reject(new Error('down'))).catch(() => undefined);
  await breaker.execute(async () => 'not run').catch(() => undefined);

  const scraped = (await registry.metrics())
    .split('\\n')
    .filter((line) => line.includes('name="tarball-metrics"'))
    .filter((line) => /^breakwater_circuitbreaker_(state|not_permitted_calls_total)\\{/.test(line));
  const { resourceMetrics } = await reader.collect();
  const events = resourceMetrics.scopeMetrics
    .flatMap((scope) => scope.metrics)
    .find((metric) => metric.descriptor.name === 'breakwater.strategy.events');
  const collected = (events?.dataPoints ?? [])
    .filter((point) => point.attributes['pipeline.name'] === 'tarball-metrics')
    .map((point) => String(point.attributes['event.name']) + '=' + String(point.value))
    .sort();

  prometheus.unregister();
  telemetry.unregister();
  await provider.shutdown();
  process.stdout.write(JSON.stringify({ scraped, collected }));
}

void main();
`;

/** What {@link METRICS_CONSUMER_SOURCE} prints. */
export const METRICS_CONSUMER_OUTPUT = {
  scraped: [
    'breakwater_circuitbreaker_state{name="tarball-metrics",state="closed"} 0',
    'breakwater_circuitbreaker_state{name="tarball-metrics",state="open"} 1',
    'breakwater_circuitbreaker_state{name="tarball-metrics",state="half_open"} 0',
    'breakwater_circuitbreaker_state{name="tarball-metrics",state="forced_open"} 0',
    'breakwater_circuitbreaker_state{name="tarball-metrics",state="disabled"} 0',
    'breakwater_circuitbreaker_not_permitted_calls_total{name="tarball-metrics",kind="not_permitted"} 1',
  ],
  collected: ['rejected=1', 'state_change=1'],
};

// Which files of the optional peers a process loaded. CommonJS: the require cache (an ES module
// importing a CommonJS package fills it too). ES modules: a resolve hook that reports every URL
// it resolves, so an ES-module-only peer would be seen as well.
const PEER_FILE = String.raw`/node_modules[\\/](prom-client|@opentelemetry[\\/]api)[\\/]/`;

/** Loads `breakwater` alone, then each exporter, with `require`; prints which peers each step loaded. */
export const PEER_LOADS_CJS = `
'use strict';
const peers = () => [...new Set(Object.keys(require.cache).flatMap((file) => {
  const match = ${PEER_FILE}.exec(file);
  return match ? [match[1].replace('\\\\', '/')] : [];
}))].sort();

require('breakwater');
const afterRoot = peers();
require('breakwater/opentelemetry');
const afterOpenTelemetry = peers();
require('breakwater/prometheus');
const afterPrometheus = peers();
process.stdout.write(JSON.stringify({ afterRoot, afterOpenTelemetry, afterPrometheus }));
`;

/** A module-loader hook reporting every resolved URL to the main thread. */
export const RESOLVE_RECORDER_HOOKS = `
let port;
export function initialize(data) {
  port = data.port;
}
export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  port.postMessage(resolved.url);
  return resolved;
}
`;

/** Imports `breakwater` alone, then each exporter; prints which peers each step resolved or loaded. */
export const PEER_LOADS_ESM = `
import { createRequire, register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';

const { port1, port2 } = new MessageChannel();
const resolved = [];
let waiting;
port1.on('message', (url) => {
  resolved.push(url);
  if (waiting && url === waiting.url) waiting.done();
});
register('./record-resolves.mjs', import.meta.url, { data: { port: port2 }, transferList: [port2] });

// Every URL the hook resolved for an import has arrived once a marker resolved after it has.
async function settled(n) {
  const url = 'data:text/javascript,export default ' + n;
  const arrived = new Promise((done) => (waiting = { url, done }));
  await import(url);
  await arrived;
}

const cache = createRequire(import.meta.url).cache;
const peers = () => [...new Set([...resolved, ...Object.keys(cache)].flatMap((file) => {
  const match = ${PEER_FILE}.exec(decodeURIComponent(file));
  return match ? [match[1].replace('\\\\', '/')] : [];
}))].sort();

await import('breakwater');
await settled(1);
const afterRoot = peers();
await import('breakwater/opentelemetry');
await settled(2);
const afterOpenTelemetry = peers();
await import('breakwater/prometheus');
await settled(3);
const afterPrometheus = peers();
port1.close();
process.stdout.write(JSON.stringify({ afterRoot, afterOpenTelemetry, afterPrometheus }));
`;

/**
 * What both peer-load programs print: nothing for `breakwater` alone, then each exporter's peer
 * (prom-client itself loads @opentelemetry/api, so the OpenTelemetry exporter is imported first).
 */
export const PEER_LOADS_OUTPUT = {
  afterRoot: [],
  afterOpenTelemetry: ['@opentelemetry/api'],
  afterPrometheus: ['@opentelemetry/api', 'prom-client'],
};
