import { freshBookkeeping, type CallRecord, type MediaEffect } from '../orchestration/call-record';
import { EffectExecutor, type EffectPorts } from '../orchestration/effect-executor';
import { classifyEffectFailure } from '../orchestration/orchestration.module';
import { MediaCommandRefused, type FlowMediaVerb, type MediaSessionPort } from '../orchestration/ports';

const record = (media?: CallRecord['media']): CallRecord => ({
  callId: 'graph-call-1',
  tenantId: 't',
  direction: 'outgoing',
  state: 'established',
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  handler: { kind: 'flow', flowId: 'front-desk', media: 'appHosted' },
  ...freshBookkeeping(),
  ...(media ? { media } : {}),
});
const onPod = record({ pod: 'media-1', mediaCallId: 'media-call-1', sessionStarted: true });

/** Every port but the media sessions fails the spec if used: a media verb must not reach Graph. */
const untouchable = new Proxy({}, { get: (_t, name) => () => Promise.reject(new Error(`unexpected use of ${String(name)}`)) });

function executor(sessions?: MediaSessionPort) {
  const ports = { graph: untouchable, events: untouchable, inputs: untouchable, webhooks: untouchable, recordings: untouchable, recordingTokens: untouchable } as unknown as EffectPorts;
  return new EffectExecutor({ ...ports, ...(sessions ? { mediaSessions: sessions } : {}) }, { callbackUri: 'https://bot.example/api/calling' });
}

class RecordingPod implements MediaSessionPort {
  readonly sent: { mediaCallId: string; verb: FlowMediaVerb; body: unknown }[] = [];
  async command(mediaCallId: string, verb: FlowMediaVerb, body: unknown): Promise<void> {
    this.sent.push({ mediaCallId, verb, body });
  }
}

describe('a flow’s media verbs carried out on the call’s media pod', () => {
  it('queues one pod prompt per prompt of a play; the last carries the clientContext, all barge in on keys', async () => {
    const pod = new RecordingPod();
    await executor(pod).execute({ kind: 'media-play', prompts: ['https://p/sorry.wav', 'https://p/menu.wav'], bargeIn: true, clientContext: 'menu:4' }, onPod);
    expect(pod.sent).toEqual([
      { mediaCallId: 'media-call-1', verb: 'play', body: { id: 'menu:4@0', uri: 'https://p/sorry.wav', bargeIn: { keys: true } } },
      { mediaCallId: 'media-call-1', verb: 'play', body: { id: 'menu:4', uri: 'https://p/menu.wav', bargeIn: { keys: true } } },
    ]);
  });

  it('plays a record’s prompt first, then records with the flow’s limits and stop keys', async () => {
    const pod = new RecordingPod();
    const action: MediaEffect = {
      kind: 'media-record',
      prompt: 'https://p/after-the-beep.wav',
      maxDurationSeconds: 30,
      maxSilenceSeconds: 2,
      initialSilenceSeconds: 5,
      beep: true,
      stopTones: ['#'],
      clientContext: 'message:7',
    };
    await executor(pod).execute(action, onPod);
    expect(pod.sent).toEqual([
      { mediaCallId: 'media-call-1', verb: 'play', body: { id: 'message:7@prompt', uri: 'https://p/after-the-beep.wav' } },
      { mediaCallId: 'media-call-1', verb: 'record', body: { id: 'message:7', maxDurationSeconds: 30, maxSilenceSeconds: 2, initialSilenceSeconds: 5, stopKeys: ['#'], beep: true } },
    ]);
  });

  it('cancels everything playing, queued or recording, like cancelMediaProcessing', async () => {
    const pod = new RecordingPod();
    await executor(pod).execute({ kind: 'media-cancel', clientContext: 'menu:5' }, onPod);
    expect(pod.sent).toEqual([{ mediaCallId: 'media-call-1', verb: 'cancel', body: {} }]);
  });

  it('refuses for good, sending nothing, a verb for a call without a media session', async () => {
    const pod = new RecordingPod();
    const play: MediaEffect = { kind: 'media-play', prompts: ['https://p/a.wav'], bargeIn: false, clientContext: 'welcome:1' };
    const refused = executor(pod).execute(play, record());
    await expect(refused).rejects.toThrow(MediaCommandRefused);
    await expect(refused).rejects.toThrow('call graph-call-1 has no media session to play on');
    await expect(executor().execute(play, onPod)).rejects.toThrow(MediaCommandRefused);
    expect(pod.sent).toEqual([]);
  });

  it('reports a refused command to the flow (permanent); other errors are tried again', () => {
    expect(classifyEffectFailure(new MediaCommandRefused('no media pod hosts its session'))).toBe('permanent');
    expect(classifyEffectFailure(new Error('TIMEOUT'))).toBe('transient');
  });
});
