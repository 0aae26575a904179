import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** A call under test: one logical call through a library. */
export type Op = () => Promise<unknown>;

/**
 * `gc` from --expose-gc, or (when a test runner started the process without it) the same function
 * obtained by setting the flag at run time and reading it from a fresh context.
 */
function findGc(): (() => void) | undefined {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed !== undefined) return exposed;
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}

const gc = findGc();

/** A full collection when the process runs with --expose-gc, so every sample starts from a similar heap. */
export function collectGarbage(): void {
  gc?.();
}

/** Whether --expose-gc is on (heap scenarios need it). */
export function canCollectGarbage(): boolean {
  return gc !== undefined;
}

/** Monotonic nanoseconds. */
export function now(): number {
  return Number(process.hrtime.bigint());
}

/** Mean nanoseconds per call over `n` sequential successful calls (after a full gc when `gcFirst`). */
export async function timeCalls(op: Op, n: number, gcFirst = true): Promise<number> {
  if (gcFirst) collectGarbage();
  const start = now();
  for (let i = 0; i < n; i++) await op();
  return (now() - start) / n;
}

/** Mean nanoseconds per call over `n` sequential calls that are expected to reject. */
export async function timeRejections(op: Op, n: number, gcFirst = true): Promise<number> {
  if (gcFirst) collectGarbage();
  let rejected = 0;
  const start = now();
  for (let i = 0; i < n; i++) {
    try {
      await op();
    } catch {
      rejected++;
    }
  }
  const elapsed = now() - start;
  if (rejected !== n) throw new Error(`expected ${n} rejections, got ${rejected}`);
  return elapsed / n;
}

/** Untimed calls before calibrating, in sample lengths (see {@link calibrate}). */
const WARMUP_SAMPLES = 4;

/**
 * How many calls fill about `targetMs` of sequential work, so that each sample is long enough to
 * swamp timer resolution and short enough for many rounds. At least `min` calls.
 */
export async function calibrate(op: Op, targetMs: number, expectReject = false, min = 100): Promise<number> {
  // Untimed first, for a few samples' length: one-time costs (a decorated method builds its chain
  // on its first call; cold code) are not per-call costs. Counted in, they made the count tiny, and
  // samples that short never ran long enough for V8 to optimize the path they measure (a decorated
  // call took ~10 ms of calls here before it was).
  for (let spent = 0, n = min; spent < WARMUP_SAMPLES * targetMs * 1e6; n *= 2) {
    spent += n * (expectReject ? await timeRejections(op, n, false) : await timeCalls(op, n, false));
  }
  let n = min;
  for (;;) {
    const perCall = expectReject ? await timeRejections(op, n, false) : await timeCalls(op, n, false);
    const elapsedMs = (perCall * n) / 1e6;
    if (elapsedMs >= targetMs / 8 || n >= 1 << 24) {
      return Math.max(min, Math.round((targetMs * 1e6) / perCall));
    }
    n *= 4;
  }
}
