import { AsyncLocalStorage } from 'node:async_hooks';
import {
  context,
  ROOT_CONTEXT,
  trace,
  type Attributes,
  type Context,
  type ContextManager,
  type Span,
} from '@opentelemetry/api';
import { circuitBreaker, fallback, retry, timeout } from '../../../lib/index.js';
import { registerOpenTelemetryMetrics } from '../../../lib/integrations/opentelemetry/index.js';
import { exceptionType } from '../../../lib/integrations/opentelemetry/attributes.js';
import { testSdk } from './sdk.js';

// Span events on the span active where a retry, fallback, rejection or timeout happens. The context
// manager is the one an OpenTelemetry SDK installs on Node (AsyncLocalStorage); the span is a
// stand-in that records what is added to it, as a tracer's span would.

class AsyncLocalStorageContextManager implements ContextManager {
  private readonly storage = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.storage.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.storage.run(ctx, () => fn.call(thisArg, ...args));
  }
  bind<T>(_ctx: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    return this;
  }
}

function recordingSpan(): { span: Span; events: Array<{ name: string; attributes?: Attributes }> } {
  const events: Array<{ name: string; attributes?: Attributes }> = [];
  const span = {
    addEvent(name: string, attributes?: Attributes) {
      events.push({ name, attributes });
      return span;
    },
  } as unknown as Span;
  return { span, events };
}

beforeAll(() => context.setGlobalContextManager(new AsyncLocalStorageContextManager()));
afterAll(() => context.disable());

async function inSpan(span: Span, work: () => Promise<unknown>): Promise<void> {
  await context.with(trace.setSpan(context.active(), span), () => work().catch(() => undefined));
}

describe('OpenTelemetry span events', () => {
  it('adds retry, fallback, rejection and timeout events to the active span when asked', async () => {
    const sdk = testSdk();
    const telemetry = registerOpenTelemetryMetrics({ meterProvider: sdk.provider, spanEvents: true });
    try {
      const { span, events } = recordingSpan();
      const other = recordingSpan();
      let n = 0;
      await inSpan(span, () =>
        retry({ delay: 0 }).execute(async () => {
          if (n++ === 0) throw new TypeError('first attempt');
          return 'ok';
        }),
      );
      await inSpan(span, () => fallback(() => 'cached').execute(() => Promise.reject(new Error('down'))));
      const breaker = circuitBreaker({ name: 'span.breaker', failureThreshold: 1 });
      await inSpan(other.span, () => breaker.execute(() => Promise.reject(new Error('down'))));
      await inSpan(span, () => breaker.execute(async () => 'not run'));
      await inSpan(span, () => timeout(5).execute(() => new Promise(() => undefined)));
      expect(events.map((e) => e.name)).toEqual([
        'breakwater.retry',
        'breakwater.fallback',
        'breakwater.rejected',
        'breakwater.timeout',
      ]);
      expect(events[0]!.attributes).toMatchObject({
        'pipeline.name': 'retry',
        'strategy.name': 'retry',
        'exception.type': 'TypeError',
        'retry.attempt': 1,
        'retry.delay_ms': 0,
      });
      expect(events[2]!.attributes).toMatchObject({ 'pipeline.name': 'span.breaker', 'circuit_breaker.state': 'open' });
      expect(events[3]!.attributes).toMatchObject({ 'timeout.duration_ms': 5 });
      expect(other.events).toEqual([]); // a failure is not an event worth a span event; the state change is not either
    } finally {
      telemetry.unregister();
      await sdk.shutdown();
    }
  });

  it('adds none unless asked', async () => {
    const sdk = testSdk();
    const telemetry = registerOpenTelemetryMetrics({ meterProvider: sdk.provider });
    try {
      const { span, events } = recordingSpan();
      await inSpan(span, () => fallback(() => 'cached').execute(() => Promise.reject(new Error('down'))));
      expect(events).toEqual([]);
    } finally {
      telemetry.unregister();
      await sdk.shutdown();
    }
  });
});

describe('exception.type', () => {
  it('is the class name, or typeof, and never throws', () => {
    class PaymentDeclined extends Error {}
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('no');
        },
      },
    );
    expect(exceptionType(new PaymentDeclined('x'))).toBe('PaymentDeclined');
    expect(exceptionType('text')).toBe('string');
    expect(exceptionType(null)).toBe('null');
    expect(exceptionType(undefined)).toBe('undefined');
    expect(exceptionType(Object.create(null))).toBe('Object');
    expect(exceptionType(hostile)).toBe('unknown');
  });
});
