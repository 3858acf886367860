import { readNotification, type CommsNotification } from '@switchboard/graph-models';
import { FlowCatalog } from '../flows/flow-catalog';
import type { CallRecord } from '../orchestration/call-record';
import { reduceCall, type ReduceContext, type ReducerInput } from '../orchestration/call-reducer';
import type { SealedToken } from '../recordings/recording-token-seal';

const callId = '4f1e0b00-1a2b-4c3d-8e9f-0123456789ab';
const welcome = FlowCatalog.load(undefined, 'https://prompts/welcome.wav');
const appHosted = new FlowCatalog(new Map([['welcome', welcome.flow('welcome')!]]), { rules: [], default: { flow: 'welcome', media: 'appHosted' } });
const ctx = (flows: FlowCatalog): ReduceContext => ({
  now: new Date('2026-01-01T00:00:00Z'),
  tenantId: 'tenant-1',
  replicaId: 'r1',
  keepAliveIntervalMs: 600_000,
  flows,
  sealToken: (_token, boundTo) => `sealed(${boundTo})` as SealedToken,
});
const call = (changeType: 'created' | 'updated', state: string): CommsNotification => ({
  changeType,
  resourceUrl: `/communications/calls/${callId}`,
  resourceData: { '@odata.type': '#microsoft.graph.call', id: callId, state, direction: 'incoming', tenantId: 'tenant-1', source: { identity: { user: { id: 'u1' } } } },
});
const facts = (n: CommsNotification): ReducerInput => ({ kind: 'facts', facts: readNotification(n) });

function apply(record: CallRecord | undefined, input: ReducerInput, flows = appHosted): CallRecord {
  const result = reduceCall(record, input, ctx(flows));
  if (result.kind !== 'changed') throw new Error(`expected a change, got ${result.kind}`);
  return result.record;
}
/** What a replica leaves after carrying out the outbox. */
const drained = (r: CallRecord): CallRecord => ({ ...r, doneEffects: [...r.doneEffects, ...r.outbox.filter((i) => i.action.kind !== 'publish').map((i) => i.id)], outbox: [] });
const actions = (r: CallRecord) => r.outbox.map((i) => (i.action.kind === 'publish' ? `event:${i.action.event.type}` : i.action.kind));
const events = (r: CallRecord) => r.outbox.flatMap((i) => (i.action.kind === 'publish' ? [i.action.event] : []));

const placed: ReducerInput = { kind: 'media-placed', requestId: 'media-placed', pod: 'media-1', mediaCallId: callId, blob: '{"podName":"media-1"}' };

describe('app-hosted media in the call reducer', () => {
  it('places an incoming call routed to app-hosted media before answering it, and a service-hosted one not at all', () => {
    expect(actions(apply(undefined, facts(call('created', 'incoming'))))).toEqual(['event:incoming', 'place-media']);
    expect(actions(apply(undefined, facts(call('created', 'incoming')), welcome))).toEqual(['event:incoming', 'answer']);
  });

  it('records the pod once and answers with its blob; a second placement (a repeat) changes nothing', () => {
    const record = apply(drained(apply(undefined, facts(call('created', 'incoming')))), placed);
    expect(record.media).toEqual({ pod: 'media-1', mediaCallId: callId });
    expect(actions(record)).toEqual(['event:media-placed', 'answer']);
    expect(record.outbox[1].action).toEqual({ kind: 'answer', media: { blob: '{"podName":"media-1"}' } });
    expect(events(record)[0]).toMatchObject({ type: 'media-placed', pod: 'media-1', mediaCallId: callId });
    const again = reduceCall(drained(record), { ...placed, pod: 'media-2' }, ctx(appHosted));
    expect(again).toEqual({ kind: 'unchanged' });
  });

  it('refuses the call with the reason when no pod can take it', () => {
    const record = apply(drained(apply(undefined, facts(call('created', 'incoming')))), { kind: 'media-placement-failed', requestId: 'media-placed', reason: 'no media pod is registered' });
    expect(record.media).toBeUndefined();
    expect(actions(record)).toEqual(['event:call-failed', 'reject']);
    expect(events(record)[0]).toMatchObject({ type: 'call-failed', reason: 'no media pod is registered' });
    expect(record.outbox[1].action).toEqual({ kind: 'reject', reason: 'busy' });
  });

  it('ends an established call whose pod is lost, once, and ignores the loss of another pod', () => {
    let record = drained(apply(drained(apply(undefined, facts(call('created', 'incoming')))), placed));
    record = drained(apply(record, facts(call('updated', 'established'))));
    expect(reduceCall(record, { kind: 'media-lost', requestId: 'media-lost:media-2', pod: 'media-2', reason: 'gone' }, ctx(appHosted))).toEqual({ kind: 'unchanged' });
    const lost = apply(record, { kind: 'media-lost', requestId: 'media-lost:media-1', pod: 'media-1', reason: 'no heartbeat from the pod for 4000 ms' });
    expect(actions(lost)).toEqual(['event:media-lost', 'hangUp']);
    expect(events(lost)[0]).toMatchObject({ type: 'media-lost', pod: 'media-1', reason: 'no heartbeat from the pod for 4000 ms' });
    expect(lost.media?.lost).toBe('no heartbeat from the pod for 4000 ms');
    expect(reduceCall(drained(lost), { kind: 'media-lost', requestId: 'media-lost:media-1', pod: 'media-1', reason: 'again' }, ctx(appHosted))).toEqual({ kind: 'unchanged' });
  });
});
