import inviteResponse from '../fixtures/docs/participant-invite.ex1.response.json';
import { documentedNotifications } from './documented-notifications';
import { commsNotificationsSchema } from './notifications';
import { commsOperationSchema, operationSucceeded } from './operations';
import { readNotifications, type NotificationFact } from './readers';

const shape = (name: string) => {
  const found = documentedNotifications.find((d) => d.name === name);
  if (!found) throw new Error(`no documented notification "${name}"`);
  return found;
};
const factsOf = (name: string): NotificationFact[] => readNotifications(commsNotificationsSchema.parse(shape(name).body));
const only = <T extends NotificationFact['type']>(name: string, type: T): Extract<NotificationFact, { type: T }> => {
  const facts = factsOf(name);
  expect(facts.map((f) => f.type)).toEqual([type]);
  return facts[0] as Extract<NotificationFact, { type: T }>;
};

describe('notifications as Microsoft documents them', () => {
  it.each(documentedNotifications.map((d) => [d.name, d.source] as const))('reads "%s" (%s) without a gap', (name) => {
    expect(factsOf(name).filter((f) => f.type === 'unrecognised')).toEqual([]);
  });

  it('normalises enum values sent in other casing', () => {
    expect(only('call state in other casing (Established)', 'call').call.state).toBe('established');
    expect(only('operation status in other casing (Completed)', 'operation').operation.status).toBe('completed');
    expect(commsOperationSchema.parse(inviteResponse).status).toBe('running');
  });

  it('reads result codes sent as strings, and subCode as subcode', () => {
    expect(only('result codes as strings', 'call').call.resultInfo).toEqual({ code: 500, subcode: 7000, message: '<message>' });
    expect(only('transfer failed, resultInfo with subCode', 'call').call.resultInfo).toEqual({ code: 500, subcode: 7000, message: '<message>' });
  });

  it('takes the operation id from resourceUrl when resourceData has none or null', () => {
    const missing = only('operation without id in resourceData', 'operation');
    expect([missing.operationId, missing.operation.id]).toEqual(['d36fe651-9f50-484d-bd4b-1e6415eae448', 'd36fe651-9f50-484d-bd4b-1e6415eae448']);
    const nulled = only('invite operation completed with id null (the id is in resourceUrl)', 'operation');
    expect(nulled).toMatchObject({ operationId: 'participants', operation: { id: 'participants', kind: 'inviteParticipantsOperation', status: 'completed' } });
  });

  it('reads roster entries whose participant id is null, also on an invite operation URL', () => {
    const roster = only('roster with an invitee whose participant id is null', 'participants');
    expect(roster).toMatchObject({ complete: true, participants: [{ id: null, info: { identity: { application: { id: '278405a3-f568-4b3e-b684-009193463064' } } } }] });
    const onOperation = only('roster sent on the invite operation URL', 'participants');
    expect(onOperation.callId).toBe('7531d31f-d10d-44de-802f-c569dbca451c');
    expect(onOperation.participants.map((p) => [p.id, p.mediaStreams?.[0].sourceId])).toEqual([[null, '1'], [null, '3']]);
  });

  it('tells a sendDtmfTones that completed with an error completionReason from a success', () => {
    const outcome = (name: string) => operationSucceeded(only(name, 'operation').operation);
    expect(outcome('sendDtmfTones completed successfully')).toBe(true);
    expect(outcome('sendDtmfTones completed with completionReason mediaOperationCanceled')).toBe(false);
    expect(outcome('sendDtmfTones completed with completionReason unknown')).toBe(false);
    expect(outcome('invite operation completed')).toBe(true);
  });

  it('reads content sharing with and without resourceData', () => {
    expect(only('content sharing ended', 'contentSharing')).toMatchObject({ changeType: 'deleted', items: [{ id: 'F7D9EF30FF0A9BD3F64B274387FB8FF8E96B6CFBA8F87F8305A74DE99AF007BC' }] });
    expect(only('content sharing without resourceData', 'contentSharing')).toMatchObject({ changeType: 'deleted', items: [] });
  });
});
