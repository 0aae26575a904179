import { Writable } from 'node:stream';
import { runFleetDemo } from '../../examples/fleet/demo';
import { describeRedis } from '../support/redis';

// `npm run demo -- --fleet <n>` from source: real worker processes, a real redis-server and a real
// HTTP service. What the service counted is exact for breakers of their own (each needs its own five
// failures and sends its own probe); shared, the fleet needs five failures in all (a call or two may
// still slip out while the opening travels) and sends one probe.

describeRedis(
  'the fleet demo (npm run demo -- --fleet 3)',
  () => {
    it('opens the shared breaker after the fleet’s five failures and sends one probe, against 15 and 3', async () => {
      let text = '';
      const out = new Writable({
        write(chunk: Buffer, _encoding, done) {
          text += chunk.toString();
          done();
        },
      });
      const runs = await runFleetDemo(3, out);
      expect(runs).toBeDefined();
      const [local, shared] = runs!;
      expect(local).toMatchObject({ mode: 'local', failuresToOpen: 15, probes: 3 });
      expect(shared!.mode).toBe('shared');
      expect(shared!.probes).toBe(1);
      expect(shared!.failuresToOpen).toBeGreaterThanOrEqual(5);
      expect(shared!.failuresToOpen).toBeLessThanOrEqual(7);
      expect(text).toContain('half-open probes sent to the recovering service');
      expect(text).toContain(`sent 1 probe instead of 3`);
    }, 120_000);
  },
  true,
);
