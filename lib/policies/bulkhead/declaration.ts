import type { PolicyDeclaration, PolicySite } from '../../engine/declaration.js';
import type { BulkheadPolicy } from './bulkhead-policy.js';
import { resolveBulkheadOptions } from './options.js';
import { obtainBulkhead } from './registry.js';

/**
 * What `@Bulkhead` records. A named bulkhead is registered right away, so a clash of limits is
 * reported when the class is defined; an unnamed one is created per method on its first call and
 * registered under `Class.method` (the class name is only known then in standard decorator mode).
 *
 * @param where - the decorator site, for error messages.
 * @param input - the options or `maxConcurrent`.
 * @throws PolicyConfigError on invalid options or a name already used with other limits.
 * @internal
 */
export function bulkheadDeclaration(where: string, input: unknown): PolicyDeclaration {
  const options = resolveBulkheadOptions(where, input);
  const shared: BulkheadPolicy | undefined =
    options.name === undefined ? undefined : obtainBulkhead(where, options.name, options);
  return {
    kind: 'bulkhead',
    options: input,
    perInstance: false,
    create: (site: PolicySite) => shared ?? obtainBulkhead(`@Bulkhead on ${site.label}`, site.label, options, true),
  };
}
