/**
 * The baseline the platform's call setup is compared with: a bare node:http bot that takes each Graph notification,
 * answers 202 at once and acts straight from memory — answer an incoming call; on `established`, subscribe to tones
 * and play the welcome prompt (the same Graph requests the platform sends). No JWT verification, no JetStream, no KV.
 * Runs in its own process (like the service) and prints one JSON line when it listens.
 *
 * Env: BASELINE_PORT, EMULATOR_BASE_URL, EMULATOR_CA_PATH, BOT_TENANT_ID, BOT_APP_ID, BOT_CLIENT_SECRET.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createGraphClient } from '@switchboard/graph-client';
import { mediaPrompt, serviceHostedAudioAnswer } from '@switchboard/graph-models';

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    process.stderr.write(`${JSON.stringify({ level: 60, msg: 'missing environment variable', variable: name })}\n`);
    process.exit(2);
  }
  return value;
}

const port = Number(required('BASELINE_PORT'));
const emulatorBaseUrl = required('EMULATOR_BASE_URL');
const callbackUri = `http://127.0.0.1:${port}/api/calling`;
const promptUri = `${emulatorBaseUrl}/emulator/prompts/welcome.wav`;
const graph = createGraphClient({
  graphBaseUrl: `${emulatorBaseUrl}/v1.0`,
  authorityHost: new URL(emulatorBaseUrl).origin,
  tenantId: required('BOT_TENANT_ID'),
  clientId: required('BOT_APP_ID'),
  credential: { clientSecret: required('BOT_CLIENT_SECRET') },
  tls: { ca: readFileSync(required('EMULATOR_CA_PATH'), 'utf8') },
});

interface Notification {
  changeType?: string;
  resourceUrl?: string;
  resourceData?: { '@odata.type'?: string; state?: string };
}

const callPath = /^\/communications\/calls\/([^/]+)$/;

function act(callId: string, work: () => Promise<unknown>): void {
  work().catch((error: Error) => process.stderr.write(`${JSON.stringify({ level: 50, msg: 'graph request failed', callId, error: error.message })}\n`));
}

function handle(notification: Notification): void {
  const callId = callPath.exec(notification.resourceUrl ?? '')?.[1];
  const state = notification.resourceData?.state;
  if (!callId || notification.resourceData?.['@odata.type'] !== '#microsoft.graph.call') return;
  if (notification.changeType === 'created' && state === 'incoming') {
    act(callId, () =>
      graph.calls.answer(callId, serviceHostedAudioAnswer(callbackUri)),
    );
  } else if (state === 'established') {
    act(callId, async () => {
      await graph.calls.subscribeToTone(callId, {});
      await graph.calls.playPrompt(callId, { prompts: [mediaPrompt(promptUri)] });
    });
  }
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    let notifications: Notification[];
    try {
      notifications = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { value?: Notification[] }).value ?? [];
    } catch {
      res.statusCode = 400;
      res.end();
      return;
    }
    res.statusCode = 202;
    res.end();
    for (const notification of notifications) handle(notification);
  });
});
server.keepAliveTimeout = 60_000;

// The first token is fetched before listening, as the platform's readiness check does.
void graph.tokens.getToken().then(
  () =>
    server.listen(port, '127.0.0.1', () => {
      process.stdout.write(`${JSON.stringify({ level: 30, msg: 'baseline bot listening', port })}\n`);
    }),
  (error: Error) => {
    process.stderr.write(`${JSON.stringify({ level: 60, msg: 'no Graph token for the baseline bot', error: error.message })}\n`);
    process.exit(1);
  },
);
process.on('SIGTERM', () => {
  server.close(() => void graph.close().finally(() => process.exit(0)));
  server.closeAllConnections();
});
