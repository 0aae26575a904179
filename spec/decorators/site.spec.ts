import { findOwner, resolveSite } from '../../lib/decorators/site.js';

describe('site', () => {
  it('finds the owner of a wrapper on the prototype chain', () => {
    const wrapper = (): void => undefined;
    const proto = { go: wrapper };
    const child = Object.create(proto) as object;
    expect(findOwner(child, 'go', wrapper)).toBe(proto);
    expect(findOwner(child, 'other', wrapper)).toBeUndefined();
    expect(findOwner(undefined, 'go', wrapper)).toBeUndefined();
  });

  it('labels a site without an owner as anonymous and does not number it', () => {
    expect(resolveSite(undefined, 'run').label).toBe('anonymous.run');
    expect(resolveSite(undefined, 'run').label).toBe('anonymous.run');
  });

  it('names static owners by the class itself', () => {
    class Svc {}
    expect(resolveSite(Svc, 'ping')).toMatchObject({ className: 'Svc', label: 'Svc.ping' });
    expect(resolveSite(Svc, 'ping').label).toBe('Svc.ping');
  });
});

describe('site across copies of breakwater', () => {
  it('numbers default names across copies: two same-named classes never share a default name', () => {
    class Twin {}
    class OtherTwin {}
    Object.defineProperty(OtherTwin, 'name', { value: 'Twin' });
    const first = resolveSite(Twin.prototype, 'go').label;
    let second = '';
    jest.isolateModules(() => {
      // A second copy of the module, as the other build (ESM or CommonJS) would be.
      const copy = jest.requireActual<typeof import('../../lib/decorators/site.js')>('../../lib/decorators/site.js');
      second = copy.resolveSite(OtherTwin.prototype, 'go').label;
    });
    expect(first).toBe('Twin.go');
    expect(second).toBe('Twin.go#2');
  });
});
