import type { PolicySite } from '../runtime/declaration.js';
import { sharedState } from '../shared/shared-state.js';

// Default names are unique per class: a second class called `Foo` with a method `bar` gets
// `Foo.bar#2`. Keyed by the owning prototype (weakly) so a collected class frees its entry. Shared
// by every copy of breakwater in the process, like the registry the names are keys of: two classes
// called `Foo` loaded through the ES module and the CommonJS build must not both be `Foo.bar`.
const { labelsByOwner, labelCounts } = sharedState('defaultNames', () => ({
  labelsByOwner: new WeakMap<object, Map<string, string>>(),
  labelCounts: new Map<string, number>(),
}));

/**
 * The object in `self`'s prototype chain that holds `wrapper` as its own `methodName`.
 * @internal
 */
export function findOwner(self: unknown, methodName: string | symbol, wrapper: unknown): object | undefined {
  let o: unknown = self;
  while ((typeof o === 'object' || typeof o === 'function') && o !== null) {
    const d = Object.getOwnPropertyDescriptor(o, methodName);
    if (d !== undefined && d.value === wrapper) return o;
    o = Object.getPrototypeOf(o);
  }
  return undefined;
}

function classNameOf(owner: object | undefined): string {
  if (owner === undefined) return 'anonymous';
  if (typeof owner === 'function') return owner.name || 'anonymous';
  const ctor = (owner as { constructor?: { name?: string } }).constructor;
  return ctor?.name || 'anonymous';
}

/**
 * Describes where a policy is applied, giving it a label unique across classes.
 * @internal
 */
export function resolveSite(owner: object | undefined, methodName: string, instance?: object): PolicySite {
  const className = classNameOf(owner);
  const base = `${className}.${methodName}`;
  let label = base;
  if (owner !== undefined) {
    let labels = labelsByOwner.get(owner);
    if (labels === undefined) labelsByOwner.set(owner, (labels = new Map<string, string>()));
    const known = labels.get(methodName);
    if (known !== undefined) label = known;
    else {
      const n = (labelCounts.get(base) ?? 0) + 1;
      labelCounts.set(base, n);
      label = n === 1 ? base : `${base}#${n}`;
      labels.set(methodName, label);
    }
  }
  return { className, methodName, label, owner, instance };
}
