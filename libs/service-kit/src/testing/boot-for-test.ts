import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createServiceApp, ServiceAppOptions } from '../bootstrap/bootstrap-service';
import { scopedEnv } from './scoped-env';

export interface BootForTestOptions extends ServiceAppOptions {
  /** Environment for this boot only (undefined = unset); restored by `close()`. */
  env: Record<string, string | undefined>;
}

export interface BootedForTest {
  app: NestFastifyApplication;
  /** Closes the app (draining NATS) and restores the environment. */
  close: () => Promise<void>;
}

/** Boots a service exactly as `bootstrapService` does, minus listening: ready for `app.inject()`. */
export async function bootForTest(options: BootForTestOptions): Promise<BootedForTest> {
  const { env, ...appOptions } = options;
  const restore = scopedEnv(env);
  try {
    const app = await createServiceApp(appOptions);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    return {
      app,
      close: async () => {
        try {
          await app.close();
        } finally {
          restore();
        }
      },
    };
  } catch (err) {
    restore();
    throw err;
  }
}
