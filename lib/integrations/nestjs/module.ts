import {
  ConfigurableModuleBuilder,
  Inject,
  type ConfigurableModuleAsyncOptions,
  type DynamicModule,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getClock, setClock, setPolicyDefaults, type Clock } from '../../index.js';
import { dashboardHandler, type DashboardHandler } from '../dashboard/index.js';
import { BreakwaterHealthIndicator } from './health.js';
import { resolveModuleOptions, type BreakwaterModuleOptions, type ResolvedModuleOptions } from './options.js';
import { BreakwaterRegistry } from './registry.js';

const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN } = new ConfigurableModuleBuilder<BreakwaterModuleOptions>({
  moduleName: 'Breakwater',
})
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: false }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

const RESOLVED = Symbol('breakwater module options');

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/** Answers `GET` (and `HEAD`) of the mount path itself with the registry's text; passes the rest on. */
function metricsMiddleware(registry: ResolvedModuleOptions['metrics'] & object): Middleware {
  return (req, res, next) => {
    const rest = (req.url ?? '/').split('?')[0];
    if ((req.method !== 'GET' && req.method !== 'HEAD') || (rest !== '/' && rest !== '')) {
      next();
      return;
    }
    registry.registry.metrics().then(
      (text) => {
        res.writeHead(200, { 'Content-Type': registry.registry.contentType });
        res.end(req.method === 'HEAD' ? undefined : text);
      },
      (error: unknown) => next(error),
    );
  };
}

/**
 * breakwater in a Nest application. Register it once, in the root module:
 * `BreakwaterModule.forRoot(options)` or `BreakwaterModule.forRootAsync({ imports, inject, useFactory })`
 * (with `isGlobal: true` to make its providers visible to every module). It provides
 * {@link BreakwaterRegistry} and {@link BreakwaterHealthIndicator}, sets the clock policies read,
 * and serves the dashboard and the Prometheus endpoint where asked.
 *
 * breakwater's decorators need no module: `@CircuitBreaker()`, `@Retry()`, `@Fallback()`, … work on
 * any provider's or controller's methods as they are.
 *
 * @example
 * ```ts
 * import { Module } from '@nestjs/common';
 * import { BreakwaterModule } from 'breakwater/nestjs';
 *
 * @Module({
 *   imports: [BreakwaterModule.forRoot({ isGlobal: true, dashboard: { path: '/ops/breakwater' } })],
 * })
 * export class AppModule {}
 * ```
 * @category NestJS
 */
export class BreakwaterModule extends ConfigurableModuleClass implements OnModuleInit, OnApplicationShutdown {
  /**
   * The module with these options. They are checked here, so a bad option fails where the root
   * module is defined (`forRootAsync`'s are checked when its factory has returned them).
   *
   * @param options - {@link BreakwaterModuleOptions}, and `isGlobal`.
   * @throws PolicyConfigError naming each bad option.
   */
  static override forRoot(options: BreakwaterModuleOptions & { readonly isGlobal?: boolean }): DynamicModule {
    resolveModuleOptions(options);
    return super.forRoot(options);
  }

  /**
   * The module with options a factory returns, after the providers it injects are ready: e.g. a
   * `ConfigService` for the dashboard's path. The options are checked when the factory has returned.
   *
   * @param options - `imports`, `inject` and `useFactory` (or `useClass`/`useExisting`), and `isGlobal`.
   * @throws PolicyConfigError (when the application is created) naming each bad option.
   */
  static override forRootAsync(
    options: ConfigurableModuleAsyncOptions<BreakwaterModuleOptions> & { readonly isGlobal?: boolean },
  ): DynamicModule {
    return super.forRootAsync(options);
  }

  private previousClock: Clock | undefined;
  private dashboard: DashboardHandler | undefined;

  /** @internal */
  constructor(
    private readonly options: ResolvedModuleOptions,
    private readonly adapterHost: HttpAdapterHost,
  ) {
    super();
    // Here, not in onModuleInit: modules are created before any lifecycle hook, and a hook of another
    // module may already call a decorated method, whose policies take the defaults and the clock in force.
    if (options.defaults !== undefined) setPolicyDefaults(options.defaults);
    if (options.clock !== undefined) {
      this.previousClock = getClock();
      setClock(options.clock);
    }
  }

  /** @internal */
  onModuleInit(): void {
    const { dashboard, metrics } = this.options;
    // A testing module without an HTTP application has no adapter: there is nothing to serve on.
    const adapter = this.adapterHost.httpAdapter as
      { use?: (path: string, handler: Middleware) => unknown } | undefined;
    if (adapter?.use === undefined) return;
    if (dashboard !== undefined) {
      const { path, ...handlerOptions } = dashboard;
      this.dashboard = dashboardHandler(handlerOptions);
      adapter.use(path, this.dashboard);
    }
    if (metrics !== undefined) adapter.use(metrics.path, metricsMiddleware(metrics));
  }

  /** @internal */
  onApplicationShutdown(): void {
    this.dashboard?.close();
    this.dashboard = undefined;
    if (this.previousClock !== undefined) setClock(this.previousClock);
    this.previousClock = undefined;
    if (this.options.defaults !== undefined) setPolicyDefaults(undefined);
  }
}

// Applied as calls, not written as decorators, so that this file compiles in every decorator mode.
Inject(RESOLVED)(BreakwaterModule, undefined, 0);
Inject(HttpAdapterHost)(BreakwaterModule, undefined, 1);
Module({
  imports: [TerminusModule],
  providers: [
    { provide: RESOLVED, useFactory: resolveModuleOptions, inject: [MODULE_OPTIONS_TOKEN] },
    BreakwaterRegistry,
    BreakwaterHealthIndicator,
  ],
  exports: [BreakwaterRegistry, BreakwaterHealthIndicator],
})(BreakwaterModule);
