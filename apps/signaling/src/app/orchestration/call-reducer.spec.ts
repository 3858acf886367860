import { commsNotificationsSchema, documentedNotifications, readNotification, type CommsNotification } from '@switchboard/graph-models';
import { parseFlow } from '@switchboard/ivr-engine';
import type { CallRecord } from './call-record';
import { reduceCall, type ReduceContext, type ReducerInput } from './call-reducer';
import { testReduceContext } from './reduce-context.testing';

const callId = '4f1e0b00-1a2b-4c3d-8e9f-0123456789ab';
const ctx = testReduceContext;
const url = `/communications/calls/${callId}`;

const incoming: CommsNotification = {
  changeType: 'created',
  resourceUrl: url,
  resourceData: {
    '@odata.type': '#microsoft.graph.call',
    id: callId,
    state: 'incoming',
    direction: 'incoming',
    tenantId: 'tenant-1',
    source: { identity: { user: { id: 'u1', displayName: 'Ada' } } },
    targets: [{ identity: { application: { id: 'bot-app' } } }],
  },
};
const update = (resourceData: Record<string, unknown>, changeType: 'updated' | 'deleted' = 'updated'): CommsNotification => ({
  changeType,
  resourceUrl: url,
  resourceData: { '@odata.type': '#microsoft.graph.call', ...resourceData },
});

const facts = (n: CommsNotification): ReducerInput => ({ kind: 'facts', facts: readNotification(n) });

function apply(record: CallRecord | undefined, n: CommsNotification | ReducerInput): CallRecord {
  const result = reduceCall(record, 'changeType' in n ? facts(n) : n, ctx);
  if (result.kind !== 'changed') throw new Error(`expected a change, got ${result.kind}`);
  return result.record;
}
const actions = (r: CallRecord) => r.outbox.map((i) => (i.action.kind === 'publish' ? `event:${i.action.event.type}` : i.action.kind === 'schedule' ? `schedule:${i.action.input.kind}` : i.action.kind));
/** What a replica does after carrying out the outbox: empties it, remembering Graph effects. */
const drained = (r: CallRecord): CallRecord => ({
  ...r,
  doneEffects: [...r.doneEffects, ...r.outbox.filter((i) => i.action.kind !== 'publish').map((i) => i.id)],
  outbox: [],
});

