import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { bulkhead, circuitBreaker, CircuitState, type Policy } from '../../../lib/index';
import { serveDashboard, type DashboardServer } from '../../../lib/integrations/dashboard/index';
import { decoratorMode, describeOnce } from '../../support/mode';

// The dashboard in a real browser: Debian's chromium driven by playwright-core (never a downloaded
// browser), against a loopback server and real breakers. A whole browser per run is enough, so only the
// `standard` jest project runs it.

const CHROMIUM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-headless-shell', '/usr/lib/chromium/chromium'];
const executablePath = CHROMIUM_PATHS.find((path) => existsSync(path));
const INSTALL_HINT = 'apt-get install -y chromium (or chromium-headless-shell)';
// Without chromium the spec is skipped on a developer's machine, but on CI it must fail, not pass quietly.
const describeBrowser =
  executablePath !== undefined || process.env['CI'] === 'true'
    ? describeOnce
    : (name: string, body: () => void): void => {
        if (decoratorMode === 'standard')
          console.warn(`Skipping "${name}": no chromium found. Install it: ${INSTALL_HINT}`);
        describe.skip(`${name} (skipped: no chromium; ${INSTALL_HINT})`, body);
      };

const reports = resolve(__dirname, '../../../reports');
const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));
const ok = async (): Promise<string> => 'ok';
const down = (): Promise<never> => Promise.reject(new Error('dependency down'));
const HOSTILE = '<img src=x onerror="document.title=\'pwned\'">&amp;';

/** A card by its breaker's or bulkhead's name (data-name is set through dataset, so any name works). */
const card = (page: Page, name: string, state?: string): ReturnType<Page['locator']> =>
  page.locator(`.card[data-name=${JSON.stringify(name)}]${state ? `[data-state="${state}"]` : ''}`);

