import { findOwner, resolveSite } from '../../lib/engine/site.js';

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
