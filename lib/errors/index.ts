export { ResilienceError, isResilienceError, type ResilienceErrorCode } from './resilience-error.js';
export { CircuitOpenError, isCircuitOpenError } from './circuit-open-error.js';
export { BulkheadFullError, isBulkheadFullError } from './bulkhead-full-error.js';
export { TimeoutError, isTimeoutError } from './timeout-error.js';
export { PolicyConfigError, isPolicyConfigError, type ConfigIssue } from './policy-config-error.js';
