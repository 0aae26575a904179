/**
 * `breakwater/nestjs`: breakwater in a NestJS application — {@link BreakwaterModule} (clock,
 * dashboard and metrics endpoints), the {@link BreakwaterRegistry} provider over every breaker, and a
 * `@nestjs/terminus` {@link BreakwaterHealthIndicator}. Importing it loads `@nestjs/common`,
 * `@nestjs/core` and `@nestjs/terminus` (optional peer dependencies); importing `breakwater` alone
 * never does.
 *
 * @packageDocumentation
 * @module breakwater/nestjs
 */
export { BreakwaterModule } from './module.js';
export { BreakwaterRegistry } from './registry.js';
export { BreakwaterHealthIndicator, type BreakwaterHealthCheckOptions, type BreakwaterHealthData } from './health.js';
export type {
  BreakwaterModuleOptions,
  BreakwaterDashboardMount,
  BreakwaterMetricsMount,
  MetricsRegistryLike,
} from './options.js';
