import type { PolicyDeclaration } from '../../runtime/declaration.js';
import type { ResolvedRetryOptions } from './options.js';
import { RetryPolicy } from './retry-policy.js';

/**
 * The declaration a `@Retry` records, from options already read and validated.
 *
 * @param resolved - the options with defaults applied.
 * @param options - the options as written, for `getPolicyMetadata`.
 * @param now - the options in force when the policy is created (the decorator's over the policy
 *   defaults, see `setPolicyDefaults`), from the method's label.
 * @internal
 */
export function retryDeclaration(
  resolved: ResolvedRetryOptions,
  options: unknown,
  now: (label: string) => ResolvedRetryOptions = () => resolved,
): PolicyDeclaration {
  return {
    kind: 'retry',
    options,
    perInstance: false,
    create: (site) => new RetryPolicy(now(site.label), site.label),
  };
}
