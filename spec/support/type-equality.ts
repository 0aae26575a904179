/**
 * Exact type assertions for the type-level specs (spec/types): `expectType<Equal<A, B>>()` compiles
 * only when A and B are the same type — not merely assignable one way — so a type that widens
 * (`T | R` where `T` was promised) or narrows fails `npm run typecheck` and the jest run (ts-jest
 * type-checks every spec). spec/types/type-equality.spec.ts shows that it can fail.
 */

/** `true` when `A` and `B` are identical types, else `false` (`any` equals only `any`). */
export type Equal<A, B> = (<G>() => G extends A ? 1 : 2) extends <G>() => G extends B ? 1 : 2 ? true : false;

/** Compiles only when `T` is `true`; does nothing at run time. */
export function expectType<_T extends true>(): void {}
