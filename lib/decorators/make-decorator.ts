import type { PolicyDeclaration } from '../runtime/declaration.js';
import { attachDeclaration, recordOf } from './install.js';
import type { PolicyKind } from '../shared/policy-kind.js';
import {
  describeValue,
  isPolicyConfigError,
  PolicyConfigError,
  type ConfigIssue,
} from '../errors/policy-config-error.js';

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
  /** The prototype (or the class, for a static method), when known at definition (legacy mode). */
  readonly owner: object | undefined;
  /**
   * A human label for error messages: `@Retry on Class.method`, or `@Retry on method` with standard
   * decorators, which are applied before anything can tell them the class.
   */
  readonly where: string;
}

/** What a decorator factory learnt by reading and validating its options. @internal */
export type Prepared<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: readonly ConfigIssue[] };

/**
 * Reads and validates a decorator's options when its factory runs (`@Retry({...})` is evaluated
 * before any decorator of the class is applied), keeping the issues to throw when it is applied,
 * where the method is known.
 * @internal
 */
export function prepare<T>(validate: () => T): Prepared<T> {
  try {
    return { ok: true, value: validate() };
  } catch (error) {
    if (isPolicyConfigError(error)) return { ok: false, issues: error.issues };
    throw error;
  }
}

/** A decorator made by a factory: its issues (none when valid), and whether it was applied or reported. */
interface Made {
  readonly decorator: string;
  readonly issues: readonly ConfigIssue[];
  done: boolean;
}

// Every decorator expression of a method (of a whole class, with standard decorators) is evaluated
// before the first of them is applied, and applying one that throws ends the class definition.
// So the factories note the decorators they make here, and the first one that fails when applied
// also reports the invalid ones not applied yet: two bad decorators on one method give one error
// naming both. A batch starts with the first factory call after an application.
let batch: Made[] = [];
let applied = false;

function noteFactory(made: Made): void {
  if (applied) {
    batch = [];
    applied = false;
  }
  batch.push(made);
}

function isStandardContext(value: unknown): value is ClassMethodDecoratorContext {
  return typeof value === 'object' && value !== null && 'kind' in value && 'name' in value;
}

function classNameOf(owner: unknown): string | undefined {
  if (typeof owner === 'function') return owner.name;
  return (owner as { constructor?: { name?: string } } | null)?.constructor?.name;
}

/**
 * Throws a `PolicyConfigError` when a decorator factory is itself being applied as a decorator:
 * `@Retry` written without its call, which types catch but JavaScript and `any` do not. Without
 * this, the method would be replaced by the factory's result (a TypeError on the first call) or
 * left unprotected.
 *
 * @param decorator - the factory's name, e.g. `'Retry'`.
 * @param args - the factory's `arguments`.
 * @param usage - how to write it, e.g. `'@Retry()'`.
 * @internal
 */
export function rejectUncalled(decorator: string, args: ArrayLike<unknown>, usage: string): void {
  const [first, second, third] = [args[0], args[1], args[2]];
  let on: string | undefined;
  if (args.length === 2 && isStandardContext(second)) on = String(second.name);
  else if (
    (args.length === 2 || args.length === 3) &&
    (typeof second === 'string' || typeof second === 'symbol') &&
    ((typeof first === 'object' && first !== null) || typeof first === 'function') &&
    (third === undefined || typeof third === 'object')
  ) {
    on = `${classNameOf(first) ?? 'anonymous'}.${String(second)}`;
  }
  if (on === undefined) return;
  throw new PolicyConfigError(`@${decorator} on ${on}`, [
    {
      field: 'decorator',
      value: undefined,
      expected: `a call: ${usage}`,
      message: `@${decorator} must be called: write ${usage} (without the call it is given the method in place of its options)`,
    },
  ]);
}

/** How a decorator made by {@link makeDecorator} checks itself. @internal */
export interface DecoratorChecks<T> {
  /** The kind it declares (`'order'` for `@PolicyOrder`): a second one on a method is reported before anything is declared. */
  readonly kind?: PolicyKind | 'order';
  /** What the factory found when it read and validated the options; `declare` receives the value. */
  readonly prepared?: Prepared<T>;
}

/**
 * Builds a decorator that records one declaration on the method when applied (class definition).
 * Decorators never wrap a method themselves. Invalid options (found by the factory), a second
 * decorator of the same kind and a target that is not a method are reported together, with the
 * other invalid decorators evaluated with this one and not yet applied.
 * @internal
 */
export function makeDecorator<T = undefined>(
  decorator: string,
  declare: (site: DecoratorSite, options: T) => PolicyDeclaration | { order: readonly PolicyKind[] },
  checks: DecoratorChecks<T> = {},
): ResilienceDecorator {
  const { kind, prepared } = checks;
  const self: Made = { decorator, issues: prepared?.ok === false ? prepared.issues : [], done: false };
  noteFactory(self);
  return function (this: unknown, ...args: unknown[]): unknown {
    applied = true;
    self.done = true;
    const [first, second, third] = args;
    const standard = isStandardContext(second);
    const methodName = String(standard ? second.name : second);
    const owner = standard ? undefined : (first as object);
    const className = standard ? undefined : (classNameOf(owner) ?? 'anonymous');
    const on = className === undefined ? methodName : `${className}.${methodName}`;
    const site: DecoratorSite = { methodName, className, owner, where: `@${decorator} on ${on}` };
    const descriptor = standard ? undefined : (third as PropertyDescriptor | undefined);
    const method: unknown = standard ? first : descriptor?.value;

    const issues: ConfigIssue[] = [...self.issues];
    const notMethod = standard ? second.kind !== 'method' : typeof method !== 'function';
    if (notMethod) {
      issues.push({
        field: 'target',
        value: standard ? second.kind : method,
        expected: 'a method (decorators apply to async methods only)',
      });
    } else if (kind !== undefined && declares(method, kind)) {
      issues.push({
        field: 'decorator',
        value: undefined,
        expected: `one @${decorator} per method`,
        message: `@${decorator} is declared twice on ${on}: a method takes each policy once`,
      });
    }
    try {
      if (issues.length > 0) throw new PolicyConfigError(site.where, issues);
      const options = (prepared?.ok === true ? prepared.value : undefined) as T;
      const wrapper = attachDeclaration(method, methodName, declare(site, options), owner);
      if (standard) return wrapper;
      descriptor!.value = wrapper;
      return descriptor;
    } catch (error) {
      throw isPolicyConfigError(error) ? withOthers(error, self) : error;
    }
  } as ResilienceDecorator;
}

function declares(method: unknown, kind: PolicyKind | 'order'): boolean {
  const record = recordOf(method);
  if (record === undefined) return false;
  return kind === 'order' ? record.order !== undefined : record.declarations.some((d) => d.kind === kind);
}

/**
 * Adds the invalid decorators evaluated with this one (in the same batch) and not applied yet, nor
 * reported, to `error`: the application that throws ends the class definition, so they would
 * otherwise only show up one run later.
 */
function withOthers(error: PolicyConfigError, self: Made): PolicyConfigError {
  const extra: ConfigIssue[] = [];
  for (const other of batch) {
    if (other === self || other.done || other.issues.length === 0) continue;
    other.done = true;
    for (const issue of other.issues) {
      const text = issue.message ?? `${issue.field} must be ${issue.expected} (got ${describeValue(issue.value)})`;
      extra.push({
        ...issue,
        field: `@${other.decorator}.${issue.field}`,
        message: `also @${other.decorator}: ${text}`,
      });
    }
  }
  return extra.length === 0 ? error : new PolicyConfigError(error.where, [...error.issues, ...extra]);
}
