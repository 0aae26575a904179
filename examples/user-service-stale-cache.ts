/**
 * A user-service client that keeps answering with the last known profile while the service is
 * down: stale data beats an error page for a read like this one.
 *
 * Run: node -r ts-node/register/transpile-only examples/user-service-stale-cache.ts
 */
import assert from 'node:assert/strict';
import {
  CircuitBreaker,
  Fallback,
  Retry,
  Timeout,
  staleResult,
  stateChanges$,
  isCircuitOpenError,
} from '../lib/index.js';

interface Profile {
  readonly id: string;
  readonly name: string;
  readonly fetchedAt: number;
}

/** An in-process stand-in for the remote user service. */
class FakeUserApi {
  healthy = true;
  requests = 0;
  private readonly names = new Map([
    ['ada', 'Ada Lovelace'],
    ['alan', 'Alan Turing'],
    ['grace', 'Grace Hopper'],
  ]);

  async fetchProfile(id: string): Promise<Profile> {
    this.requests++;
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (!this.healthy) throw new Error('503 Service Unavailable');
    const name = this.names.get(id);
    if (name === undefined) throw new Error(`404 no user ${id}`);
    return { id, name, fetchedAt: this.requests };
  }
}

class UserService {
  constructor(private readonly api: FakeUserApi) {}

  // The user id is the only argument, so it is part of the cache key: users never see each
  // other's profile. Results older than 10 minutes are not served.
  @Fallback(staleResult({ ttl: 10 * 60_000, maxEntries: 10_000 }))
  @CircuitBreaker({ name: 'user-service', failureThreshold: 2, resetTimeout: 200 })
  @Retry({ maxAttempts: 2, delay: 10 })
  @Timeout(500)
  async profile(id: string): Promise<Profile> {
    return this.api.fetchProfile(id);
  }
}

async function main(): Promise<void> {
  const transitions: string[] = [];
  const subscription = stateChanges$.subscribe((c) => transitions.push(`${c.name}: ${c.from} → ${c.to} (${c.reason})`));
  const api = new FakeUserApi();
  const users = new UserService(api);

  const fresh = await users.profile('ada');
  await users.profile('alan');
  console.log('healthy:        ', fresh.name, '(fetched as request', fresh.fetchedAt + ')');

  api.healthy = false;
  const stale = await users.profile('ada');
  assert.deepEqual(stale, fresh);
  console.log('service down:   ', stale.name, '(stale copy of request', stale.fetchedAt + ')');

  // Never fetched successfully, so there is nothing to serve: the original error comes through.
  await assert.rejects(users.profile('grace'), /503|open/);
  console.log('unknown user:    rejected, no stale copy to serve');

  // The circuit is open now: calls are answered from the cache without touching the service.
  const before = api.requests;
  const fromCache = await users.profile('alan');
  assert.equal(api.requests, before);
  console.log('circuit open:   ', fromCache.name, '(served without a request)');
  await assert.rejects(users.profile('grace'), (e: unknown) => isCircuitOpenError(e));

  api.healthy = true;
  await new Promise((resolve) => setTimeout(resolve, 250)); // past resetTimeout: a probe is admitted
  await users.profile('ada');
  const recovered = await users.profile('ada');
  assert.ok(recovered.fetchedAt > fresh.fetchedAt);
  console.log('recovered:      ', recovered.name, '(fresh, request', recovered.fetchedAt + ')');

  subscription.unsubscribe();
  console.log('\n' + transitions.join('\n'));
  assert.deepEqual(
    transitions.map((t) => t.split(' (')[0]),
    ['user-service: closed → open', 'user-service: open → half_open', 'user-service: half_open → closed'],
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
