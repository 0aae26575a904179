import type { PolicyExecutor } from './call.js';
import type { PolicyKind } from '../shared/policy-kind.js';

/**
 * Where a policy is applied: the decorated method, and for per-instance policies the object.
 * @internal
 */
export interface PolicySite {
  readonly className: string;
  readonly methodName: string;
  /** `Class.method`, with `#2`, `#3`… when another class of the same name has the same method. */
  readonly label: string;
  /** The object that owns the method: the prototype, or the class for a static method. */
  readonly owner: object | undefined;
  /** The instance, for policies created per object (`scope: 'instance'`). */
  readonly instance: object | undefined;
}

/**
 * What a decorator records: the policy's kind, its validated options, and how to create its
 * run-time half for a method.
 * @internal
 */
export interface PolicyDeclaration {
  readonly kind: PolicyKind;
  /** The options as given (validated), for {@link getPolicyMetadata}. */
  readonly options: unknown;
  /** True when each object gets its own instance of this policy. */
  readonly perInstance: boolean;
  create(site: PolicySite): PolicyExecutor;
}
