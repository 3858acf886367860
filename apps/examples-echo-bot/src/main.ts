/**
 * Example: a bot that says back what it heard, on every app-hosted call whose media reaches a media pod.
 *
 *   NATS_URL=nats://127.0.0.1:4222 NATS_NAMESPACE= npx nx run examples-echo-bot:start
 *
 * MEDIA_TARGET (host:port) dials that address instead of the pod name a media pod announces (e.g. a port-forward).
 */
import { connect } from 'nats';
import { MediaClient } from '@switchboard/media-client';
import { EchoBot } from './app/echo-bot';

async function main(): Promise<void> {
  const nc = await connect({ servers: process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222', name: 'examples-echo-bot' });
  const target = process.env['MEDIA_TARGET'];
  const media = new MediaClient({ nc, namespace: process.env['NATS_NAMESPACE'] ?? '', ...(target ? { resolveTarget: () => target } : {}) });
  const bot = new EchoBot(media, (msg, fields) => process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), msg, ...fields })}\n`));
  const stop = () => void bot.stop().then(() => nc.drain()).finally(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.stdout.write('echo bot: waiting for calls\n');
  await bot.run();
}

void main().catch((err: unknown) => {
  process.stderr.write(`echo bot: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
