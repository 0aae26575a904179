import { REDIS_INSTALL_HINT, redisServerPath } from '../../examples/fleet/redis-server';
import { decoratorMode } from './mode';

export { startRedis, type LocalRedis } from '../../examples/fleet/redis-server';

/**
 * `describe` for specs that need a real redis-server: skipped with a message saying how to install
 * one on a developer's machine without it, but failing on CI (`CI=true`) rather than passing quietly.
 * `once` runs it in the `standard` jest project only (child processes, long runs).
 */
export function describeRedis(name: string, body: () => void, once = false): void {
  if (once && decoratorMode !== 'standard') {
    describe.skip(name, body);
    return;
  }
  if (redisServerPath !== undefined || process.env['CI'] === 'true') {
    describe(name, () => {
      beforeAll(() => {
        if (redisServerPath === undefined)
          throw new Error(`CI=true but redis-server is not installed: ${REDIS_INSTALL_HINT}`);
      });
      body();
    });
    return;
  }
  if (decoratorMode === 'standard')
    console.warn(`Skipping "${name}": no redis-server found. Install it: ${REDIS_INSTALL_HINT}`);
  describe.skip(`${name} (skipped: no redis-server; ${REDIS_INSTALL_HINT})`, body);
}
