import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const SAMPLE_RATE = 16_000;

/** A 16 kHz mono 16-bit PCM WAV of a steady tone: what a media pod fetches and plays as a prompt. */
export function toneWav(durationMs: number, frequencyHz: number, levelDbfs = -20): Buffer {
  const samples = Math.round((SAMPLE_RATE * durationMs) / 1000);
  const amplitude = 32767 * 10 ** (levelDbfs / 20) * Math.SQRT2;
  const wav = Buffer.alloc(44 + samples * 2);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + samples * 2, 4);
  wav.write('WAVEfmt ', 8, 'ascii');
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(SAMPLE_RATE, 24);
  wav.writeUInt32LE(SAMPLE_RATE * 2, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) wav.writeInt16LE(Math.round(Math.min(32767, amplitude * Math.sin((2 * Math.PI * frequencyHz * i) / SAMPLE_RATE))), 44 + i * 2);
  return wav;
}

/** Prompt files over plain HTTP (`GET /<name>`), counting the requests for each. */
export class PromptServer {
  private constructor(
    private readonly server: Server,
    readonly url: string,
    /** Requests per prompt name. */
    readonly fetched: Map<string, number>,
  ) {}

  static async start(prompts: Record<string, Buffer>): Promise<PromptServer> {
    const fetched = new Map<string, number>();
    const server = createServer((req, res) => {
      const name = (req.url ?? '/').slice(1);
      fetched.set(name, (fetched.get(name) ?? 0) + 1);
      const body = prompts[name];
      if (!body) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'audio/wav', 'content-length': body.length }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new PromptServer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, fetched);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
