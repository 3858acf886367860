import { join } from 'node:path';
import { credentials, type ClientDuplexStream } from '@grpc/grpc-js';
import { connect, type NatsConnection } from 'nats';
import { freePort, ManagedProcess, natsForSpecFile, workspaceRoot } from '@switchboard/dev-infra';
import { FRAME_BYTES, SpeechLikeSource } from '@switchboard/media-dsp';
import { MediaClient } from '@switchboard/media-client';
import { AudioFormat, MediaServiceClient, MediaSessionSettings, type StreamCallRequest, type StreamCallResponse } from '@switchboard/media-proto';
import { EchoBot } from '../src/app/echo-bot';

const nats = natsForSpecFile();

/**
 * The echo bot against the media service started from source (real NATS, real gRPC), with a gRPC client in the media
 * platform's role: the caller speaks for a second, falls silent, and hears the same frames back.
 */
describe('echo bot', () => {
  const namespace = `echo-${process.pid}`;
  let media: ManagedProcess;
  let grpcPort: number;
  let nc: NatsConnection;

  beforeAll(async () => {
    grpcPort = await freePort();
    const root = workspaceRoot();
    media = new ManagedProcess({
      name: 'media',
      command: join(root, 'node_modules/.bin/tsx'),
      // The base config: its decorator settings must reach the libraries' files too.
      args: ['--tsconfig', join(root, 'tsconfig.base.json'), join(root, 'apps/media/src/main.ts')],
      cwd: root,
      env: { NATS_URL: nats.url, NATS_NAMESPACE: namespace, GRPC_PORT: String(grpcPort), GRPC_HOST: '127.0.0.1', HTTP_PORT: String(await freePort()), HTTP_HOST: '127.0.0.1', POD_NAME: 'media-0', LOG_LEVEL: 'info', DRAIN_GRACE_MS: '1000' },
    });
    await media.waitForLine(/"msg":"listening"/, 30_000);
    nc = await connect({ servers: nats.url });
  });

  afterAll(async () => {
    await nc?.close();
    await media?.stop();
  });

  it('says back what the caller said, frame for frame, after they stop speaking', async () => {
    const client = new MediaClient({ nc, namespace, resolveTarget: () => `127.0.0.1:${grpcPort}` });
    const logLines: string[] = [];
    const bot = new EchoBot(client, (msg) => logLines.push(msg));
    const running = bot.run();
    // The bot's subscription is on the server before the call starts.
    await nc.flush();

    const platform = new MediaServiceClient(`127.0.0.1:${grpcPort}`, credentials.createInsecure());
    const call: ClientDuplexStream<StreamCallRequest, StreamCallResponse> = platform.streamCall();
    const heardBack: Buffer[] = [];
    call.on('data', (r: StreamCallResponse) => r.audio && heardBack.push(r.audio.data));
    call.on('error', () => undefined);
    call.write({ open: { callId: `echo-call-${process.pid}`, settings: MediaSessionSettings.fromPartial({ audioFormat: AudioFormat.AUDIO_FORMAT_PCM_16K }) } });
    for (let i = 0; i < 200 && !logLines.includes('attached'); i++) await new Promise((r) => setTimeout(r, 20));
    expect(logLines).toContain('attached');

    // 0.5 s quiet, 1 s of speech-like voice without long pauses, then 1.5 s quiet; sent at the platform's pace.
    const voice = new SpeechLikeSource(11, { levelDbfs: -16 });
    const said: Buffer[] = [];
    for (let n = 0; n < 150; n++) {
      const samples = new Int16Array(FRAME_BYTES / 2);
      if (n >= 25 && n < 75) voice.fill(samples);
      const data = Buffer.from(samples.buffer);
      said.push(data);
      call.write({ audio: { data, timestampTicks: BigInt(n + 1) * 200_000n, isSilence: false, activeSpeakerMsis: [], unmixedBuffers: [] } });
      await new Promise((r) => setTimeout(r, 20));
    }
    for (let i = 0; i < 300 && heardBack.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    const before = heardBack.length;
    for (let i = 0; i < 300; i++) {
      await new Promise((r) => setTimeout(r, 50));
      if (heardBack.length === before) break;
    }
    // The voice pauses between words (the bot may echo it as more than one utterance, silence included): every
    // sound frame the caller made comes back exactly once, bit for bit, in the order it was said.
    const silent = (f: Buffer) => f.every((b) => b === 0);
    const spokenIndexes = said.flatMap((f, i) => (silent(f) ? [] : [i]));
    const echoedIndexes = heardBack.filter((f) => !silent(f)).map((f) => said.findIndex((s) => s.equals(f)));
    expect(spokenIndexes.length).toBeGreaterThan(10);
    expect(echoedIndexes).toEqual(spokenIndexes);

    call.end();
    await bot.stop().catch(() => undefined);
    await Promise.race([running, new Promise((r) => setTimeout(r, 500))]);
    client.close();
    platform.close();
  });
});
