import { bulkheadDeclaration } from '../policies/bulkhead/declaration.js';
import { resolveBulkheadOptions, type BulkheadOptions } from '../policies/bulkhead/options.js';
import { makeDecorator, prepare, rejectUncalled, type ResilienceDecorator } from './make-decorator.js';

/**
 * Limits how many calls of a method run at once; extra calls wait in a FIFO queue (up to
 * `maxQueue`) or are refused with `BulkheadFullError`. A permit is held until the method's promise
 * really settles, even when an outer `@Timeout` has already given up on it.
 *
 * Without `name`, each decorated method has its own bulkhead, shared by all its objects and
 * registered as `Class.method`; with `name`, every declaration of that name shares one.
 *
 * @param options - the options, or `maxConcurrent` alone.
 * @returns a method decorator for both decorator modes.
 * @throws PolicyConfigError at class definition for invalid options, a `name` already declared with
 *   other limits, a second `@Bulkhead` on the method, or `@Bulkhead` written without its call.
 * @example
 * ```ts
 * class Reports {
 *   @Bulkhead({ name: 'db', maxConcurrent: 10, maxQueue: 100, queueTimeout: 2_000 })
 *   async monthly(month: string): Promise<Report> { … }
 * }
 * ```
 * @category Bulkhead
 * @group Decorators
 */
export function Bulkhead(options: BulkheadOptions | number): ResilienceDecorator {
  // eslint-disable-next-line prefer-rest-params -- the signature stays the one users see
  rejectUncalled('Bulkhead', arguments, '@Bulkhead(10) or @Bulkhead({ maxConcurrent: 10 })');
  const prepared = prepare(() => resolveBulkheadOptions('@Bulkhead', options));
  return makeDecorator('Bulkhead', (site, resolved) => bulkheadDeclaration(site.where, resolved, options), {
    kind: 'bulkhead',
    prepared,
  });
}
