import { readNotification, type CommsNotification } from '@switchboard/graph-models';
import { parseFlow } from '@switchboard/ivr-engine';
import { statusClientContext } from '@switchboard/nats-contracts';
import type { CallRecord, OutboxAction } from '../orchestration/call-record';
import { reduceCall, type ReduceContext, type ReducerInput } from '../orchestration/call-reducer';
import type { SealedToken } from './recording-token-seal';

/** A service-hosted flow's `record` waits for its grant: recordResponse only after Graph accepted `recording`. */
const callId = '4f1e0b00-1a2b-4c3d-8e9f-0123456789ab';
const grantId = 'a4b1c2d3-0000-4000-8000-000000000001';
const voicemail = parseFlow(
  [
    'id: voicemail',
    'version: 1',
    'start: message',
    'steps:',
    '  message: { record: { maxDurationSeconds: 30 }, next: bye, onFailed: sorry }',
    '  sorry: { play: ["https://prompts.example/sorry.wav"], next: bye }',
    '  bye: { hangup: {} }',
  ].join('\n'),
  'voicemail.yaml',
);
const ctx: ReduceContext = {
  now: new Date('2026-01-01T00:00:00Z'),
  tenantId: 'tenant-1',
  replicaId: 'r1',
  keepAliveIntervalMs: 600_000,
  flows: { flow: () => voicemail, route: () => ({ kind: 'flow', flowId: 'voicemail' }) },
  sealToken: (_token, boundTo) => `sealed(${boundTo})` as SealedToken,
};
const url = `/communications/calls/${callId}`;
const call = (resourceData: Record<string, unknown>, changeType: 'created' | 'updated' = 'updated'): ReducerInput => ({
  kind: 'facts',
  facts: readNotification({ changeType, resourceUrl: url, resourceData: { '@odata.type': '#microsoft.graph.call', ...resourceData } }),
});
const operation = (resourceData: Record<string, unknown>): ReducerInput => {
  const n: CommsNotification = { changeType: 'deleted', resourceUrl: `${url}/operations/${String(resourceData['id'])}`, resourceData };
  return { kind: 'facts', facts: readNotification(n) };
};
const statusRequested = (status: 'recording' | 'notRecording' | 'failed'): ReducerInput => ({
  kind: 'recording-status',
  requestId: `recording-status:${statusClientContext(grantId, status)}`,
  status,
  clientContext: statusClientContext(grantId, status),
});
const statusAnswered = (status: 'completed' | 'failed'): ReducerInput => ({
  kind: 'recording-status-answered',
  requestId: `answered:${status}`,
  clientContext: statusClientContext(grantId, 'recording'),
  operationId: 'op-status',
  status,
  ...(status === 'failed' ? { resultInfo: { code: 403, subcode: 0, message: 'recording is not allowed' } } : {}),
});

function apply(record: CallRecord | undefined, input: ReducerInput): CallRecord {
  const result = reduceCall(record, input, ctx);
  if (result.kind !== 'changed') throw new Error(`expected a change, got ${result.kind}`);
  return result.record;
}
/** What a replica does after carrying out the outbox: empties it, remembering Graph effects. */
const drained = (r: CallRecord): CallRecord => ({ ...r, doneEffects: [...r.doneEffects, ...r.outbox.filter((i) => i.action.kind !== 'publish').map((i) => i.id)], outbox: [] });
const kinds = (r: CallRecord) => r.outbox.map((i) => i.action.kind);
const action = <K extends OutboxAction['kind']>(r: CallRecord, kind: K) => r.outbox.find((i) => i.action.kind === kind) as { id: string; clientContext?: string; action: Extract<OutboxAction, { kind: K }> } | undefined;
const flowEvents = (r: CallRecord) => r.outbox.flatMap((i) => (i.action.kind === 'publish' && i.action.event.type === 'flow-event' ? [i.action.event.name] : []));

/** The call established: the flow's record asked for a grant. */
function awaitingGrant(): { record: CallRecord; recordContext: string } {
  const record = apply(drained(apply(undefined, call({ id: callId, state: 'incoming', direction: 'incoming' }, 'created'))), call({ state: 'established' }));
  const start = action(record, 'start-grant');
  if (!start?.clientContext) throw new Error('no start-grant effect');
  return { record: drained(record), recordContext: start.clientContext };
}

