import { isPolicyConfigError, PolicyConfigError } from '../../../lib/index';
import { DASHBOARD_DEFAULTS, resolveDashboardOptions } from '../../../lib/integrations/dashboard/options';
import { dashboardHandler, serveDashboard } from '../../../lib/integrations/dashboard/index';

describe('dashboard options', () => {
  it('applies the documented defaults', () => {
    expect(resolveDashboardOptions(undefined, 'x')).toEqual({
      path: '',
      title: 'breakwater',
      maxClients: 32,
      maxBufferedBytes: 1_048_576,
      batchInterval: 250,
      keepAliveInterval: 15_000,
      reconnectDelay: 2_000,
      timelineSize: 100,
    });
    expect(resolveDashboardOptions({ path: '/ops/breakwater', maxClients: 1 }, 'x')).toEqual({
      ...DASHBOARD_DEFAULTS,
      path: '/ops/breakwater',
      maxClients: 1,
    });
  });

  it('rejects every bad option at once, naming field, value and what is allowed', () => {
    let caught: unknown;
    try {
      dashboardHandler({
        path: 'breakwater/',
        title: '',
        maxClients: 0,
        maxBufferedBytes: Number.NaN,
        batchInterval: 2.5,
        keepAliveInterval: Infinity,
        reconnectDelay: -1,
        timelineSize: 10_001,
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PolicyConfigError);
    const error = caught as PolicyConfigError;
    expect(error.where).toBe('dashboardHandler()');
    expect(error.issues.map((i) => i.field)).toEqual([
      'path',
      'title',
      'maxClients',
      'maxBufferedBytes',
      'batchInterval',
      'keepAliveInterval',
      'reconnectDelay',
      'timelineSize',
    ]);
    expect(error.message).toContain('maxClients must be an integer from 1 to 10000 (got 0)');
    expect(error.message).toContain(`path must be '' or a path like '/breakwater'`);
    expect(error.message).toContain('maxBufferedBytes must be an integer from 1 to 1073741824 (got NaN)');
  });

  it.each([['/'], ['/a/'], ['a'], ['/a?b'], ['/a b'], ['//a'], [5]])('rejects path %j', (path) => {
    expect(() => dashboardHandler({ path: path as string })).toThrow(/path must be/);
  });

  it('rejects options that are not an object', () => {
    expect(() => dashboardHandler(42 as never)).toThrow(/options must be an object or undefined \(got 42\)/);
  });

  it('serveDashboard rejects bad port, host and next with the handler options, before listening', async () => {
    const caught: unknown = await serveDashboard({ port: 70_000, host: '', next: 'x' as never, maxClients: -1 }).catch(
      (error: unknown) => error,
    );
    expect(isPolicyConfigError(caught)).toBe(true);
    expect((caught as Error).message).toMatch(
      /Invalid options for serveDashboard\(\): maxClients .*; port .*; host .*; next must be a function/,
    );
  });
});