describe('reduceCall', () => {
  it('hands a policy-based recording invitation to recording-compliance: announced with the policy, not answered here, no flow', () => {
    const invite: CommsNotification = {
      ...incoming,
      resourceData: {
        ...(incoming.resourceData as Record<string, unknown>),
        incomingContext: { observedParticipantId: 'p-recorded', sourceParticipantId: 'p-recorded' },
        meetingInfo: { '@odata.type': '#microsoft.graph.tokenMeetingInfo', token: 't0k' },
        applicationMetadata: { botData: { inviteReasons: ['PolicyBasedRecording'], policyIdentifier: 'tag:Bank' } },
      },
    };
    const record = apply(undefined, invite);
    expect(record.handler).toEqual({ kind: 'app', app: 'recording-compliance' });
    expect(actions(record)).toEqual(['event:incoming']);
    const announced = record.outbox[0].action;
    expect(announced.kind === 'publish' && announced.event).toMatchObject({ policyRecording: { observedParticipantId: 'p-recorded', policyId: 'tag:Bank', meeting: true } });
    expect(actions(apply(drained(record), update({ state: 'established' })))).not.toContain('playPrompt');
  });

  it('answers an incoming call once and announces it, claimed by this replica', () => {
    const record = apply(undefined, incoming);
    expect(record).toMatchObject({ callId, state: 'incoming', tenantId: 'tenant-1', caller: { kind: 'user', id: 'u1', displayName: 'Ada' } });
    expect(actions(record)).toEqual(['event:incoming', 'answer']);
    expect(record.outbox.every((i) => i.claimedBy === 'r1')).toBe(true);
    expect(reduceCall(record, facts(incoming), ctx)).toEqual({ kind: 'unchanged' });
  });

  it('refuses an incoming call (busy) instead of answering it while the replica is over capacity, and announces it', () => {
    const result = reduceCall(undefined, facts(incoming), { ...ctx, admitting: false });
    if (result.kind !== 'changed') throw new Error(`expected a change, got ${result.kind}`);
    expect(actions(result.record)).toEqual(['event:incoming', 'reject']);
    expect(result.record.outbox[1]).toMatchObject({ id: 'reject', action: { kind: 'reject', reason: 'busy' } });
    const ended = apply(drained(result.record), update({ state: 'terminated', resultInfo: { code: 603, subcode: 0 } }, 'deleted'));
    expect(ended.state).toBe('terminated');
    expect(actions(ended)).toEqual(['event:state-changed', 'event:terminated']);
  });

  it('ignores an update for a call it does not know', () => {
    const result = reduceCall(undefined, facts(update({ state: 'established' })), ctx);
    expect(result).toEqual({ kind: 'ignored', reason: `no call ${callId} is known here` });
  });

  it('plays the welcome prompt and subscribes to tones once established, even if establishing arrives late', () => {
    let record = drained(apply(undefined, incoming));
    record = apply(record, update({ state: 'established', mediaState: { audio: 'active' } }));
    expect(actions(record)).toEqual(['event:state-changed', 'schedule:timer', 'event:established', 'subscribeToTone', 'playPrompt']);
    record = drained(record);
    expect(reduceCall(record, facts(update({ state: 'establishing' })), ctx)).toEqual({ kind: 'unchanged' });
    expect(reduceCall(record, facts(update({ state: 'established' })), ctx)).toEqual({ kind: 'unchanged' });
  });

  it('turns each new tone into one event and drops repeats', () => {
    let record = drained(apply(drained(apply(undefined, incoming)), update({ state: 'established' })));
    record = apply(record, update({ toneInfo: { sequenceId: 1, tone: 'tone1' } }));
    const tone = record.outbox[0].action;
    expect(record.outbox).toHaveLength(1);
    expect(tone).toMatchObject({ kind: 'publish', event: { type: 'tone', tone: 'tone1', digit: '1', sequenceId: 1 } });
    record = drained(record);
    expect(reduceCall(record, facts(update({ toneInfo: { sequenceId: 1, tone: 'tone1' } })), ctx)).toEqual({ kind: 'unchanged' });
    expect(actions(apply(record, update({ toneInfo: { sequenceId: 2, tone: 'pound' } })))).toEqual(['event:tone']);
  });

  it('ends the call with the decoded result and drops Graph effects still pending', () => {
    const record = apply(apply(undefined, incoming), update({ state: 'terminated', resultInfo: { code: '200', subCode: '4097', message: 'bye' } }, 'deleted'));
    expect(record.state).toBe('terminated');
    expect(record.resultInfo).toEqual({ code: 200, subcode: 4097, message: 'bye' });
    expect(actions(record)).toEqual(['event:incoming', 'event:state-changed', 'event:terminated']);
    const terminated = record.outbox.at(-1)!.action;
    expect(terminated).toMatchObject({ event: { type: 'terminated', resultInfo: { code: 200, subcode: 4097 }, explanation: { outcome: 'success' } } });
    expect(reduceCall(drained(record), facts(update({ state: 'established' })), ctx)).toEqual({ kind: 'unchanged' });
  });

  it('reports a finished operation once', () => {
    const record = drained(apply(undefined, incoming));
    const done: CommsNotification = {
      changeType: 'deleted',
      resourceUrl: `${url}/operations/op-1`,
      resourceData: { '@odata.type': '#microsoft.graph.playPromptOperation', id: 'op-1', status: 'completed', clientContext: 'prompt:welcome', resultInfo: { code: 200, subcode: 0 } },
    };
    const after = apply(record, done);
    expect(after.outbox[0].action).toMatchObject({ event: { type: 'operation-completed', operationId: 'op-1', operationKind: 'playPromptOperation', status: 'completed' } });
    expect(reduceCall(drained(after), facts(done), ctx)).toEqual({ kind: 'unchanged' });
  });

  it('numbers event ids per call so each is unique', () => {
    const record = apply(apply(undefined, incoming), update({ state: 'established' }));
    const ids = record.outbox.filter((i) => i.action.kind === 'publish').map((i) => (i.action.kind === 'publish' ? i.action.event.eventId : ''));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toBe(`${callId}:1:incoming`);
  });

  it('keeps a live call alive from its stored timers, and ignores a stale or late timer', () => {
    const record = drained(apply(drained(apply(undefined, incoming)), update({ state: 'established' })));
    const armed = record.timers.keepAlive!;
    expect(armed).toBe(`${callId}:keepAlive:1`);
    const fire = (timerId: string): ReducerInput => ({ kind: 'timer', timerId, purpose: 'keepAlive', dueAt: 0 });
    const after = apply(record, fire(armed));
    expect(actions(after)).toEqual(['keepAlive', 'schedule:timer']);
    expect(after.outbox[1].action).toMatchObject({ input: { timerId: `${callId}:keepAlive:2`, dueAt: ctx.now.getTime() + 600_000 } });
    expect(reduceCall(drained(after), fire(armed), ctx)).toMatchObject({ kind: 'ignored' });
    const ended = drained(apply(drained(after), update({ state: 'terminated' }, 'deleted')));
    expect(ended.timers).toEqual({});
    expect(reduceCall(ended, fire(`${callId}:keepAlive:2`), ctx)).toMatchObject({ kind: 'ignored' });
  });

  it('applies a tone redelivered after later ones (a replica died holding it), once', () => {
    let record = drained(apply(drained(apply(undefined, incoming)), update({ state: 'established' })));
    for (const sequenceId of [1, 3, 4]) record = drained(apply(record, update({ toneInfo: { sequenceId, tone: 'tone1' } })));
    const late = apply(record, update({ toneInfo: { sequenceId: 2, tone: 'tone2' } }));
    expect(late.outbox[0].action).toMatchObject({ event: { type: 'tone', sequenceId: 2, digit: '2' } });
    expect(reduceCall(drained(late), facts(update({ toneInfo: { sequenceId: 2, tone: 'tone2' } })), ctx)).toEqual({ kind: 'unchanged' });
  });

  it('does not repeat an effect whose outcome Graph already reported (a replica died before settling it)', () => {
    // The answer was sent but not settled: Graph's establishing notification shows it was carried out.
    const answered = apply(apply(undefined, incoming), update({ state: 'establishing' }));
    expect(actions(answered)).not.toContain('answer');
    expect(answered.doneEffects).toContain('answer');
    // The welcome prompt was sent but not settled: its completion arrives.
    const established = apply(drained(answered), update({ state: 'established' }));
    const prompt = established.outbox.find((i) => i.action.kind === 'playPrompt')!;
    const completed = apply(established, {
      changeType: 'deleted',
      resourceUrl: `${url}/operations/op-9`,
      resourceData: { '@odata.type': '#microsoft.graph.playPromptOperation', id: 'op-9', status: 'completed', clientContext: prompt.clientContext },
    });
    expect(completed.outbox.some((i) => i.id === prompt.id)).toBe(false);
    expect(completed.doneEffects).toContain(prompt.id);
  });

  describe('a recorded message', () => {
    const token = 'graph-recording-access-token-0123456789';
    const voicemail = parseFlow('id: voicemail\nversion: 1\nstart: message\nsteps:\n  message: { record: { maxDurationSeconds: 30 }, next: bye }\n  bye: { hangup: }\n', 'voicemail.yaml');
    const recordingCtx: ReduceContext = { ...ctx, flows: { flow: () => voicemail, route: () => ({ kind: 'flow', flowId: 'voicemail' }) } };
    const step = (record: CallRecord | undefined, n: CommsNotification | ReducerInput) => {
      const result = reduceCall(record, 'changeType' in n ? facts(n) : n, recordingCtx);
      if (result.kind !== 'changed') throw new Error(`expected a change, got ${result.kind}`);
      return result.record;
    };
    const grantId = 'a4b1c2d3-0000-4000-8000-000000000001';
    /** recording-compliance had `recording` sent for the grant, and Graph accepted it (recordings/recording-gate.spec.ts). */
    const granted = (record: CallRecord) => {
      const clientContext = `compliance:${grantId}:recording`;
      const asked = step(record, { kind: 'recording-status', requestId: 'r1', status: 'recording', clientContext });
      return step(drained(asked), { kind: 'recording-status-answered', requestId: 'r2', clientContext, operationId: 'op-status', status: 'completed' });
    };

    it('is stored by an effect holding the access token sealed; the token is nowhere else in the record', () => {
      const established = granted(drained(step(drained(step(undefined, incoming)), update({ state: 'established' }))));
      const record = established.outbox.find((i) => i.action.kind === 'recordResponse')!;
      const completed = step(drained(established), {
        changeType: 'deleted',
        resourceUrl: `${url}/operations/op-rec`,
        resourceData: {
          '@odata.type': '#microsoft.graph.recordOperation',
          id: 'op-rec',
          status: 'completed',
          clientContext: record.clientContext,
          recordingLocation: 'https://media.example/rec/1',
          recordingAccessToken: token,
          completionReason: 'maxRecordDurationReached',
        },
      });
      const store = completed.outbox.find((i) => i.action.kind === 'store-recording')!;
      const name = `${callId}/${completed.eventCount - 1}.wav`;
      expect(store.id).toBe(`store-recording:${name}`);
      const at = recordingCtx.now.toISOString();
      expect(store.action).toEqual({ kind: 'store-recording', location: 'https://media.example/rec/1', name, sealedAccessToken: `sealed(${name})`, grantId, startedAt: at, endedAt: at });
      const available = completed.outbox.find((i) => i.action.kind === 'publish' && i.action.event.type === 'flow-event' && i.action.event.name === 'recording-available');
      expect(available?.action).toMatchObject({ event: { data: { location: 'https://media.example/rec/1', clientContext: record.clientContext } } });
      expect(JSON.stringify(completed)).not.toContain(token);
    });
  });
});

