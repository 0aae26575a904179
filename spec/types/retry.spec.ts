import { Retry } from '../../lib/decorators/retry.js';
import { retry } from '../../lib/functional/retry.js';
import type { BackoffStrategy, JitterStrategy, RetryOptions } from '../../lib/policies/retry/options.js';
import { expectType, type Equal } from '../support/type-equality.js';

interface Job {
  readonly id: string;
  readonly status: 'pending' | 'done';
}

// Compiled by `tsc -p tsconfig.json` (standard decorators) and `tsc -p tsconfig.legacy.json`:
// every `@ts-expect-error` below must be an error in both modes, or the type-check fails.
describe('Retry (types)', () => {
  it('decorates async methods only, keeping their signature', async () => {
    class Typed {
      @Retry({ maxAttempts: 2, backoff: (n: number, _error: unknown) => n * 10, retryOnResult: (r) => r === undefined })
      async ok(id: string): Promise<string> {
        return id;
      }

      @Retry()
      static async stat(): Promise<number> {
        return 1;
      }
    }
    const value: string = await new Typed().ok('x');
    expect(value).toBe('x');

    // Never run: decorating these would also throw at run time; the point is the compile error.
    const notCompiled = () => {
      class Bad {
        // @ts-expect-error -- a method that does not return a Promise cannot be decorated
        @Retry()
        sync(): number {
          return 1;
        }

        // @ts-expect-error -- 'random' is not a backoff strategy
        @Retry({ backoff: 'random' })
        async b(): Promise<void> {}

        // @ts-expect-error -- 'half' is not a jitter strategy
        @Retry({ jitter: 'half' })
        async j(): Promise<void> {}

        // @ts-expect-error -- retryOn takes error classes or a predicate, not names
        @Retry({ retryOn: ['TypeError'] })
        async r(): Promise<void> {}

        // @ts-expect-error -- unknown option
        @Retry({ attempts: 3 })
        async u(): Promise<void> {}
      }
      return Bad;
    };
    expect(typeof notCompiled).toBe('function');
  });

  it("types retryOnResult by the decorated method's result", async () => {
    class Jobs {
      polls = 0;

      @Retry({
        delay: 0,
        maxAttempts: 5,
        retryOnResult: (job) => {
          expectType<Equal<typeof job, Job>>();
          return job.status === 'pending';
        },
      })
      async poll(id: string): Promise<Job> {
        this.polls += 1;
        return { id, status: this.polls < 3 ? 'pending' : 'done' };
      }

      @Retry({
        delay: 0,
        retryOnResult: (n) => {
          expectType<Equal<typeof n, number>>();
          return n < 0;
        },
      })
      static async count(): Promise<number> {
        return 1;
      }

      // A predicate for a wider type fits.
      @Retry({ delay: 0, retryOnResult: (r: unknown) => r === undefined })
      async wide(): Promise<string> {
        return 'w';
      }
    }
    const jobs = new Jobs();
    await expect(jobs.poll('j')).resolves.toEqual({ id: 'j', status: 'done' });
    expect(jobs.polls).toBe(3);
    await expect(Jobs.count()).resolves.toBe(1);
  });

  it('rejects a retryOnResult written for another type, inline, stored or detached', () => {
    const forJobs: RetryOptions<Job> = { retryOnResult: (job) => job.status === 'pending' };
    const detached = Retry({ retryOnResult: (job: Job) => job.status === 'pending' });
    const notCompiled = () => {
      class Bad {
        // @ts-expect-error -- the method resolves to a Job, not a string
        @Retry({ retryOnResult: (r: string) => r.length === 0 })
        async inline(): Promise<Job> {
          return { id: 'x', status: 'done' };
        }

        // @ts-expect-error -- options written for a Job, on a method resolving to a string
        @Retry(forJobs)
        async stored(): Promise<string> {
          return 'x';
        }

        @detached
        async fits(): Promise<Job> {
          return { id: 'x', status: 'done' };
        }

        // @ts-expect-error -- a detached @Retry checks the method when applied
        @detached
        async wrong(): Promise<string> {
          return 'x';
        }
      }
      return Bad;
    };
    expect(typeof notCompiled).toBe('function');
  });

  it('types the options and the functional policy', async () => {
    const backoff: BackoffStrategy = 'linear';
    const jitter: JitterStrategy = 'decorrelated';
    const options: RetryOptions = { backoff, jitter, retryOn: [TypeError], clock: undefined, random: () => 0.5 };
    const n: number = await retry({ ...options, delay: 0 }).execute(async (signal: AbortSignal) =>
      signal.aborted ? 2 : 1,
    );
    expect(n).toBe(1);
    // @ts-expect-error -- execute's result type follows fn
    const s: string = await retry({ delay: 0 }).execute(async () => 1);
    expect(s).toBe(1);
  });
});
