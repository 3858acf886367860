import { DynamicModule, Global, Module } from '@nestjs/common';
import { EnvSchema, loadConfig } from './load-config';
import { APP_CONFIG } from './tokens';

const schemas = new WeakMap<DynamicModule, EnvSchema>();

/** Validates the environment once at boot and provides the result under `APP_CONFIG`. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(schema: EnvSchema): DynamicModule {
    const dynamicModule: DynamicModule = {
      module: ConfigModule,
      providers: [{ provide: APP_CONFIG, useFactory: () => loadConfig(schema) }],
      exports: [APP_CONFIG],
    };
    schemas.set(dynamicModule, schema);
    return dynamicModule;
  }

  /** The schema a `forRoot()` result was built with, so boot can validate before creating the app. */
  static schemaOf(candidate: unknown): EnvSchema | undefined {
    return typeof candidate === 'object' && candidate !== null ? schemas.get(candidate as DynamicModule) : undefined;
  }
}
