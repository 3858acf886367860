import { DynamicModule, Global, Module } from '@nestjs/common';
import { createMetricsRegistry } from './create-registry';
import { MetricsController } from './metrics.controller';
import { METRICS_REGISTRY } from './tokens';

export interface MetricsModuleOptions {
  service: string;
}

/** `GET /metrics` in Prometheus text; services add their counters to the registry under `METRICS_REGISTRY`. */
@Global()
@Module({})
export class MetricsModule {
  static forRoot(options: MetricsModuleOptions): DynamicModule {
    return {
      module: MetricsModule,
      controllers: [MetricsController],
      providers: [{ provide: METRICS_REGISTRY, useFactory: () => createMetricsRegistry(options.service) }],
      exports: [METRICS_REGISTRY],
    };
  }
}
