import { Agent, request } from 'node:http';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { circuitBreaker } from '../../../lib/index';
import { dashboardHandler, serveDashboard, type DashboardServer } from '../../../lib/integrations/dashboard/index';
import { get, openStream } from './fixtures/sse-client';

/** A GET with a Host header of our choosing (fetch and http.get would send the real one). */
function getWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { Host: host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.once('error', reject);
    req.end();
  });
}

describe('serveDashboard', () => {
  let running: DashboardServer | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  it('listens on 127.0.0.1 and a free port by default, serving the page and the stream', async () => {
    circuitBreaker({ name: 'serve-default' });
    running = await serveDashboard();
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(running.url).not.toMatch(/:0\/$/);
    const page = await get(running.url);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>breakwater · breakwater dashboard</title>');
    const stream = await openStream(`${running.url}events`);
    const [snapshot] = await stream.waitFor((events) => events.length > 0);
    expect(JSON.parse(snapshot!.data).breakers).toContainEqual(expect.objectContaining({ name: 'serve-default' }));
    stream.close();
  });

  it('answers only loopback Host headers while bound to loopback (DNS rebinding)', async () => {
    running = await serveDashboard({ title: 'rebinding' });
    const port = new URL(running.url).port;
    expect(await getWithHost(running.url, `127.0.0.1:${port}`)).toBe(200);
    expect(await getWithHost(running.url, `localhost:${port}`)).toBe(200);
    expect(await getWithHost(running.url, `attacker.example:${port}`)).toBe(403);
    expect(await getWithHost(`${running.url}events`, 'attacker.example')).toBe(403);
  });

  it('hands other requests to `next`, so a /metrics endpoint can share the port, and answers 404 without it', async () => {
    running = await serveDashboard({
      next: (req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end(`metrics for ${req.url ?? ''}`);
      },
    });
    expect((await get(`${running.url}metrics`)).body).toBe('metrics for /metrics');
    await running.close();
    running = await serveDashboard();
    expect((await get(`${running.url}metrics`)).status).toBe(404);
  });

  it('close() ends open streams and keep-alive connections and stops listening; calling it twice is fine', async () => {
    running = await serveDashboard();
    const { url } = running;
    const stream = await openStream(`${url}events`);
    await stream.waitFor((events) => events.length > 0);
    // An idle keep-alive connection, which would hold server.close() for seconds.
    await new Promise<void>((resolve, reject) => {
      const req = request(url, { agent: new Agent({ keepAlive: true }) }, (res) => {
        res.resume();
        res.once('end', resolve);
      });
      req.once('error', reject);
      req.end();
    });
    const closing = running.close();
    await Promise.all([closing, stream.ended, running.close()]);
    running = undefined;
    await expect(get(url)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('rejects with the listen error when the port is taken, leaving nothing behind', async () => {
    running = await serveDashboard();
    const port = Number(new URL(running.url).port);
    await expect(serveDashboard({ port })).rejects.toThrow(/EADDRINUSE/);
  });
});

describe('dashboardHandler mounted in a framework', () => {
  it('works under app.use(prefix) in Nest (Express), which strips the prefix itself', async () => {
    class AppModule {}
    Module({})(AppModule);
    const app = await NestFactory.create(AppModule, { logger: false });
    const dashboard = dashboardHandler();
    app.use('/breakwater', dashboard);
    await app.listen(0, '127.0.0.1');
    try {
      const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
      circuitBreaker({ name: 'serve-nest' });
      expect((await get(`${base}/breakwater`)).status).toBe(200);
      const page = await get(`${base}/breakwater/`);
      expect(page.headers['content-security-policy']).toMatch(/^default-src 'none'/);
      const stream = await openStream(`${base}/breakwater/events`);
      const [snapshot] = await stream.waitFor((events) => events.length > 0);
      expect(JSON.parse(snapshot!.data).breakers).toContainEqual(expect.objectContaining({ name: 'serve-nest' }));
      stream.close();
      expect((await get(`${base}/breakwater/other`)).status).toBe(404);
      expect((await get(`${base}/breakwater/`, { method: 'POST' })).status).toBe(405);
    } finally {
      dashboard.close();
      await app.close();
    }
  });
});
