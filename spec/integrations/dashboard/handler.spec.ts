import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { circuitBreaker } from '../../../lib/index';
import { dashboardHandler, type DashboardHandler } from '../../../lib/integrations/dashboard/index';
import { PAGE_CSP } from '../../../lib/integrations/dashboard/page';
import { get, openStream, type StreamClient } from './fixtures/sse-client';

/** Polls until `condition` holds; the spec's own timeout bounds it. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('dashboardHandler on a real node:http server (loopback)', () => {
  let server: Server;
  let handler: DashboardHandler;
  let base: string;
  let passed: string[];
  const streams: StreamClient[] = [];
  const sockets: Socket[] = [];

  async function start(options: Parameters<typeof dashboardHandler>[0] = {}, withNext = true): Promise<void> {
    handler = dashboardHandler(options);
    passed = [];
    server = createServer((req, res) => {
      if (!withNext) return handler(req, res);
      handler(req, res, () => {
        passed.push(req.url ?? '');
        res.writeHead(200, { 'Content-Type': 'text/plain' }).end('next handler');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  afterEach(async () => {
    streams.splice(0).forEach((s) => s.close());
    sockets.splice(0).forEach((s) => s.destroy());
    handler.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const stream = async (url: string, headers?: Record<string, string>): Promise<StreamClient> => {
    const s = await openStream(url, headers);
    streams.push(s);
    return s;
  };

  it('serves the page with a strict Content-Security-Policy and no-store, HEAD without a body', async () => {
    await start({ title: '<b>orders</b>' });
    const page = await get(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toBe(PAGE_CSP);
    expect(page.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    });
    expect(page.body).toContain('<h1>&#60;b&#62;orders&#60;/b&#62;</h1>');
    expect(Number(page.headers['content-length'])).toBe(Buffer.byteLength(page.body));
    const head = await get(`${base}/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  it('is read-only: other methods on its URLs get 405, other URLs go to next()', async () => {
    await start();
    for (const [method, path] of [
      ['POST', '/'],
      ['PUT', '/events'],
      ['DELETE', '/events'],
    ] as const) {
      const res = await get(`${base}${path}`, { method });
      expect([method, res.status, res.headers['allow']]).toEqual([method, 405, 'GET, HEAD']);
    }
    expect((await get(`${base}/metrics`)).body).toBe('next handler');
    expect((await get(`${base}/events/extra`, { method: 'POST' })).body).toBe('next handler');
    expect(passed).toEqual(['/metrics', '/events/extra']);
  });

  it('answers 404 itself for other URLs when there is no next handler', async () => {
    await start({}, false);
    expect((await get(`${base}/nope`)).status).toBe(404);
  });

  it('works under a prefix it strips itself: the page with and without the slash, the stream below it', async () => {
    await start({ path: '/ops/breakwater' });
    expect((await get(`${base}/ops/breakwater`)).status).toBe(200);
    expect((await get(`${base}/ops/breakwater/`)).status).toBe(200);
    const events = await stream(`${base}/ops/breakwater/events`);
    expect(events.status).toBe(200);
    await get(`${base}/`);
    await get(`${base}/events`);
    expect(passed).toEqual(['/', '/events']);
  });

  it('streams a snapshot on connect, and a fresh one to a client that comes back with Last-Event-ID', async () => {
    await start({ batchInterval: 20 });
    const breaker = circuitBreaker({ name: 'handler-stream', failureThreshold: 1 });
    const first = await stream(`${base}/events`);
    expect(first.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(first.headers['cache-control']).toBe('no-store');
    const [snapshot] = await first.waitFor((events) => events.length >= 1);
    expect(snapshot).toMatchObject({ id: '1', event: 'snapshot', retry: 2_000 });
    expect(JSON.parse(snapshot!.data).breakers).toContainEqual(
      expect.objectContaining({ name: 'handler-stream', state: 'closed' }),
    );

    await breaker.execute(() => Promise.reject(new Error('down'))).catch(() => undefined);
    const events = await first.waitFor((all) => all.some((e) => e.event === 'batch'));
    const batch = JSON.parse(events.find((e) => e.event === 'batch')!.data);
    expect(batch.changes).toEqual([expect.objectContaining({ name: 'handler-stream', from: 'closed', to: 'open' })]);
    first.close();
    await until(() => handler.clients === 0);

    const again = await stream(`${base}/events`, { 'Last-Event-ID': '2' });
    const [fresh] = await again.waitFor((all) => all.length >= 1);
    expect(fresh!.event).toBe('snapshot');
    expect(Number(fresh!.id)).toBeGreaterThan(2);
    const view = JSON.parse(fresh!.data);
    expect(view.breakers).toContainEqual(expect.objectContaining({ name: 'handler-stream', state: 'open' }));
    expect(view.timeline).toContainEqual(expect.objectContaining({ name: 'handler-stream', to: 'open' }));
  });

  it('serves at most maxClients streams: one more gets 503, and a freed place is taken again', async () => {
    await start({ maxClients: 2 });
    const a = await stream(`${base}/events`);
    await stream(`${base}/events`);
    await until(() => handler.clients === 2);
    const refused = await get(`${base}/events`);
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.body).toMatch(/Too many dashboard clients/);
    a.close();
    await until(() => handler.clients === 1);
    const c = await stream(`${base}/events`);
    expect(c.status).toBe(200);
    await c.waitFor((events) => events[0]?.event === 'snapshot');
    expect(handler.clients).toBe(2);
  });

  it('drops a client that stops reading once maxBufferedBytes wait for it, and keeps serving the others', async () => {
    const limit = 64 * 1024;
    await start({ maxBufferedBytes: limit, batchInterval: 5 });
    const names = Array.from({ length: 100 }, (_, i) => `handler-slow-${i}-${'n'.repeat(400)}`);
    const breakers = names.map((name) => circuitBreaker({ name, failureThreshold: 1_000_000 }));

    // A client that sends its request and then never reads a byte: its socket's buffers fill, then the server's.
    const stalled = connect((server.address() as AddressInfo).port, '127.0.0.1');
    sockets.push(stalled);
    await new Promise<void>((resolve) => stalled.once('connect', resolve));
    stalled.write('GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n');
    stalled.pause();
    let stalledClosed = false;
    stalled.once('close', () => (stalledClosed = true));

    const reader = await stream(`${base}/events`);
    await until(() => handler.clients === 2);

    // Every breaker is called every few ms, so every batch carries ~100 views of ~1 KB each.
    let rounds = 0;
    while (handler.clients === 2 && rounds < 3_000) {
      rounds += 1;
      await Promise.all(breakers.map((b) => b.execute(async () => 'ok')));
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect(handler.clients).toBe(1);
    stalled.resume();
    await until(() => stalledClosed);

    const before = reader.text().length;
    await breakers[0]!.execute(async () => 'ok');
    await reader.waitFor(() => reader.text().length > before);
  }, 30_000);

  it('close() ends the open streams and answers later stream requests with 503', async () => {
    await start();
    const s = await stream(`${base}/events`);
    await s.waitFor((events) => events.length >= 1);
    handler.close();
    await s.ended;
    expect(handler.clients).toBe(0);
    expect((await get(`${base}/events`)).status).toBe(503);
    expect((await get(`${base}/`)).status).toBe(200);
  });
});
