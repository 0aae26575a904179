import { expectType, type Equal } from '../support/type-equality.js';

// The helper the other type-level specs rely on must itself be able to fail.
describe('Equal / expectType (types)', () => {
  it('accepts identical types and rejects types that are only assignable', () => {
    expectType<Equal<number, number>>();
    expectType<Equal<{ a: 1 } | string, string | { a: 1 }>>();
    // @ts-expect-error -- a union is not its member
    expectType<Equal<number | string, number>>();
    // @ts-expect-error -- nor the other way round
    expectType<Equal<number, number | string>>();
    // @ts-expect-error -- any is not unknown
    expectType<Equal<any, unknown>>();
    // @ts-expect-error -- never is not unknown
    expectType<Equal<never, unknown>>();
    const same: Equal<'a', 'a'> = true;
    const different: Equal<'a', string> = false;
    expect([same, different]).toEqual([true, false]);
  });
});
