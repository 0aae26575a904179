import type { PolicyDeclaration } from '../../runtime/declaration.js';
import type { ResolvedTimeoutOptions } from './options.js';
import { TimeoutPolicy } from './timeout-policy.js';

/**
 * The declaration a `@Timeout` records, from options already read and validated.
 *
 * @param resolved - the duration and clock.
 * @param options - the options as written, for `getPolicyMetadata`.
 * @internal
 */
export function timeoutDeclaration(resolved: ResolvedTimeoutOptions, options: unknown): PolicyDeclaration {
  return {
    kind: 'timeout',
    options,
    perInstance: false,
    create: (site) => new TimeoutPolicy(site.label, resolved),
  };
}
