import { EventEmitter } from 'node:events';
import type { ServerDuplexStream } from '@grpc/grpc-js';
import { writeWithBackpressure } from './write-with-backpressure';

class FakeStream extends EventEmitter {
  destroyed = false;
  writableEnded = false;
  written: string[] = [];
  constructor(private readonly accept: boolean) {
    super();
  }
  write(message: string): boolean {
    this.written.push(message);
    return this.accept;
  }
}

const asStream = (s: FakeStream) => s as unknown as ServerDuplexStream<string, string>;

describe('writeWithBackpressure', () => {
  it('resolves at once while the buffer has room', async () => {
    const stream = new FakeStream(true);
    await expect(writeWithBackpressure(asStream(stream), 'a')).resolves.toBe(true);
    expect(stream.written).toEqual(['a']);
  });

  it('waits for drain when write() reports a full buffer', async () => {
    const stream = new FakeStream(false);
    let settled = false;
    const writing = writeWithBackpressure(asStream(stream), 'a').then((r) => {
      settled = true;
      return r;
    });
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    stream.emit('drain');
    await expect(writing).resolves.toBe(true);
    expect(stream.listenerCount('drain') + stream.listenerCount('close')).toBe(0);
  });

  it('resolves false when the stream closes while waiting, and does not write to an ended stream', async () => {
    const stream = new FakeStream(false);
    const writing = writeWithBackpressure(asStream(stream), 'a');
    stream.emit('close');
    await expect(writing).resolves.toBe(false);
    stream.writableEnded = true;
    await expect(writeWithBackpressure(asStream(stream), 'b')).resolves.toBe(false);
    expect(stream.written).toEqual(['a']);
  });
});
