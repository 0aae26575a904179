/**
 * Names to policies, as breakwater's process-wide registries hold them: a name the user chose
 * strongly (a shared identity, bounded by the code), a name derived from a method or an object
 * weakly (the method's chain holds its policy, so the policy goes with its class or object, and its
 * entry is swept once collected). The one implementation behind the breakers' and the bulkheads'
 * registries. An instance may be shared by two copies of breakwater (see lib/shared/shared-state.ts):
 * it is only ever used through these methods.
 * @internal
 */
export class NameRegistry<T extends object> {
  private readonly entries = new Map<string, T | WeakRef<T>>();
  private readonly collected = new FinalizationRegistry<string>((name) => {
    const entry = this.entries.get(name);
    if (entry instanceof WeakRef && entry.deref() === undefined) this.entries.delete(name);
  });

  /** The policy under `name`, if it is still alive. */
  get(name: string): T | undefined {
    const entry = this.entries.get(name);
    return entry instanceof WeakRef ? entry.deref() : entry;
  }

  /** True when `name` is held weakly (a derived name), even if its policy is already collected. */
  isWeak(name: string): boolean {
    return this.entries.get(name) instanceof WeakRef;
  }

  /** Registers `policy` under a name the user chose (or moves a weakly held one to strong). */
  holdStrongly(name: string, policy: T): void {
    this.entries.set(name, policy);
  }

  /** Registers `policy` under a derived name, until it is collected. */
  holdWeakly(name: string, policy: T): void {
    this.entries.set(name, new WeakRef(policy));
    this.collected.register(policy, name);
  }

  delete(name: string): void {
    this.entries.delete(name);
  }

  /** Every name, collected weak entries not yet swept included. */
  names(): string[] {
    return [...this.entries.keys()];
  }

  /** Every live policy, in the order their names were registered. */
  values(): T[] {
    const all: T[] = [];
    for (const name of this.entries.keys()) {
      const policy = this.get(name);
      if (policy !== undefined) all.push(policy);
    }
    return all;
  }
}
