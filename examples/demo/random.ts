/** A source of uniform numbers in [0, 1), like `Math.random`. */
export type Random = () => number;

/**
 * A small seeded pseudo-random generator (mulberry32): the same seed gives the same sequence, so
 * an incident replays the same way on every run.
 *
 * @param seed - any integer; only its low 32 bits are used.
 * @returns a function returning numbers in [0, 1).
 * @example
 * ```ts
 * const random = seededRandom(7);
 * random(); // the same value on every run
 * ```
 */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Derives a stable seed for a named stream, so each client draws from its own sequence and the
 * order in which two clients' requests interleave does not change what either of them sees.
 *
 * @param seed - the run's seed.
 * @param stream - the stream's name, e.g. a client id.
 * @example
 * ```ts
 * const forProtected = seededRandom(streamSeed(42, 'protected'));
 * ```
 */
export function streamSeed(seed: number, stream: string): number {
  let hash = seed >>> 0;
  for (let i = 0; i < stream.length; i += 1) {
    hash = Math.imul(hash ^ stream.charCodeAt(i), 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * A uniform number in [min, max).
 *
 * @param random - the generator to draw from.
 * @param min - lower bound, included.
 * @param max - upper bound, excluded (equal to `min` gives `min`).
 * @example
 * ```ts
 * const thinkMs = between(random, 20, 60);
 * ```
 */
export function between(random: Random, min: number, max: number): number {
  return min + (max - min) * random();
}
