import type { PolicyDeclaration } from '../../engine/declaration.js';
import { resolveRetryOptions } from './options.js';
import { RetryExecutor } from './retry-executor.js';

/**
 * Validates retry options (throwing `PolicyConfigError` with every bad field) and returns the
 * declaration a `@Retry` records.
 * @internal
 */
export function retryDeclaration(where: string, options: unknown): PolicyDeclaration {
  const resolved = resolveRetryOptions(where, options);
  return {
    kind: 'retry',
    options,
    perInstance: false,
    create: (site) => new RetryExecutor(resolved, site.label),
  };
}
