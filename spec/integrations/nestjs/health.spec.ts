import { Injectable } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { CircuitBreaker, isPolicyConfigError, ManualClock } from '../../../lib/index.js';
import { BreakwaterHealthIndicator, BreakwaterModule } from '../../../lib/integrations/nestjs/index.js';

// The terminus indicator, through terminus's own HealthCheckService as a health controller calls it.

const name = 'nest-health-payments';
const clock = new ManualClock();

class PaymentsClient {
  fail = true;
  @CircuitBreaker({ name, failureThreshold: 1, resetTimeout: 1_000, successThreshold: 1 })
  async charge(): Promise<string> {
    if (this.fail) throw new Error('payments down');
    return 'ok';
  }
}
Injectable()(PaymentsClient);

describe('BreakwaterHealthIndicator', () => {
  let moduleRef: TestingModule;
  let health: HealthCheckService;
  let indicator: BreakwaterHealthIndicator;
  let client: PaymentsClient;

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [TerminusModule, BreakwaterModule.forRoot({ clock })],
      providers: [PaymentsClient],
    }).compile();
    moduleRef.useLogger(false);
    await moduleRef.init();
    health = moduleRef.get(HealthCheckService);
    indicator = moduleRef.get(BreakwaterHealthIndicator);
    client = moduleRef.get(PaymentsClient);
  });

  afterAll(() => moduleRef.close());

  const check = (critical?: string[]) =>
    health.check([() => indicator.check('breakers', critical === undefined ? {} : { critical })]);

  it('goes down while a critical breaker is open, and up again once it has closed', async () => {
    await expect(check([name])).resolves.toMatchObject({
      status: 'ok',
      info: { breakers: { status: 'up', failing: [], breakers: { [name]: 'closed' } } },
    });
    await expect(client.charge()).rejects.toThrow('payments down');
    // terminus answers a down indicator with a ServiceUnavailableException carrying the report.
    const down = (await check([name]).catch((error: { getResponse(): unknown }) => error.getResponse())) as object;
    expect(down).toMatchObject({
      status: 'error',
      error: { breakers: { status: 'down', failing: [name], breakers: { [name]: 'open' } } },
    });
    // Not critical: reported, and up.
    await expect(check()).resolves.toMatchObject({ info: { breakers: { status: 'up', failing: [] } } });
    clock.advance(1_000);
    client.fail = false;
    await expect(client.charge()).resolves.toBe('ok');
    await expect(check([name])).resolves.toMatchObject({
      info: { breakers: { status: 'up', breakers: { [name]: 'closed' } } },
    });
  });

  it('is down for a critical name no breaker has, so a typo cannot pass for health', async () => {
    const report = (await check(['paymnets']).catch((error: { getResponse(): unknown }) =>
      error.getResponse(),
    )) as object;
    expect(report).toMatchObject({ error: { breakers: { status: 'down', failing: ['paymnets'] } } });
  });

  it('rejects a critical list that is not one of names', () => {
    let error: unknown;
    try {
      indicator.check('breakers', { critical: 'payments' as never });
    } catch (caught) {
      error = caught;
    }
    expect(isPolicyConfigError(error)).toBe(true);
    expect(String(error)).toMatch(/critical must be an array of breaker names/);
  });
});
