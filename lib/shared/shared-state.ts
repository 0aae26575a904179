// Why process-wide state lives on `globalThis`: breakwater ships an ES module and a CommonJS build,
// and an application can load both (an ESM app with a CommonJS dependency, or the reverse). Each
// build is then a separate copy with its own module variables, so a breaker named 'payments' made by
// one copy would be invisible to `getCircuitBreaker('payments')` in the other, and the global
// streams would each miss half the events. The contract says the same name anywhere is the same
// breaker, so the registries, the global channels and the delivery queue are kept here instead,
// created by whichever copy asks first and found by every later one.
//
// The key is a registered symbol (`Symbol.for`), which every copy resolves to the same value. It
// names a format version: copies of one major version share the same code, so they may call each
// other's objects through their methods. A change to the shape of a slot, or to the methods a slot's
// objects must have, that an older copy would misread is a breaking change and MUST bump the key
// (`v2`), so that copies speaking different formats keep separate state instead of corrupting it.
// Adding a new slot is not: a copy that does not know it never reads it.
// Never check a value taken from here with `instanceof` against one of breakwater's own classes:
// its class may be the other copy's.
const KEY: unique symbol = Symbol.for('breakwater.shared.v1') as never;

type Slots = Record<string, unknown>;

function slots(): Slots {
  const holder = globalThis as { [KEY]?: Slots };
  let found = holder[KEY];
  if (found === undefined) {
    found = Object.create(null) as Slots;
    // Not enumerable nor writable: it should neither show up when someone walks the globals nor
    // be replaced by accident, which would split the copies again.
    Object.defineProperty(holder, KEY, { value: found, enumerable: false, writable: false, configurable: false });
  }
  return found;
}

/**
 * The process-wide value stored under `slot`, created by `create` on first use by any copy of
 * breakwater loaded in this process.
 *
 * @param slot - the slot's name; one per kind of shared state.
 * @param create - builds the initial value; called at most once per process (per realm).
 * @returns the value every copy sees.
 * @internal
 */
export function sharedState<T>(slot: string, create: () => T): T {
  const all = slots();
  if (!(slot in all)) all[slot] = create();
  return all[slot] as T;
}

/** The registered symbol the shared state is kept under. @internal */
export const SHARED_STATE_KEY: symbol = KEY;
