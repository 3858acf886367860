import { status } from '@grpc/grpc-js';
import { AudioFormat, type PrepareCallRequest } from '@switchboard/media-proto';
import type { MediaHeartbeat } from '@switchboard/nats-contracts';
import { PodRefusedCall, type PrepareCallPort } from './media-pod-client';
import { MediaPlacer, NoMediaPodAvailable } from './media-placer';

const now = Date.parse('2026-01-01T00:00:10Z');
const pod = (name: string, activeCalls: number): MediaHeartbeat => ({
  pod: name,
  activeCalls,
  maxCalls: 10,
  draining: false,
  at: '2026-01-01T00:00:09Z',
  intervalMs: 1000,
  grpcTarget: `${name}:5005${activeCalls}`,
});

/** Pods answering PrepareCall from a script: a blob, or a refusal with a gRPC status. */
function scriptedPods(answers: Record<string, status | 'ok'>) {
  const asked: { target: string; request: PrepareCallRequest }[] = [];
  const port: PrepareCallPort = {
    prepareCall: async (target, request) => {
      asked.push({ target, request });
      const answer = answers[target];
      if (answer !== 'ok') throw new PodRefusedCall(target, answer ?? status.UNAVAILABLE, 'refused');
      return { podName: target.split(':')[0], mediaConfigurationBlob: `blob-of-${target}` };
    },
  };
  return { port, asked };
}

const placerOver = (heartbeats: MediaHeartbeat[], port: PrepareCallPort, podHost?: string) =>
  new MediaPlacer({ heartbeats: async () => heartbeats }, port, { prepareTimeoutMs: 1000, log: () => undefined, now: () => now, ...(podHost ? { podHost } : {}) });

describe('MediaPlacer', () => {
  it('prepares the call on the least-loaded pod, audio at 16 kHz, and returns its blob', async () => {
    const { port, asked } = scriptedPods({ 'b:50051': 'ok', 'a:50053': 'ok' });
    const placement = await placerOver([pod('a', 3), pod('b', 1)], port).place('call-1', 'tenant-1');
    expect(placement).toEqual({ pod: 'b', mediaCallId: 'call-1', blob: 'blob-of-b:50051' });
    expect(asked).toHaveLength(1);
    expect(asked[0].request).toMatchObject({ callId: 'call-1', tenantId: 'tenant-1', settings: { audioFormat: AudioFormat.AUDIO_FORMAT_PCM_16K } });
  });

  it('moves on to the next pod when one refuses, and gives up with the reason when all did', async () => {
    const { port, asked } = scriptedPods({ 'a:50050': status.FAILED_PRECONDITION, 'b:50052': 'ok' });
    await expect(placerOver([pod('a', 0), pod('b', 2)], port).place('call-2', 't')).resolves.toMatchObject({ pod: 'b' });
    expect(asked.map((a) => a.target)).toEqual(['a:50050', 'b:50052']);

    const none = scriptedPods({});
    const failed = placerOver([pod('a', 0), pod('b', 2)], none.port).place('call-3', 't');
    await expect(failed).rejects.toThrow(NoMediaPodAvailable);
    await expect(failed).rejects.toThrow('no media pod can take the call (a refused the call, b refused the call)');
  });

  it('refuses at once when no pod is registered', async () => {
    const { port, asked } = scriptedPods({});
    await expect(placerOver([], port).place('call-4', 't')).rejects.toThrow('no media pod is registered');
    expect(asked).toEqual([]);
  });

  it('reaches a pod by the configured host template and the port it reports', async () => {
    const { port, asked } = scriptedPods({ 'a.media-headless.sb.svc:50051': 'ok' });
    await placerOver([pod('a', 1)], port, '{pod}.media-headless.sb.svc').place('call-5', 't');
    expect(asked[0].target).toBe('a.media-headless.sb.svc:50051');
  });
});