describe('reduceCall on notifications as Microsoft documents them', () => {
  /** A documented notification moved onto this test's call, so it meets a known record. */
  const documented = (name: string): CommsNotification => {
    const shape = documentedNotifications.find((d) => d.name === name);
    if (!shape) throw new Error(`no documented notification "${name}"`);
    const [n] = commsNotificationsSchema.parse(shape.body).value;
    return { ...n, resourceUrl: (n.resourceUrl ?? n.resource ?? '').replace(/calls\/[^/]+/, `calls/${callId}`) };
  };
  const events = (r: CallRecord) => r.outbox.flatMap((i) => (i.action.kind === 'publish' ? [i.action.event] : []));
  const established = () => drained(apply(drained(apply(undefined, incoming)), update({ state: 'established' })));

  it('applies a call state in other casing', () => {
    const record = apply(drained(apply(undefined, incoming)), documented('call state in other casing (Established)'));
    expect(record.state).toBe('established');
    expect(events(record).map((e) => e.type)).toEqual(['state-changed', 'established']);
  });

  it('reports a sendDtmfTones completed with an error completionReason as failed, and a success as completed', () => {
    for (const [name, status] of [
      ['sendDtmfTones completed successfully', 'completed'],
      ['sendDtmfTones completed with completionReason mediaOperationCanceled', 'failed'],
      ['sendDtmfTones completed with completionReason unknown', 'failed'],
      ['operation status in other casing (Completed)', 'completed'],
    ] as const) {
      expect(events(apply(established(), documented(name)))).toMatchObject([
        { type: 'operation-completed', operationKind: 'sendDtmfTonesOperation', operationId: 'd36fe651-9f50-484d-bd4b-1e6415eae448', status },
      ]);
    }
  });

  it('finishes an operation named only by its resourceUrl, once', () => {
    const record = established();
    for (const name of ['operation without id in resourceData', 'invite operation completed with id null (the id is in resourceUrl)']) {
      const after = apply(record, documented(name));
      const [event] = events(after);
      expect(event).toMatchObject({ type: 'operation-completed', status: 'completed' });
      expect(reduceCall(drained(after), facts(documented(name)), ctx)).toEqual({ kind: 'unchanged' });
    }
  });

  it('tells apart two invites that both complete on /operations/participants without an id, by their clientContext', () => {
    const first = documented('invite operation completed with id null (the id is in resourceUrl)');
    const second: CommsNotification = { ...first, resourceData: { ...(first.resourceData as Record<string, unknown>), clientContext: 'invite:2' } };
    const afterFirst = drained(apply(established(), first));
    expect(events(apply(afterFirst, second))).toMatchObject([{ type: 'operation-completed', operationId: 'participants', clientContext: 'invite:2' }]);
    expect(reduceCall(afterFirst, facts(first), ctx)).toEqual({ kind: 'unchanged' });
  });

  it('takes a failed transfer with subCode or string codes back to established, with the decoded result', () => {
    for (const name of ['transfer failed, resultInfo with subCode', 'result codes as strings']) {
      const transferring = drained(apply(established(), update({ state: 'transferring' })));
      const back = apply(transferring, documented(name));
      expect(back.state).toBe('established');
      expect(events(back)).toMatchObject([{ type: 'state-changed', from: 'transferring', to: 'established' }]);
    }
  });

  it('reads rosters (ids null, sent on an invite operation URL) and content sharing, with or without resourceData, without a gap', () => {
    for (const name of [
      'roster with an invitee whose participant id is null',
      'roster sent on the invite operation URL',
      'content sharing ended',
      'content sharing without resourceData',
    ]) {
      const input = facts(documented(name));
      expect(input.kind === 'facts' && input.facts.filter((f) => f.type === 'unrecognised')).toEqual([]);
      expect(reduceCall(established(), input, ctx)).toEqual({ kind: 'unchanged' });
    }
  });
});
