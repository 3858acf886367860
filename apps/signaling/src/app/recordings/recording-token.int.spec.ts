import { connect, type KV, type NatsConnection } from 'nats';
import { ensureNats, removeJetStreamNamespace, type NatsEndpoint } from '@switchboard/dev-infra';
import { JetStreamPipeline } from '@switchboard/jetstream';
import type { CommsNotification } from '@switchboard/graph-models';
import { parseFlow } from '@switchboard/ivr-engine';
import { natsNames, type CallEvent } from '@switchboard/nats-contracts';
import { CallOrchestrator } from '../orchestration/call-orchestrator';
import { CallStateStore } from '../orchestration/call-state-store';
import { EffectExecutor } from '../orchestration/effect-executor';
import type { CallControlPort } from '../orchestration/ports';
import { RecordingTokenSeal } from './recording-token-seal';

/**
 * A recorded message goes from Graph's recordOperation to the object store; its access token is a secret (design
 * invariant 6), so no revision of the stored call record, no event and no log line may contain it, while the
 * download, done by whichever replica holds the effect, still gets it.
 */
describe('the recording access token (real NATS KV)', () => {
  const token = 'graph-recording-access-token-5f0c2e9a';
  const callId = crypto.randomUUID();
  const names = natsNames(`t${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`);
  let server: NatsEndpoint;
  let nc: NatsConnection;
  let kv: KV;

  beforeAll(async () => {
    server = await ensureNats();
    nc = await connect({ servers: server.url });
    // Keep every revision, to look at each record the orchestrator wrote on the way.
    kv = await nc.jetstream().views.kv(names.callStateBucket, { history: 64 });
  });

  afterAll(async () => {
    await removeJetStreamNamespace(nc, names);
    await nc.close();
    await server.stop();
  });

  const notification = (n: CommsNotification) => ({
    kind: 'notification' as const,
    stored: { receivedAt: new Date().toISOString(), tenantId: 'tenant-1', issuer: 'https://api.botframework.com', notification: n },
  });
  const call = (resourceData: Record<string, unknown>, changeType: 'created' | 'updated' = 'updated'): CommsNotification => ({
    changeType,
    resourceUrl: `/communications/calls/${callId}`,
    resourceData: { '@odata.type': '#microsoft.graph.call', ...resourceData },
  });

  it('is in no stored record, event or log line, and reaches the download', async () => {
    const seal = RecordingTokenSeal.fromCredential('bot-client-secret', 'bot-app');
    const events: CallEvent[] = [];
    const logs: unknown[] = [];
    const downloads: { name: string; location: string; accessToken: string }[] = [];
    const recordContexts: string[] = [];
    const ok = async () => undefined;
    const graph: CallControlPort = {
      answer: ok, playPrompt: ok, subscribeToTone: ok, cancelMediaProcessing: ok, transfer: ok, redirect: ok, inviteParticipants: ok, hangUp: ok, keepAlive: ok, reject: ok,
      recordResponse: async (_callId, body) => void recordContexts.push(body.clientContext ?? ''),
      updateRecordingStatus: () => Promise.reject(new Error('not used')),
    };
    const executor = new EffectExecutor(
      {
        graph,
        events: { publish: async (event) => void events.push(event) },
        inputs: { schedule: ok },
        webhooks: { ask: async () => ({ ok: false, error: 'not used' }) },
        recordings: {
          store: async (name, location, accessToken) => {
            downloads.push({ name, location, accessToken });
            return { bucket: names.recordingsBucket, name, bytes: 44, contentType: 'audio/wav' };
          },
        },
        // Another replica of the same deployment: the one that carries out the effect need not be the one that sealed it.
        recordingTokens: RecordingTokenSeal.fromCredential('bot-client-secret', 'bot-app'),
      },
      { callbackUri: 'https://bot.example/api/calling' },
    );
    const voicemail = parseFlow('id: voicemail\nversion: 1\nstart: message\nsteps:\n  message: { record: { maxDurationSeconds: 30 }, next: bye }\n  bye: { hangup: }\n', 'voicemail.yaml');
    const orchestrator = new CallOrchestrator(new CallStateStore(kv, names.callStateBucket, new JetStreamPipeline(nc)), executor, () => 'permanent', {
      replicaId: 'r1',
      keepAliveIntervalMs: 600_000,
      flows: { flow: () => voicemail, route: () => ({ kind: 'flow', flowId: 'voicemail' }) },
      recordingTokens: seal,
      claimLeaseMs: 15_000,
      maxEffectAttempts: 3,
      log: (...line) => void logs.push(line),
    });

    await orchestrator.handle(callId, notification(call({ id: callId, state: 'incoming', direction: 'incoming' }, 'created')));
    await orchestrator.handle(callId, notification(call({ state: 'established' })));
    expect(recordContexts).toHaveLength(1);
    await orchestrator.handle(
      callId,
      notification({
        changeType: 'deleted',
        resourceUrl: `/communications/calls/${callId}/operations/op-rec`,
        resourceData: {
          '@odata.type': '#microsoft.graph.recordOperation',
          id: 'op-rec',
          status: 'completed',
          clientContext: recordContexts[0],
          recordingLocation: 'https://media.example/rec/1',
          recordingAccessToken: token,
          completionReason: 'maxRecordDurationReached',
        },
      }),
    );

    expect(downloads).toEqual([{ name: expect.stringMatching(new RegExp(`^${callId}/\\d+\\.wav$`)), location: 'https://media.example/rec/1', accessToken: token }]);
    expect(events.map((e) => e.type)).toContain('recording-stored');
    const revisions: string[] = [];
    for await (const entry of await kv.history({ key: callId })) revisions.push(new TextDecoder().decode(entry.value));
    // One of them held the store-recording effect (sealed), before it was settled.
    expect(revisions.some((r) => r.includes('"store-recording"'))).toBe(true);
    for (const revision of revisions) expect(revision).not.toContain(token);
    expect(JSON.stringify(events)).not.toContain(token);
    expect(JSON.stringify(logs)).not.toContain(token);
  });
});