describe('the recording gate of service-hosted flows', () => {
  it('asks recording-compliance for a grant instead of recording, keyed by the record command', () => {
    const record = apply(drained(apply(undefined, call({ id: callId, state: 'incoming', direction: 'incoming' }, 'created'))), call({ state: 'established' }));
    expect(kinds(record)).toContain('start-grant');
    expect(kinds(record)).not.toContain('recordResponse');
    const start = action(record, 'start-grant');
    expect(start).toMatchObject({ id: `grant-start:${start?.clientContext}`, action: { kind: 'start-grant', clientContext: start?.clientContext } });
    expect(record.recording?.request).toMatchObject({ kind: 'recordResponse', clientContext: start?.clientContext, maxDurationSeconds: 30 });
  });

  it('sends recordResponse only after Graph accepted the status it was granted by (immediate answer)', () => {
    const { record, recordContext } = awaitingGrant();
    const requested = apply(record, statusRequested('recording'));
    expect(kinds(requested)).toEqual(['updateRecordingStatus']);
    expect(requested.recording?.grantId).toBe(grantId);
    const granted = apply(drained(requested), statusAnswered('completed'));
    expect(kinds(granted)).toEqual(['publish', 'recordResponse', 'schedule']);
    expect(action(granted, 'recordResponse')).toMatchObject({ id: `graph:${recordContext}`, clientContext: recordContext });
    expect(granted.recording?.startedAt).toBe(ctx.now.toISOString());
    // The same answer again (a redelivery) changes nothing: recordResponse is sent once.
    expect(reduceCall(drained(granted), statusAnswered('completed'), ctx)).toEqual({ kind: 'unchanged' });
  });

  it("releases recordResponse on the status operation's notification too", () => {
    const { record } = awaitingGrant();
    const requested = drained(apply(record, statusRequested('recording')));
    const granted = apply(requested, operation({ '@odata.type': '#microsoft.graph.updateRecordingStatusOperation', id: 'op-status', status: 'completed', clientContext: statusClientContext(grantId, 'recording') }));
    expect(kinds(granted)).toContain('recordResponse');
  });

  it('records nothing while the status is not answered, whatever else happens', () => {
    const { record } = awaitingGrant();
    const requested = drained(apply(record, statusRequested('recording')));
    // Another grant's success, or this grant's notRecording, is no permission for this recording.
    const other = reduceCall(requested, operation({ '@odata.type': '#microsoft.graph.updateRecordingStatusOperation', id: 'op-x', status: 'completed', clientContext: statusClientContext('b4b1c2d3-0000-4000-8000-000000000002', 'recording') }), ctx);
    expect(other.kind === 'changed' ? kinds(other.record) : []).not.toContain('recordResponse');
    const repeated = reduceCall(requested, statusRequested('recording'), ctx);
    expect(repeated).toEqual({ kind: 'unchanged' });
  });

  it('fails the flow step and records nothing when Graph refuses the status', () => {
    const { record } = awaitingGrant();
    const refused = apply(drained(apply(record, statusRequested('recording'))), statusAnswered('failed'));
    expect(kinds(refused)).not.toContain('recordResponse');
    expect(kinds(refused)).not.toContain('stop-grant');
    expect(flowEvents(refused)).toContain('step-failed');
    expect(kinds(refused)).toContain('playPrompt');
    expect(refused.recording).toBeUndefined();
    // recording-compliance then has `failed` sent: sent once, and nothing more for the flow.
    const failed = apply(drained(refused), statusRequested('failed'));
    expect(kinds(failed)).toEqual(['updateRecordingStatus']);
  });

  it('fails the flow step when recording-compliance refused the grant (the start-grant effect failed for good)', () => {
    const { record, recordContext } = awaitingGrant();
    const refused = apply(record, { kind: 'action-failed', requestId: `failed:grant-start:${recordContext}`, clientContext: recordContext, error: 'GrantExists' });
    expect(flowEvents(refused)).toContain('step-failed');
    expect(kinds(refused)).not.toContain('recordResponse');
    expect(kinds(refused)).not.toContain('stop-grant');
    // Graph's success for a grant that came too late no longer starts a recording.
    const late = reduceCall(drained(apply(drained(refused), statusRequested('recording'))), statusAnswered('completed'), ctx);
    expect(late.kind === 'changed' ? kinds(late.record) : []).not.toContain('recordResponse');
  });

  it('ends the grant when recording-compliance revokes it before Graph answered', () => {
    const { record } = awaitingGrant();
    const revoked = apply(drained(apply(record, statusRequested('recording'))), statusRequested('failed'));
    expect(flowEvents(revoked)).toContain('step-failed');
    expect(revoked.recording).toBeUndefined();
    expect(kinds(apply(drained(revoked), statusAnswered('completed')))).not.toContain('recordResponse');
  });

  it('stores the message under the grant it was recorded under', () => {
    const { record, recordContext } = awaitingGrant();
    const recording = drained(apply(drained(apply(record, statusRequested('recording'))), statusAnswered('completed')));
    const done = apply(
      { ...recording },
      operation({ '@odata.type': '#microsoft.graph.recordOperation', id: 'op-rec', status: 'completed', clientContext: recordContext, recordingLocation: 'https://media/rec/1', recordingAccessToken: 'secret-token' }),
    );
    const store = action(done, 'store-recording');
    expect(store?.action).toMatchObject({ grantId, location: 'https://media/rec/1', startedAt: ctx.now.toISOString(), endedAt: ctx.now.toISOString() });
    expect(JSON.stringify(done)).not.toContain('secret-token');
    // The writer's commit is followed by the stop (in the store effect), not by another decision here.
    expect(kinds(done)).not.toContain('stop-grant');
    expect(done.recording).toBeUndefined();
  });

  it('stops the grant when the recording failed, and stores nothing', () => {
    const { record, recordContext } = awaitingGrant();
    const recording = drained(apply(drained(apply(record, statusRequested('recording'))), statusAnswered('completed')));
    const failed = apply(recording, operation({ '@odata.type': '#microsoft.graph.recordOperation', id: 'op-rec', status: 'failed', clientContext: recordContext, resultInfo: { code: 500, subcode: 0 } }));
    expect(kinds(failed)).not.toContain('store-recording');
    expect(action(failed, 'stop-grant')).toMatchObject({ id: `grant-stop:${grantId}`, action: { kind: 'stop-grant', grantId } });
  });

  it("renews the grant's lease on a durable timer while Graph records, and no more once the message is stored", () => {
    const { record, recordContext } = awaitingGrant();
    const granted = apply(drained(apply(record, statusRequested('recording'))), statusAnswered('completed'));
    const timer = action(granted, 'schedule')?.action.input;
    expect(timer).toEqual({ kind: 'timer', timerId: `grant-renewal:${grantId}:1`, purpose: 'grant-renewal', dueAt: ctx.now.getTime() + 10_000 });
    const fired = (timerId: string): ReducerInput => ({ kind: 'timer', timerId, purpose: 'grant-renewal', dueAt: 0 });
    const renewed = apply(drained(granted), fired(`grant-renewal:${grantId}:1`));
    expect(action(renewed, 'renew-grant')).toMatchObject({ id: `grant-renew:grant-renewal:${grantId}:1`, action: { grantId } });
    expect(action(renewed, 'schedule')?.action.input).toMatchObject({ timerId: `grant-renewal:${grantId}:2` });
    // A timer that is no longer the armed one (a redelivery) renews nothing.
    expect(reduceCall(drained(renewed), fired(`grant-renewal:${grantId}:1`), ctx)).toEqual({ kind: 'unchanged' });
    const stored = apply(
      drained(renewed),
      operation({ '@odata.type': '#microsoft.graph.recordOperation', id: 'op-rec', status: 'completed', clientContext: recordContext, recordingLocation: 'https://media/rec/1', recordingAccessToken: 't' }),
    );
    expect(reduceCall(drained(stored), fired(`grant-renewal:${grantId}:2`), ctx)).toEqual({ kind: 'unchanged' });
  });

  it("reports Graph's answer to a status sent before the call ended, once per clientContext even without an operation id", () => {
    const { record } = awaitingGrant();
    const ended = drained(apply(drained(apply(record, statusRequested('recording'))), call({ state: 'terminated' })));
    const answer = (clientContext: string): ReducerInput => ({ kind: 'recording-status-answered', requestId: clientContext, clientContext, operationId: '', status: 'completed' });
    const first = apply(ended, answer(statusClientContext(grantId, 'recording')));
    const events = first.outbox.flatMap((i) => (i.action.kind === 'publish' ? [i.action.event] : []));
    expect(events).toEqual([expect.objectContaining({ type: 'operation-completed', clientContext: statusClientContext(grantId, 'recording'), status: 'completed' })]);
    expect(kinds(first)).not.toContain('recordResponse');
    expect(reduceCall(drained(first), answer(statusClientContext(grantId, 'recording')), ctx)).toEqual({ kind: 'unchanged' });
    expect(kinds(apply(drained(first), answer(statusClientContext(grantId, 'notRecording'))))).toEqual(['publish']);
  });

  it('forgets a held recording when the call ends (recording-compliance revokes the grant itself)', () => {
    const { record } = awaitingGrant();
    const ended = apply(drained(apply(record, statusRequested('recording'))), call({ state: 'terminated' }));
    expect(ended.recording).toBeUndefined();
    expect(kinds(ended)).not.toContain('stop-grant');
  });
});
