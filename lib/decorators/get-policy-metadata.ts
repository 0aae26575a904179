import { orderedDeclarations, recordOf } from './install.js';
import { POLICY_METADATA_KEY, type MethodPolicyRecord, type PolicyMetadata } from './metadata.js';
import { DEFAULT_POLICY_ORDER } from '../shared/policy-kind.js';

/**
 * Reads back the policies the decorators recorded on a method (through reflect-metadata),
 * outermost first, with the order in force.
 *
 * @param target - the class, its prototype, or an instance.
 * @param methodName - the decorated method's name.
 * @returns the recorded policies, or `undefined` when the method has none.
 * @example
 * ```ts
 * getPolicyMetadata(PaymentClient, 'charge')?.order; // ['fallback', 'circuitBreaker', 'retry']
 * ```
 * @category Composition
 */
export function getPolicyMetadata(target: object, methodName: string): PolicyMetadata | undefined {
  const holder = typeof target === 'function' ? (target as { prototype?: object }).prototype : target;
  const candidates: unknown[] = [
    holder === undefined ? undefined : (holder as Record<string, unknown>)[methodName],
    (target as Record<string, unknown>)[methodName],
  ];
  for (const fn of candidates) {
    if (typeof fn !== 'function') continue;
    const record = (Reflect.getMetadata(POLICY_METADATA_KEY, fn) as MethodPolicyRecord | undefined) ?? recordOf(fn);
    if (record === undefined) continue;
    const declarations = orderedDeclarations(record);
    const order = record.order ?? DEFAULT_POLICY_ORDER;
    return {
      order: order.filter((kind) => declarations.some((d) => d.kind === kind)),
      policies: declarations.map((d) => ({ kind: d.kind, options: d.options })),
      customOrder: record.order !== undefined,
    };
  }
  return undefined;
}
