import 'reflect-metadata';
import type { PolicyDeclaration } from '../runtime/declaration.js';
import type { PolicyKind } from '../shared/policy-kind.js';

/**
 * The reflect-metadata key under which a method's policies are recorded.
 * @category Composition
 */
export const POLICY_METADATA_KEY = Symbol.for('breakwater:policies');

/**
 * Everything the decorators recorded for one method.
 * @internal
 */
export interface MethodPolicyRecord {
  readonly methodName: string;
  readonly declarations: PolicyDeclaration[];
  order: readonly PolicyKind[] | undefined;
}

/**
 * The policies recorded on a method, as {@link getPolicyMetadata} returns them.
 * @category Composition
 */
export interface PolicyMetadata {
  /** The composition order in force, outermost first, limited to the kinds present. */
  readonly order: readonly PolicyKind[];
  /** Each policy's kind and the options it was declared with, outermost first. */
  readonly policies: ReadonlyArray<{
    /** The policy's kind, e.g. `'retry'`. */
    readonly kind: PolicyKind;
    /** The decorator's argument as written (for `@Fallback`, the handler merged into its options). */
    readonly options: unknown;
  }>;
  /** True when the order was overridden with `@PolicyOrder`. */
  readonly customOrder: boolean;
}
