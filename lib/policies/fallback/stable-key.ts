import { isAbortSignal } from '../../runtime/scope.js';

const UNDEFINED = '\u0000undefined';

// Object keys sorted, so `{ a, b }` and `{ b, a }` give the same key; `undefined` kept apart from null.
function replacer(_key: string, value: unknown): unknown {
  if (value === undefined) return UNDEFINED;
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Map) return { '\u0000map': [...value.entries()] };
  if (value instanceof Set) return { '\u0000set': [...value.values()] };
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) sorted[k] = (value as Record<string, unknown>)[k];
    return sorted;
  }
  return value;
}

/**
 * The arguments a cached result is stored under: AbortSignals are left out (each call has its own).
 * @internal
 */
export function keyArgs(args: readonly unknown[]): unknown[] {
  return args.filter((a) => !isAbortSignal(a));
}

/**
 * A stable JSON of the arguments, or `undefined` when they cannot be serialised (a cycle).
 * @internal
 */
export function stableKey(args: readonly unknown[]): string | undefined {
  try {
    return JSON.stringify(args, replacer);
  } catch {
    return undefined;
  }
}
