import type { PolicyDeclaration, PolicySite } from '../../runtime/declaration.js';
import type { BulkheadPolicy } from './bulkhead-policy.js';
import type { ResolvedBulkheadOptions } from './options.js';
import { obtainBulkhead } from './registry.js';

/**
 * What `@Bulkhead` records, from options already read and validated. A named bulkhead is
 * registered right away, so a clash of limits is reported when the class is defined; an unnamed
 * one is created per method on its first call and registered under `Class.method` (the class name
 * is only known then in standard decorator mode).
 *
 * @param where - the decorator site, for error messages.
 * @param options - the validated options.
 * @param input - the options or `maxConcurrent` as written, for `getPolicyMetadata`.
 * @throws PolicyConfigError on a name already used with other limits.
 * @internal
 */
export function bulkheadDeclaration(
  where: string,
  options: ResolvedBulkheadOptions,
  input: unknown,
): PolicyDeclaration {
  const shared: BulkheadPolicy | undefined =
    options.name === undefined ? undefined : obtainBulkhead(where, options.name, options);
  return {
    kind: 'bulkhead',
    options: input,
    perInstance: false,
    create: (site: PolicySite) => shared ?? obtainBulkhead(`@Bulkhead on ${site.label}`, site.label, options, true),
  };
}
