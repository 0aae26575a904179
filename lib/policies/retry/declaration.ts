import type { PolicyDeclaration } from '../../engine/declaration.js';
import type { ResolvedRetryOptions } from './options.js';
import { RetryExecutor } from './retry-executor.js';

/**
 * The declaration a `@Retry` records, from options already read and validated.
 *
 * @param resolved - the options with defaults applied.
 * @param options - the options as written, for `getPolicyMetadata`.
 * @internal
 */
export function retryDeclaration(resolved: ResolvedRetryOptions, options: unknown): PolicyDeclaration {
  return {
    kind: 'retry',
    options,
    perInstance: false,
    create: (site) => new RetryExecutor(resolved, site.label),
  };
}
