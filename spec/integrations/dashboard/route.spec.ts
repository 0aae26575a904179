import { hostHeaderIsLoopback, isLoopback, routeRequest } from '../../../lib/integrations/dashboard/route';

describe('dashboard routes', () => {
  it.each([
    ['GET', '/', '', 'page'],
    ['GET', '', '', 'page'],
    ['HEAD', '/?x=1', '', 'page'],
    ['GET', '/events', '', 'events'],
    ['GET', '/events?since=4#frag', '', 'events'],
    ['GET', '/events/', '', 'pass'],
    ['GET', '/metrics', '', 'pass'],
    ['GET', '/index.html', '', 'pass'],
    ['GET', '/breakwater', '/breakwater', 'page'],
    ['GET', '/breakwater/', '/breakwater', 'page'],
    ['GET', '/breakwater/events', '/breakwater', 'events'],
    ['GET', '/breakwaterx/events', '/breakwater', 'pass'],
    ['GET', '/', '/breakwater', 'pass'],
    ['GET', '/events', '/breakwater', 'pass'],
    ['GET', '/ops/breakwater/events', '/ops/breakwater', 'events'],
    ['POST', '/', '', 'method_not_allowed'],
    ['DELETE', '/events', '', 'method_not_allowed'],
    ['PUT', '/breakwater/', '/breakwater', 'method_not_allowed'],
    ['POST', '/other', '', 'pass'],
    [undefined, undefined, '', 'method_not_allowed'],
  ])('%s %j under %j → %s', (method, url, path, kind) => {
    expect(routeRequest(method, url, path)).toEqual({ kind });
  });

  it('knows loopback names and addresses', () => {
    for (const host of [
      '127.0.0.1',
      '127.1.2.3',
      'localhost',
      'LOCALHOST',
      'app.localhost',
      '::1',
      '[::1]',
      'localhost.',
    ]) {
      expect(isLoopback(host)).toBe(true);
    }
    for (const host of ['0.0.0.0', '::', '10.0.0.1', 'example.com', 'localhost.example.com', '127.0.0.1.nip.io', '']) {
      expect(isLoopback(host)).toBe(false);
    }
  });

  it('accepts only Host headers that name a loopback host (DNS rebinding)', () => {
    for (const header of ['127.0.0.1:8080', 'localhost:9', 'localhost', '[::1]:8080', '[::1]']) {
      expect(hostHeaderIsLoopback(header)).toBe(true);
    }
    for (const header of [
      undefined,
      '',
      'attacker.example:8080',
      'rebind.attacker.example',
      '[::]:80',
      '192.168.1.5:80',
    ]) {
      expect(hostHeaderIsLoopback(header)).toBe(false);
    }
  });
});
