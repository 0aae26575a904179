import type { PolicyDeclaration, PolicySite } from '../../runtime/declaration.js';
import { PolicyConfigError } from '../../errors/policy-config-error.js';
import { FallbackPolicy } from './fallback-policy.js';
import type { ResolvedFallbackOptions } from './options.js';

type HandlerFn = (this: unknown, error: unknown, ...args: unknown[]) => unknown;

/**
 * Throws unless `owner` (the prototype, or the class for a static method) has a method `name`.
 * @internal
 */
export function checkHandlerMethod(
  where: string,
  owner: object | undefined,
  name: string | symbol,
  className: string | undefined,
): void {
  if (owner === undefined) return;
  if (typeof (owner as Record<string | symbol, unknown>)[name] !== 'function') {
    throw new PolicyConfigError(where, [
      {
        field: 'handler',
        value: name,
        expected: `the name of a method of ${className ?? 'the class'} (no such method was found)`,
      },
    ]);
  }
}

/**
 * Returns `@Fallback`'s declaration, its handler and options already validated. A method-name
 * handler is checked against the class now when it is known (legacy decorators), else at the
 * first call.
 * @internal
 */
export function fallbackDeclaration(
  site: {
    readonly where: string;
    readonly methodName: string;
    readonly className: string | undefined;
    readonly owner: object | undefined;
  },
  handler: unknown,
  resolved: ResolvedFallbackOptions,
): PolicyDeclaration {
  const byName = typeof handler === 'string' || typeof handler === 'symbol';
  if (byName && handler === site.methodName) {
    throw new PolicyConfigError(site.where, [
      { field: 'handler', value: handler, expected: 'a method other than the decorated one (it would call itself)' },
    ]);
  }
  if (byName) checkHandlerMethod(site.where, site.owner, handler, site.className);
  return {
    kind: 'fallback',
    // From the snapshot: the options are not read a second time.
    options: resolved.filter === undefined ? { handler } : { handler, on: resolved.filter },
    perInstance: false,
    create: (policySite: PolicySite) => {
      if (byName)
        checkHandlerMethod(`@Fallback on ${policySite.label}`, policySite.owner, handler, policySite.className);
      return new FallbackPolicy(handler as HandlerFn | string | symbol, resolved, policySite.label);
    },
  };
}
