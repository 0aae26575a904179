import type { Clock, TimerHandle } from '../../clock/clock.js';
import type { Scope } from '../../runtime/scope.js';

/**
 * Waits `ms` on `clock`, or rejects with the scope's reason the moment it aborts. The timer and
 * the abort listener are released in `finally` either way (Polly #2375: an abort during the
 * backoff leaves nothing behind). The timer is not unref'd: a pending retry keeps its call alive.
 * @internal
 */
export async function sleep(clock: Clock, ms: number, scope: Scope): Promise<void> {
  if (scope.aborted) throw scope.reason;
  let timer: TimerHandle = undefined;
  let armed = false;
  let dispose: (() => void) | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      dispose = scope.onAbort(reject);
      timer = clock.setTimeout(resolve, ms);
      armed = true;
    });
  } finally {
    if (armed) clock.clearTimeout(timer);
    dispose?.();
  }
}
