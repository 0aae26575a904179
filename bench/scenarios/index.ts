import { awaitCost } from './await-cost.js';
import { closedOverhead } from './closed-overhead.js';
import { concurrency } from './concurrency.js';
import { exitOnIdle } from './exit-on-idle.js';
import { exporterCost } from './exporter-cost.js';
import { failingCall } from './failing-call.js';
import { failureLoad } from './failure-load.js';
import { idleHeap } from './idle-heap.js';
import { openRejection } from './open-rejection.js';
import { policyStack } from './policy-stack.js';
import type { Scenario } from './scenario.js';
import { sharedState } from './shared-state.js';
import { tripListener } from './trip-listener.js';

/** Every scenario, in report order. */
export const SCENARIOS: readonly Scenario[] = [
  closedOverhead,
  policyStack,
  openRejection,
  failingCall,
  idleHeap,
  concurrency,
  tripListener,
  failureLoad,
  exitOnIdle,
  awaitCost,
  exporterCost,
  sharedState,
];
