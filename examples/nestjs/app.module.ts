import { Module, type DynamicModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { BreakwaterModule } from 'breakwater/nestjs';
import { registerPrometheusMetrics } from 'breakwater/prometheus';
import { Registry } from 'prom-client';
import { HealthController } from './health.controller.js';
import { OrdersController } from './orders.controller.js';
import { PAYMENTS_URL, PaymentsClient } from './payments.client.js';

/** Breakwater's metrics on a registry of the application's own, served at /metrics by the module. */
export const metricsRegistry = new Registry();
registerPrometheusMetrics({ registry: metricsRegistry });

@Module({})
export class AppModule {
  /** The application, calling the payments service at `paymentsUrl`. */
  static forPayments(paymentsUrl: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        TerminusModule.forRoot({ logger: false }), // a failing check is expected here, and shown by the app
        BreakwaterModule.forRoot({
          isGlobal: true,
          dashboard: { path: '/ops/breakwater', title: 'orders' },
          metrics: { registry: metricsRegistry },
        }),
      ],
      controllers: [OrdersController, HealthController],
      providers: [PaymentsClient, { provide: PAYMENTS_URL, useValue: paymentsUrl }],
    };
  }
}
