import { CircuitBreaker } from '../../../lib/decorators/circuit-breaker.js';
import { circuitBreaker } from '../../../lib/functional/circuit-breaker.js';

// Every frame between the caller and a function that throws a new Error is captured in its stack
// (and costs about a microsecond on a small VM). These specs pin how few frames breakwater adds.
function framesBefore(error: unknown, callerName: string): number {
  const frames = String((error as Error).stack)
    .split('\n')
    .filter((line) => line.trimStart().startsWith('at '));
  return frames.findIndex((line) => line.includes(callerName));
}

describe('frames between the caller and the work', () => {
  it('adds one frame (execute) for a functional breaker', async () => {
    const breaker = circuitBreaker();
    const callerOfExecute = (): Promise<unknown> =>
      breaker.execute(() => {
        throw new Error('dependency failed');
      });
    const error = await callerOfExecute().catch((e: unknown) => e);
    // [the work, execute, the caller]
    expect(framesBefore(error, 'callerOfExecute')).toBe(2);
  });

  it('adds one frame (the wrapper) for a method with only @CircuitBreaker', async () => {
    class Client {
      @CircuitBreaker()
      get(): Promise<string> {
        throw new Error('dependency failed');
      }
    }
    const client = new Client();
    const callerOfMethod = (): Promise<unknown> => client.get();
    const error = await callerOfMethod().catch((e: unknown) => e);
    // [the method, the wrapper, the caller]
    expect(framesBefore(error, 'callerOfMethod')).toBe(2);
  });
});
