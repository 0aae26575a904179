import type { PolicyDeclaration } from '../engine/declaration.js';
import { attachDeclaration } from '../engine/install.js';
import type { PolicyKind } from '../engine/policy-kind.js';
import { PolicyConfigError } from '../errors/policy-config-error.js';

/**
 * Any method that returns a Promise. Decorating anything else is a compile-time error.
 * @category Composition
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- `this` and parameters must stay open for every method signature
export type AsyncMethod = (this: any, ...args: any[]) => PromiseLike<unknown>;

/**
 * A breakwater method decorator: works with TypeScript's standard (TC39) decorators and with
 * `experimentalDecorators`, from the same import, and only on methods that return a Promise.
 * @category Composition
 */
export interface ResilienceDecorator {
  /** Standard (TC39) decorator form. */
  <F extends AsyncMethod>(value: F, context: ClassMethodDecoratorContext<ThisParameterType<F>, F>): F | void;
  /** `experimentalDecorators` form. */
  <F extends AsyncMethod>(
    target: object,
    propertyKey: string | symbol,
    descriptor: TypedPropertyDescriptor<F>,
  ): TypedPropertyDescriptor<F> | void;
}

/** Where a decorator is being applied, known at class definition. @internal */
export interface DecoratorSite {
  readonly methodName: string;
  /** The class name, when known at definition (legacy mode); otherwise `undefined`. */
  readonly className: string | undefined;
  /** A human label for error messages: `@Retry on Class.method` or `@Retry on method`. */
  readonly where: string;
}

function isStandardContext(value: unknown): value is ClassMethodDecoratorContext {
  return typeof value === 'object' && value !== null && 'kind' in value && 'name' in value;
}

/**
 * Builds a decorator that validates its options when applied (class definition) and records
 * one declaration on the method. Decorators never wrap a method themselves.
 * @internal
 */
export function makeDecorator(
  decorator: string,
  declare: (site: DecoratorSite) => PolicyDeclaration | { order: readonly PolicyKind[] },
): ResilienceDecorator {
  return function (this: unknown, ...args: unknown[]): unknown {
    const [first, second, third] = args;
    if (isStandardContext(second)) {
      const name = String(second.name);
      if (second.kind !== 'method') {
        throw new PolicyConfigError(`@${decorator} on ${name}`, [
          { field: 'target', value: second.kind, expected: 'a method (decorators apply to async methods only)' },
        ]);
      }
      const site = { methodName: name, className: undefined, where: `@${decorator} on ${name}` };
      return attachDeclaration(first, name, declare(site), undefined);
    }
    const descriptor = third as PropertyDescriptor | undefined;
    const name = String(second);
    const owner = first as object;
    const className =
      typeof owner === 'function' ? owner.name : (owner as { constructor?: { name?: string } }).constructor?.name;
    const where = `@${decorator} on ${className ?? 'anonymous'}.${name}`;
    if (descriptor === undefined || typeof descriptor.value !== 'function') {
      throw new PolicyConfigError(where, [
        { field: 'target', value: descriptor?.value, expected: 'a method (decorators apply to async methods only)' },
      ]);
    }
    descriptor.value = attachDeclaration(
      descriptor.value,
      name,
      declare({ methodName: name, className, where }),
      owner,
    );
    return descriptor;
  } as ResilienceDecorator;
}
