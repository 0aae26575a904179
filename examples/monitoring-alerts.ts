/**
 * A monitor that pages when a circuit opens and sends the all-clear when it closes again, for
 * every breaker in the process, from `stateChanges$`; and counts the calls each open circuit
 * turned away, from `events$`.
 *
 * Two dependencies: an inventory service behind a decorated method, and a shipping API behind a
 * functional breaker. Both go down; inventory recovers on its own, shipping is reset by an operator.
 *
 * Run: TS_NODE_PROJECT=examples/tsconfig.json node -r ts-node/register/transpile-only examples/monitoring-alerts.ts
 */
import { config, filter, type Subscription } from 'rxjs';
import {
  CircuitBreaker,
  CircuitState,
  ManualClock,
  circuitBreaker,
  events$,
  listCircuitBreakers,
  setClock,
  stateChanges$,
  type CircuitStateChange,
  type RejectedEvent,
} from '../lib/index.js';

// Simulated time: the 5-second reset timeout passes instantly. Production code keeps the default clock.
const clock = new ManualClock({ now: Date.UTC(2030, 0, 1, 12, 0, 0) });
setClock(clock);

/** Where alerts go: a pager, a chat channel… here, the console. */
class BreakerMonitor {
  private readonly subscriptions: Subscription[] = [];
  readonly rejected = new Map<string, number>();

  start(): void {
    this.subscriptions.push(
      stateChanges$.subscribe((change) => this.onStateChange(change)),
      events$
        .pipe(filter((event): event is RejectedEvent => event.type === 'rejected'))
        .subscribe((event) => this.rejected.set(event.name, (this.rejected.get(event.name) ?? 0) + 1)),
    );
  }

  stop(): void {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
  }

  private onStateChange({ name, from, to, reason, at }: CircuitStateChange): void {
    const time = new Date(at).toISOString().slice(11, 19);
    if (to === CircuitState.Open) this.alert(`open_circuit ${name} at ${time} (${reason}, was ${from})`);
    else if (to === CircuitState.Closed) this.alert(`reset_circuit ${name} at ${time} (${reason})`);
    else console.log(`  [info] ${name}: ${from} -> ${to} (${reason})`);
  }

  private alert(message: string): void {
    console.log(`Alert: ${message}`);
  }
}

/** A dependency that fails on every call while `down` is set. */
class FakeService {
  down = false;
  calls = 0;

  constructor(private readonly label: string) {}

  async request(what: string): Promise<string> {
    this.calls += 1;
    await Promise.resolve();
    if (this.down) throw new Error(`${this.label} unavailable`);
    return `${this.label}: ${what} ok`;
  }
}

const inventoryService = new FakeService('inventory');
const shippingService = new FakeService('shipping');

class InventoryClient {
  @CircuitBreaker({ name: 'inventory', failureThreshold: 2, resetTimeout: 5_000, successThreshold: 1 })
  async reserve(sku: string): Promise<string> {
    return inventoryService.request(`reserve ${sku}`);
  }
}

const shipping = circuitBreaker({ name: 'shipping', failureThreshold: 2, resetTimeout: 60_000 });

async function attempt(label: string, call: () => Promise<string>): Promise<void> {
  try {
    console.log(`${label}: ${await call()}`);
  } catch (error) {
    console.log(`${label}: failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function main(): Promise<void> {
  // RxJS reports a subscriber's error on a later tick; route it to the log instead of crashing.
  config.onUnhandledError = (error: unknown) => console.log(`  [monitor bug] a subscriber threw: ${String(error)}`);
  const monitor = new BreakerMonitor();
  monitor.start();
  // A buggy subscriber: it throws, yet calls, breakers and the monitor carry on.
  const buggy = stateChanges$.subscribe(() => {
    throw new Error('dashboard exporter crashed');
  });

  const inventory = new InventoryClient();

  console.log('=== inventory goes down ===');
  inventoryService.down = true;
  for (let i = 1; i <= 5; i += 1) await attempt(`reserve #${i}`, () => inventory.reserve(`SKU-${i}`));

  console.log('\n=== shipping goes down ===');
  shippingService.down = true;
  for (let i = 1; i <= 4; i += 1)
    await attempt(`ship #${i}`, () => shipping.execute(() => shippingService.request(`label ${i}`)));

  console.log('\n=== 5 s later: inventory is back and recovers by itself ===');
  clock.advance(5_000);
  inventoryService.down = false;
  await attempt('reserve #6', () => inventory.reserve('SKU-6'));

  console.log('\n=== shipping is fixed; an operator resets its breaker ===');
  shippingService.down = false;
  shipping.reset();
  await attempt('ship #5', () => shipping.execute(() => shippingService.request('label 5')));

  // Let RxJS report the buggy subscriber's errors before we print the summary.
  await new Promise((resolve) => setTimeout(resolve, 0));
  buggy.unsubscribe();
  monitor.stop();

  console.log('\nRejected calls seen on events$:');
  for (const [name, count] of monitor.rejected) console.log(`  ${name}: ${count}`);
  console.log('Breakers (snapshot()):');
  for (const breaker of listCircuitBreakers()) {
    const { state, metrics } = breaker.snapshot();
    console.log(
      `  ${breaker.name}: ${state}, ${metrics.rejectedCalls} rejected, ${metrics.stateTransitions} transitions`,
    );
  }
  console.log(`Service calls: inventory ${inventoryService.calls}, shipping ${shippingService.calls}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
