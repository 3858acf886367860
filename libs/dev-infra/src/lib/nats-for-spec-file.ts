import { ensureNats, type NatsEndpoint } from './nats-server';

/**
 * The NATS server of one spec file: the one at NATS_URL, or one started from PATH before the file's tests and
 * stopped after them (`ensureNats` says how to install it when missing). Read `url` inside tests and hooks. Call it
 * at the top level of the file: its stop then runs after the afterAll hooks of the file's describe blocks.
 */
export function natsForSpecFile(): { readonly url: string } {
  let endpoint: NatsEndpoint | undefined;
  beforeAll(async () => {
    endpoint = await ensureNats();
  });
  afterAll(() => endpoint?.stop());
  return {
    get url(): string {
      if (!endpoint) throw new Error('NATS is not started yet: read its url inside a test or a hook');
      return endpoint.url;
    },
  };
}
