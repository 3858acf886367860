import type { ServerDuplexStream } from '@grpc/grpc-js';

/**
 * Writes one message and, when the transport buffer is full, waits for 'drain' before
 * resolving, so a slow reader slows the writer instead of growing memory. Resolves false
 * when the stream closed while waiting.
 */
export function writeWithBackpressure<Req, Res>(stream: ServerDuplexStream<Req, Res>, message: Res): Promise<boolean> {
  if (stream.destroyed || stream.writableEnded) return Promise.resolve(false);
  if (stream.write(message)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const settle = (drained: boolean) => {
      stream.off('drain', onDrain);
      stream.off('close', onClose);
      resolve(drained);
    };
    const onDrain = () => settle(true);
    const onClose = () => settle(false);
    stream.on('drain', onDrain);
    stream.on('close', onClose);
  });
}