describeBrowser('the dashboard in a real browser', () => {
  let browser: Browser;
  let page: Page;
  let server: DashboardServer;
  const problems: string[] = [];
  let stopLoad = false;
  let load: Promise<void> = Promise.resolve();

  beforeAll(async () => {
    if (executablePath === undefined) throw new Error(`CI=true but no chromium binary was found: ${INSTALL_HINT}`);
    mkdirSync(reports, { recursive: true });
    server = await serveDashboard({ title: 'checkout-api' });
    browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning')
        problems.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  }, 60_000);

  afterAll(async () => {
    stopLoad = true;
    await load;
    await page?.close();
    await browser?.close();
    await server?.close();
  });

  /** Background traffic, so the cards show rates: a few dependencies, one of them slow, one pool. */
  function startLoad(): void {
    const inventory = circuitBreaker({ name: 'inventory', failureThreshold: 5 });
    // About a quarter of its calls are slow; a busy machine must not make the fast ones slow enough to trip it.
    const search = circuitBreaker({
      name: 'search',
      failureRateThreshold: 0.5,
      slowCallRateThreshold: 0.8,
      slowCallDuration: 150,
      minimumCalls: 10,
    });
    const pool = bulkhead({ name: 'db-pool', maxConcurrent: 4, maxQueue: 4 });
    let tick = 0;
    load = (async () => {
      while (!stopLoad) {
        tick += 1;
        const n = tick;
        void inventory.execute(() => (n % 9 === 0 ? down() : ok())).catch(() => undefined);
        void search.execute(() => sleep(n % 4 === 0 ? 200 : 5)).catch(() => undefined);
        void pool.execute(() => sleep(70)).catch(() => undefined);
        await sleep(25);
      }
      await sleep(100);
    })();
  }

  async function tripUntilOpen(breaker: Policy & { state: string }): Promise<void> {
    for (let i = 0; i < 50 && breaker.state !== CircuitState.Open; i++)
      await breaker.execute(down).catch(() => undefined);
    expect(breaker.state).toBe(CircuitState.Open);
  }

  it('shows an outage: the card turns open within 1 s of the trip, closed after recovery, both on the timeline', async () => {
    const payments = circuitBreaker({
      name: 'payments',
      failureRateThreshold: 0.5,
      minimumCalls: 4,
      slidingWindow: { type: 'count', size: 20 },
      resetTimeout: 1_500,
      successThreshold: 2,
    });
    const recommendations = circuitBreaker({ name: 'recommendations', failureThreshold: 3 });
    circuitBreaker({ name: 'shipping-quotes', failureThreshold: 3, failureWindow: 10_000 });
    circuitBreaker({ name: HOSTILE });
    startLoad();
    for (let i = 0; i < 8; i++) await payments.execute(ok);

    await page.goto(server.url);
    await page.locator('#conn[data-state="live"]').waitFor({ timeout: 5_000 });
    await card(page, 'payments', 'closed').waitFor({ timeout: 5_000 });
    await sleep(600); // let the cards show some traffic

    // The scripted outage: payments starts failing until its breaker trips.
    await tripUntilOpen(payments);
    // The end-to-end bound the dashboard promises: visible within 1 s of the trip (batch + transport + render).
    await card(page, 'payments', 'open').waitFor({ timeout: 1_000 });
    await expect(card(page, 'payments').locator('.when').textContent()).resolves.toMatch(
      /^open for \d+ s · probe in \d+ s$/,
    );
    await expect(card(page, 'payments').locator('.badge').textContent()).resolves.toBe('open');
    // Callers keep trying while it is open: rejections show up per second.
    for (let i = 0; i < 10; i++) await payments.execute(ok).catch(() => undefined);
    recommendations.forceOpen();
    await card(page, 'recommendations', 'forced_open').waitFor({ timeout: 1_000 });
    await page.locator('.card[data-name="payments"] .rate.rejected:not(.zero)').waitFor({ timeout: 2_000 });
    // docs/images/dashboard.png is a copy of this one (the page's used part: 1280 × 680).
    await page.screenshot({ path: join(reports, 'dashboard.png'), clip: { x: 0, y: 0, width: 1280, height: 680 } });
    // Open first: the open breaker leads the grid.
    await expect(page.locator('#breakers .card').first().getAttribute('data-name')).resolves.toBe('payments');

    // Recovery: once resetTimeout has passed, two successful probes close the circuit.
    await sleep(1_600);
    await payments.execute(ok);
    await payments.execute(ok);
    expect(payments.state).toBe(CircuitState.Closed);
    await card(page, 'payments', 'closed').waitFor({ timeout: 1_000 });

    const changes = page.locator('#timeline li[data-name="payments"]');
    await expect(changes.evaluateAll((items) => items.map((li) => li.getAttribute('data-to')))).resolves.toEqual([
      'closed',
      'half_open',
      'open',
    ]);
    await expect(changes.first().locator('.reason').textContent()).resolves.toBe('probe succeeded');
    await expect(changes.last().locator('.reason').textContent()).resolves.toBe('failure rate');
  }, 60_000);

  it('shows names as text, never as markup', async () => {
    const hostile = card(page, HOSTILE);
    await expect(hostile.locator('.name').textContent()).resolves.toBe(HOSTILE);
    await expect(page.locator('img').count()).resolves.toBe(0);
    await expect(page.title()).resolves.toBe('checkout-api · breakwater dashboard');
  });

  it('stays readable with 200 breakers: compact, open first, and the filter narrows them down', async () => {
    const many = Array.from({ length: 200 }, (_, i) =>
      circuitBreaker({
        name: `catalog-shard-${String(i).padStart(3, '0')}`,
        failureThreshold: 2,
        resetTimeout: 60_000,
      }),
    );
    await Promise.all(many.map((b, i) => b.execute(() => (i % 3 === 0 ? down() : ok())).catch(() => undefined)));
    await tripUntilOpen(many[123]!);
    await page.reload();
    await page.locator('#conn[data-state="live"]').waitFor({ timeout: 5_000 });
    // The shards, and payments, recommendations, shipping-quotes, inventory, search and the hostile one.
    const total = 200 + 6;
    await expect(page.locator('#breakers .card').count()).resolves.toBe(total);
    await expect(page.locator('body.compact').count()).resolves.toBe(1);
    await expect(page.locator('#breakers .card').first().getAttribute('data-name')).resolves.toBe('catalog-shard-123');
    await page.screenshot({ path: join(reports, 'dashboard-200.png') });

    await page.locator('#filter').fill('shard-01');
    await expect(page.locator('#breakers .card:visible').count()).resolves.toBe(10);
    await expect(page.locator('#shown').textContent()).resolves.toBe(
      `showing 10 of ${total} breakers, 0 of 1 bulkheads`,
    );

    await page.locator('#filter').fill('');
    await page.locator('#state-filter').selectOption('not_closed');
    const notClosed = await page
      .locator('#breakers .card:visible')
      .evaluateAll((cards) =>
        cards.map((c) => `${c.getAttribute('data-name') ?? ''}:${c.getAttribute('data-state') ?? ''}`),
      );
    // Open first, then forced open (background breakers are not meant to trip, but a loaded machine may say otherwise).
    expect(notClosed[0]).toBe('catalog-shard-123:open');
    expect(notClosed).toContain('recommendations:forced_open');
    expect(notClosed.every((entry) => !entry.endsWith(':closed'))).toBe(true);
    expect(notClosed.indexOf('recommendations:forced_open')).toBe(
      notClosed.filter((entry) => entry.endsWith(':open')).length,
    );
    await page.locator('#state-filter').selectOption('all');
    await expect(page.locator('#breakers .card:visible').count()).resolves.toBe(total);
  }, 60_000);

  it('logged no error or warning in the console', () => {
    expect(problems).toEqual([]);
  });
});
