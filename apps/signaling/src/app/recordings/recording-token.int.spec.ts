import { connect, type KV, type NatsConnection } from 'nats';
import { ensureNats, removeJetStreamNamespace, type NatsEndpoint } from '@switchboard/dev-infra';
import { JetStreamPipeline } from '@switchboard/jetstream';
import type { CommsNotification } from '@switchboard/graph-models';
import { parseFlow } from '@switchboard/ivr-engine';
import { commsOperationSchema } from '@switchboard/graph-models';
import { natsNames, statusClientContext, type CallEvent, type CallInput } from '@switchboard/nats-contracts';
import { CallOrchestrator } from '../orchestration/call-orchestrator';
import { CallStateStore } from '../orchestration/call-state-store';
import { EffectExecutor } from '../orchestration/effect-executor';
import type { CallControlPort, RecordingToStore } from '../orchestration/ports';
import { RecordingTokenSeal } from './recording-token-seal';

/**
 * A recorded message goes from Graph's recordOperation to Blob storage under its recording grant; its access token
 * is a secret (design invariant 6), so no revision of the stored call record, no event and no log line may contain
 * it, while the download, done by whichever replica holds the effect, still gets it.
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
    const downloads: RecordingToStore[] = [];
    const recordContexts: string[] = [];
    const grantSteps: string[] = [];
    const scheduled: CallInput[] = [];
    const grantId = 'a4b1c2d3-0000-4000-8000-000000000001';
    const ok = async () => undefined;
    const graph: CallControlPort = {
      answer: ok, playPrompt: ok, subscribeToTone: ok, cancelMediaProcessing: ok, transfer: ok, redirect: ok, inviteParticipants: ok, hangUp: ok, keepAlive: ok, reject: ok,
      recordResponse: async (_callId, body) => void recordContexts.push(body.clientContext ?? ''),
      updateRecordingStatus: async (_callId, body) =>
        commsOperationSchema.parse({ '@odata.type': '#microsoft.graph.updateRecordingStatusOperation', id: 'op-status', status: 'completed', clientContext: body.clientContext }),
    };
    const executor = new EffectExecutor(
      {
        graph,
        events: { publish: async (event) => void events.push(event) },
        inputs: { schedule: async (_callId, input) => void scheduled.push(input) },
        webhooks: { ask: async () => ({ ok: false, error: 'not used' }) },
        recordings: {
          store: async (recording) => {
            downloads.push(recording);
            grantSteps.push('stored');
            return { recordingId: 'rec-1', container: 'recordings', blobName: `tenant-1/${callId}/rec-1.wav`, bytes: 44, contentType: 'audio/wav', sha256: 'ab'.repeat(32) };
          },
        },
        grants: { start: async () => void grantSteps.push('start'), stop: async (lease) => void grantSteps.push(`stop ${lease.grantId}`), renew: async () => void grantSteps.push('renew') },
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
    // Nothing is recorded before recording-compliance's status request went through and Graph accepted it.
    expect(grantSteps).toEqual(['start']);
    expect(recordContexts).toHaveLength(0);
    const clientContext = statusClientContext(grantId, 'recording');
    await orchestrator.handle(callId, { kind: 'recording-status', requestId: `recording-status:${clientContext}`, status: 'recording', clientContext });
    for (const input of scheduled.splice(0)) await orchestrator.handle(callId, input);
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

    expect(downloads).toEqual([expect.objectContaining({ callId, tenantId: 'tenant-1', grantId, location: 'https://media.example/rec/1', accessToken: token })]);
    // The grant ends only after the last write.
    expect(grantSteps).toEqual(['start', 'stored', `stop ${grantId}`]);
    expect(events.find((e) => e.type === 'recording-stored')).toMatchObject({ grantId, blobName: `tenant-1/${callId}/rec-1.wav`, bytes: 44 });
    const revisions: string[] = [];
    for await (const entry of await kv.history({ key: callId })) revisions.push(new TextDecoder().decode(entry.value));
    // One of them held the store-recording effect (sealed), before it was settled.
    expect(revisions.some((r) => r.includes('"store-recording"'))).toBe(true);
    for (const revision of revisions) expect(revision).not.toContain(token);
    expect(JSON.stringify(events)).not.toContain(token);
    expect(JSON.stringify(logs)).not.toContain(token);
  });
});
