import { PolicyConfigError } from '../errors/policy-config-error.js';
import { DEFAULT_POLICY_ORDER, isPolicyKind, type PolicyKind } from '../shared/policy-kind.js';

/**
 * Checks an order override: every policy kind exactly once.
 * @internal
 */
export function validatePolicyOrder(where: string, order: unknown): readonly PolicyKind[] {
  const expected = `an array of ${DEFAULT_POLICY_ORDER.map((k) => `'${k}'`).join(', ')}, each exactly once`;
  let list: unknown[] | undefined;
  try {
    list = Array.isArray(order) ? Array.from(order) : undefined; // read once
  } catch {
    list = undefined;
  }
  if (
    list === undefined ||
    list.length !== DEFAULT_POLICY_ORDER.length ||
    !list.every(isPolicyKind) ||
    new Set(list).size !== list.length
  ) {
    throw new PolicyConfigError(where, [{ field: 'order', value: order, expected }]);
  }
  return Object.freeze(list);
}
