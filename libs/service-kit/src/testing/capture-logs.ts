import { Writable } from 'node:stream';

export interface CapturedLogs {
  /** Pass as a pino destination. */
  stream: Writable;
  /** Every line written so far, parsed. */
  lines: () => Record<string, unknown>[];
  /** Everything written so far, raw. */
  text: () => string;
}

/** Keeps every JSON log line in memory, for asserting on what a service logged. */
export function captureLogs(): CapturedLogs {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const text = () => chunks.join('');
  const lines = () =>
    text()
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { stream, lines, text };
}
