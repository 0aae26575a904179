import {
  CircuitBreaker,
  circuitBreaker,
  getCircuitBreaker,
  type CircuitBreakerSavedBucket,
  type CircuitBreakerSavedState,
  type CircuitBreakerSavedWindow,
} from '../../lib/index';

// Type-level checks: these lines are compiled by `tsc -p tsconfig.json` and `tsc -p tsconfig.legacy.json`.
describe('saved state (types)', () => {
  it('saveState() gives what initialState takes, for decorators and functions', () => {
    const saved: CircuitBreakerSavedState = circuitBreaker().saveState();
    const restored = circuitBreaker({ initialState: saved });
    class Client {
      @CircuitBreaker({ name: 'types-saved', initialState: saved })
      async call(): Promise<void> {}
    }
    const disposed: void = restored.dispose();
    const fromRegistry: CircuitBreakerSavedState | undefined = getCircuitBreaker('types-saved')?.saveState();
    expect([Client, disposed, fromRegistry]).toHaveLength(3);
  });

  it('is versioned and narrows its window by type', () => {
    const saved = circuitBreaker().saveState();
    // @ts-expect-error another format version is not a CircuitBreakerSavedState
    const future: CircuitBreakerSavedState = { ...saved, v: 2 };
    // @ts-expect-error the state is one of the circuit states
    const sideways: CircuitBreakerSavedState = { ...saved, state: 'sideways' };
    const window: CircuitBreakerSavedWindow = saved.window;
    const size: number = window.type === 'count' ? window.size : window.duration;
    // @ts-expect-error a count window has no buckets
    const none = window.type === 'count' ? window.buckets : [];
    const buckets: readonly CircuitBreakerSavedBucket[] = window.type === 'time' ? window.buckets : [];
    // @ts-expect-error a saved state is read-only data
    saved.state = 'open';
    expect([future, sideways, size, none, buckets]).toHaveLength(5);
  });
});
