import { DynamicModule } from '@nestjs/common';
import { ConfigModule } from '../config/config.module';
import { EnvSchema } from '../config/load-config';
import { HealthModule } from '../health/health.module';
import { LoggingModule } from '../logging/logging.module';
import { MetricsModule } from '../metrics/metrics.module';
import { NatsModule } from '../nats/nats.module';

/** The cross-cutting modules every NATS-connected service imports: config, logs, health, metrics, NATS. */
export function platformModules(service: string, schema: EnvSchema): DynamicModule[] {
  return [
    ConfigModule.forRoot(schema),
    LoggingModule.forRoot({ service }),
    HealthModule.forRoot(),
    MetricsModule.forRoot({ service }),
    NatsModule.forRoot({ name: service }),
  ];
}
