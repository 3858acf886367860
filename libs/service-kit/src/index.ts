export { ConfigError, type ConfigIssue } from './config/config-error';
export { loadConfig, type EnvSchema, type Env } from './config/load-config';
export {
  natsEnv,
  httpEnv,
  logEnv,
  envInt,
  envPort,
  envBool,
  envJson,
  natsCredentialIssues,
  DEFAULT_NATS_URL,
  type NatsSettings,
  LOG_LEVELS,
  type LogLevel,
} from './config/env-schemas';
export { ConfigModule } from './config/config.module';
export { APP_CONFIG } from './config/tokens';

export { createLogger, callLogger, type LoggerOptions } from './logging/create-logger';
export { scrubValue, scrubString, isSecretKey, REDACTED } from './logging/redaction';
export { NestPinoLogger } from './logging/nest-pino-logger';
export { LoggingModule, type LoggingModuleOptions } from './logging/logging.module';
export { LOGGER } from './logging/tokens';

export { HealthModule } from './health/health.module';
export {
  HealthRegistry,
  CHECK_TIMEOUT_MS,
  type ReadinessCheck,
  type ReadinessReport,
  type CheckResult,
} from './health/health-registry';

export { MetricsModule, type MetricsModuleOptions } from './metrics/metrics.module';
export { createMetricsRegistry } from './metrics/create-registry';
export { METRICS_REGISTRY } from './metrics/tokens';

export { NatsModule, type NatsModuleOptions } from './nats/nats.module';
export { connectNats, natsConnectionOptions, NatsConnectError, NATS_CONNECT_TIMEOUT_MS } from './nats/connect-nats';
export { NatsLifecycle, NATS_READINESS_CHECK } from './nats/nats-lifecycle';
export { NATS_CONNECTION, JETSTREAM, JETSTREAM_MANAGER } from './nats/tokens';

export {
  bootstrapService,
  createServiceApp,
  type BootstrapOptions,
  type ServiceAppOptions,
} from './bootstrap/bootstrap-service';

export { platformModules } from './bootstrap/platform-modules';
export { logBootFailure } from './bootstrap/log-boot-failure';

export { captureLogs, type CapturedLogs } from './testing/capture-logs';
export { scopedEnv } from './testing/scoped-env';
export { bootForTest, type BootForTestOptions, type BootedForTest } from './testing/boot-for-test';
