/**
 * breakwater — resilience policies for TypeScript services.
 *
 * Decorators (`@CircuitBreaker`, `@Retry`, `@Fallback`, `@Timeout`, `@Bulkhead`) record policies;
 * one engine wraps each method once and applies them in {@link DEFAULT_POLICY_ORDER}. The same
 * policies exist as functions for code without decorators. Events are published on RxJS Observables.
 *
 * @packageDocumentation
 */
import 'reflect-metadata';

// Decorators
export { CircuitBreaker } from './decorators/circuit-breaker.js';
export { Retry, type RetryDecorator } from './decorators/retry.js';
export { Fallback, type FallbackDecorator, type FallbackFor, type FallbackHandlerArg } from './decorators/fallback.js';
export { Timeout } from './decorators/timeout.js';
export { Bulkhead } from './decorators/bulkhead.js';
export { PolicyOrder } from './decorators/policy-order.js';
export { setPolicyDefaults, type PolicyDefaults } from './decorators/policy-defaults.js';
export { getPolicyMetadata } from './decorators/get-policy-metadata.js';
export type { AsyncMethod, ResilienceDecorator } from './decorators/make-decorator.js';
export type { MethodAwareDecorator } from './decorators/method-site.js';

// Functional API
export { circuitBreaker } from './functional/circuit-breaker.js';
export { retry } from './functional/retry.js';
export { fallback } from './functional/fallback.js';
export { timeout } from './functional/timeout.js';
export { bulkhead } from './functional/bulkhead.js';
export { compose, type ComposeOptions } from './functional/compose.js';
export type { Policy, AnyPolicy, ComposedPolicy, Executable } from './runtime/policy.js';
export type { AttemptContext } from './runtime/attempt.js';

// Composition and cancellation
export { DEFAULT_POLICY_ORDER, type PolicyKind } from './shared/policy-kind.js';
export { POLICY_METADATA_KEY, type PolicyMetadata } from './decorators/metadata.js';
export { currentSignal } from './runtime/async-context.js';

// Policy options and run-time handles
export type { CircuitBreakerOptions, SlidingWindowOptions, ResetTimeout } from './policies/circuit-breaker/options.js';
export type {
  CircuitBreakerHandle,
  CircuitBreakerSnapshot,
  CircuitBreakerMetrics,
  CircuitBreakerSettings,
  CircuitBreakerWindow,
} from './policies/circuit-breaker/handle.js';
export type {
  CircuitBreakerSavedState,
  CircuitBreakerSavedWindow,
  CircuitBreakerSavedBucket,
} from './policies/circuit-breaker/persistence/saved-state.js';
export { getCircuitBreaker, listCircuitBreakers } from './policies/circuit-breaker/registry.js';
export type { RetryOptions, BackoffStrategy, JitterStrategy } from './policies/retry/options.js';
export type { FallbackOptions, FallbackHandler } from './policies/fallback/options.js';
export { staleResult, type StaleResultOptions, type StaleResultHandler } from './policies/fallback/stale-result.js';
export type { TimeoutOptions } from './policies/timeout/options.js';
export type { BulkheadOptions } from './policies/bulkhead/options.js';
export type { BulkheadHandle, BulkheadSnapshot } from './policies/bulkhead/handle.js';
export { getBulkhead, listBulkheads } from './policies/bulkhead/registry.js';
export type { ErrorFilter } from './config/error-filter.js';

// Shared state (stores such as breakwater/redis implement these)
export type {
  BreakerStore,
  BreakerStoreSession,
  SharedRules,
  SharedCircuitState,
  StoreFailureMode,
  OutcomeCodes,
} from './policies/circuit-breaker/store/store.js';
export { StoreTimeoutError } from './policies/circuit-breaker/store/deadline.js';

// Errors
export {
  ResilienceError,
  isResilienceError,
  CircuitOpenError,
  isCircuitOpenError,
  BulkheadFullError,
  isBulkheadFullError,
  TimeoutError,
  isTimeoutError,
  PolicyConfigError,
  isPolicyConfigError,
  type ResilienceErrorCode,
  type ConfigIssue,
} from './errors/index.js';

// Events
export { stateChanges$, events$ } from './events/streams.js';
export {
  CircuitState,
  type StateChangeReason,
  type CircuitStateChange,
  type ResilienceEvent,
  type ResilienceEventType,
  type ResilienceEventBase,
  type SuccessEvent,
  type FailureEvent,
  type IgnoredEvent,
  type RejectedEvent,
  type StateChangeEvent,
  type RetryEvent,
  type RetryExhaustedEvent,
  type RetryExhaustedEventBase,
  type RetryExhaustedErrorEvent,
  type RetryExhaustedResultEvent,
  type RetryOutcomeEvent,
  type FallbackEvent,
  type TimeoutEvent,
  type TimeoutOutcomeEvent,
  type BulkheadRejectedEvent,
  type StoreUnavailableEvent,
  type StoreRestoredEvent,
} from './events/types.js';

// Time
export { systemClock, setClock, getClock, type Clock, type TimerHandle } from './clock/clock.js';
export { ManualClock } from './clock/manual-clock.js';
