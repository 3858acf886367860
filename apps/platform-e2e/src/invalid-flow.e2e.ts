import { randomBytes } from 'node:crypto';
import { connect } from 'nats';
import { builtApp, ensureNats, freePort, ManagedProcess, removeJetStreamNamespace, type NatsEndpoint } from '@switchboard/dev-infra';
import { natsNames } from '@switchboard/nats-contracts';
import { fixturePath } from './support/fixtures';

/** fixtures/invalid-flow: one flow with an unknown key, one whose `next` names no step. */
const routingFile = fixturePath('invalid-flow', 'routing.yaml');
const unknownKeyAt = `${fixturePath('invalid-flow', 'flows', 'broken-menu.yaml')}:10:7`;
const danglingNextAt = `${fixturePath('invalid-flow', 'flows', 'dangling-goto.yaml')}:8:11`;

describe('an invalid flow file at boot', () => {
  const namespace = `e2e-invalid-${randomBytes(3).toString('hex')}`;
  let nats: NatsEndpoint;

  beforeAll(async () => {
    nats = await ensureNats();
  });
  afterAll(async () => {
    // Whatever the process created before it refused to start.
    const nc = await connect({ servers: nats.url });
    await removeJetStreamNamespace(nc, natsNames(namespace));
    await nc.close();
    await nats.stop();
  });

  it('stops signaling with a non-zero exit code, naming every problem by file, line and column', async () => {
    const port = await freePort();
    const signaling = new ManagedProcess({
      name: 'signaling',
      command: process.execPath,
      args: [builtApp('signaling')],
      env: {
        NATS_URL: nats.url,
        NATS_NAMESPACE: namespace,
        HTTP_HOST: '127.0.0.1',
        HTTP_PORT: String(port),
        BOT_APP_ID: '5b7e2c9a-1d4f-4e8b-a3c6-0f9e8d7c6b5a',
        BOT_TENANT_ID: '8c2f1f5e-3b1a-4f0e-9d7c-6a5b4c3d2e1f',
        BOT_CLIENT_SECRET: 'not-used-before-the-flows-load',
        PUBLIC_CALLBACK_URL: `http://127.0.0.1:${port}/api/calling`,
        PROMPT_URI: 'https://prompts.e2e.test/welcome.wav',
        ROUTING_FILE: routingFile,
      },
    });
    const timeout = setTimeout(() => void signaling.kill(), 20_000);
    const code = await signaling.exited;
    clearTimeout(timeout);

    expect(code).not.toBe(0);
    expect(code).not.toBeNull(); // null: it had to be killed, it did not stop by itself
    const fatal = signaling
      .output()
      .split('\n')
      .map((line) => JSON.parse(line) as { level: string; msg: string })
      .find((entry) => entry.level === 'fatal');
    expect(fatal?.msg).toContain(`${unknownKeyAt}: steps.menu.gather.retrys: unknown key "retrys"`);
    expect(fatal?.msg).toContain(`${danglingNextAt}: steps.welcome.next: no step named "nowhere"`);
  });
});
