// breakwater from plain JavaScript (CommonJS), with the functional API: no decorators, no TypeScript.
//
// A weather client calls a flaky in-process "weather API": a retry rides out transient errors, a
// timeout gives up on a hung request (and aborts it), and when the API is down for good a circuit
// breaker stops calling it while a fallback serves the last known forecast.
//
// Run: npm run build && node examples/javascript-functional.cjs
'use strict';

const {
  circuitBreaker,
  compose,
  events$,
  fallback,
  isCircuitOpenError,
  isTimeoutError,
  retry,
  timeout,
} = require('breakwater');

/** The fake weather API. `mode`: 'flaky' fails twice then answers, 'hang' never answers, 'down' always fails. */
function createWeatherApi() {
  const api = { mode: 'flaky', calls: 0, aborted: 0 };
  api.forecast = (city, signal) => {
    api.calls += 1;
    if (api.mode === 'hang') {
      // Never answers, but stops when told to: a well-behaved client honours its signal.
      return new Promise((_resolve, reject) => {
        signal?.addEventListener('abort', () => {
          api.aborted += 1;
          reject(signal.reason);
        });
      });
    }
    if (api.mode === 'down' || (api.mode === 'flaky' && api.calls <= 2)) {
      return Promise.reject(new Error(`weather API error (call ${api.calls})`));
    }
    return Promise.resolve({ city, sky: 'sunny', celsius: 21 });
  };
  return api;
}

function describe(error) {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

async function main() {
  const api = createWeatherApi();
  const retries = events$.subscribe((event) => {
    if (event.type === 'retry') console.log(`  [event] ${event.name}: retry ${event.attempt} after ${event.delay} ms`);
  });

  console.log('--- retry: two transient errors, then an answer ---');
  const retrying = retry({ maxAttempts: 3, delay: 20, backoff: 'fixed', jitter: 'none' });
  const forecast = await retrying.execute((signal) => api.forecast('Lisbon', signal));
  console.log(`forecast for ${forecast.city}: ${forecast.sky}, ${forecast.celsius} C after ${api.calls} calls`);

  console.log('--- timeout: the API hangs ---');
  api.mode = 'hang';
  const deadline = timeout(50);
  try {
    await deadline.execute((signal) => api.forecast('Oslo', signal));
  } catch (error) {
    console.log(`timed out: ${isTimeoutError(error)} (${describe(error)}); requests aborted: ${api.aborted}`);
  }

  console.log('--- compose: the API is down ---');
  api.mode = 'down';
  const lastKnown = { city: 'Lisbon', sky: 'sunny', celsius: 21, stale: true };
  const breaker = circuitBreaker({ name: 'weather', failureThreshold: 2, resetTimeout: 30_000 });
  // The argument order does not matter: compose() applies fallback, breaker, retry, timeout in that order.
  const resilient = compose(
    timeout(50),
    retry({ maxAttempts: 2, delay: 10, backoff: 'fixed', jitter: 'none' }),
    breaker,
    fallback((error) => {
      console.log(`  fallback for: ${isCircuitOpenError(error) ? 'open circuit' : describe(error)}`);
      return lastKnown;
    }),
  );

  const callsBefore = api.calls;
  for (let i = 1; i <= 4; i += 1) {
    const answer = await resilient.execute((signal) => api.forecast('Lisbon', signal));
    console.log(`request ${i}: ${answer.sky}${answer.stale ? ' (stale)' : ''}; breaker ${breaker.state}`);
  }
  const { metrics } = breaker.snapshot();
  console.log(
    `API calls while down: ${api.calls - callsBefore}; breaker: ${metrics.failedCalls} failed, ${metrics.rejectedCalls} rejected`,
  );

  retries.unsubscribe();
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
