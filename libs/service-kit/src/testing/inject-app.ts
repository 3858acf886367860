import { DynamicModule, Type } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';

/** A Fastify Nest app built from `imports`, initialised and ready for `app.inject()`, not listening. */
export async function createInjectableApp(imports: Array<Type<unknown> | DynamicModule>): Promise<NestFastifyApplication> {
  const moduleRef = await Test.createTestingModule({ imports }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
