import callEstablished from '../fixtures/call-established.json';
import incomingCall from '../fixtures/incoming-call.json';
import roster from '../fixtures/roster.json';
import {
  commsNotificationsSchema,
  notificationResource,
  parseResourceUrl,
  resourceDataItems,
  type CommsNotification,
} from './notifications';

const notification = (overrides: Record<string, unknown> = {}) => ({
  changeType: 'updated',
  resourceUrl: '/communications/calls/421f1100-9f6e-4d7c-8c2a-2e1d6a3b4c5d',
  resourceData: { state: 'established' },
  ...overrides,
});
const issuesOf = (body: unknown) => {
  const result = commsNotificationsSchema.safeParse(body);
  expect(result.success).toBe(false);
  return result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('commsNotificationsSchema', () => {
  it('reads an envelope whose resourceData is one entity', () => {
    const batch = commsNotificationsSchema.parse(incomingCall);
    expect(batch.value).toHaveLength(1);
    const [n] = batch.value;
    expect(n.changeType).toBe('created');
    expect(resourceDataItems(n)).toEqual([incomingCall.value[0].resourceData]);
  });

  it('reads an envelope whose resourceData is an array', () => {
    const [n] = commsNotificationsSchema.parse(roster).value;
    expect(resourceDataItems(n).map((p) => p['id'])).toEqual([
      '2f3e4d5c-6b7a-4898-a7b6-c5d4e3f2a1b0',
      'd2c1e8f0-1b2a-4c3d-9e8f-7a6b5c4d3e2f',
    ]);
  });

  it('accepts the legacy resource key, a missing leading slash and a 32-hex id in upper case', () => {
    const [n] = commsNotificationsSchema.parse(callEstablished).value;
    expect(n.resourceUrl).toBeUndefined();
    expect(notificationResource(n)).toEqual({ callId: '5a1f0b2c3d4e5f60718293a4b5c6d7e8', kind: 'call' });
  });

  it('keeps properties it does not know, so new Graph fields do not break parsing', () => {
    const [n] = commsNotificationsSchema.parse({ value: [notification({ sequence: 7 })] }).value;
    expect(n['sequence']).toBe(7);
  });

  it('has no items when resourceData is missing or null', () => {
    const [a, b] = commsNotificationsSchema.parse({
      value: [notification({ resourceData: undefined }), notification({ resourceData: null })],
    }).value;
    expect(resourceDataItems(a)).toEqual([]);
    expect(resourceDataItems(b)).toEqual([]);
  });

  it('refuses what is not a batch', () => {
    expect(issuesOf(notification())).toEqual([expect.stringMatching(/^value: /)]);
    expect(issuesOf([notification()])).toHaveLength(1);
    expect(issuesOf('{"value":[]}')).toHaveLength(1);
    expect(issuesOf(null)).toHaveLength(1);
  });

  it('refuses an empty batch', () => {
    expect(issuesOf({ value: [] })).toEqual(['value: value must hold at least one notification']);
  });

  it('refuses a wrong changeType, naming the notification', () => {
    expect(issuesOf({ value: [notification(), notification({ changeType: 'removed' })] })).toEqual([
      expect.stringMatching(/^value\.1\.changeType: /),
    ]);
  });

  it('refuses a notification with neither resourceUrl nor resource', () => {
    expect(issuesOf({ value: [notification({ resourceUrl: undefined })] })).toEqual([
      'value.0.resourceUrl: a notification needs resourceUrl (or the legacy resource)',
    ]);
  });

  it('refuses resourceData that is not an object', () => {
    expect(issuesOf({ value: [notification({ resourceData: 'established' })] })).toEqual([
      expect.stringMatching(/^value\.0\.resourceData: /),
    ]);
    expect(issuesOf({ value: [notification({ resourceData: [1, 2] })] }).length).toBeGreaterThan(0);
  });
});

describe('parseResourceUrl', () => {
  it.each([
    ['/communications/calls/ABC/participants', { callId: 'abc', kind: 'participants' }],
    ['/communications/calls/abc/participants/p1', { callId: 'abc', kind: 'participants', subId: 'p1' }],
    ['/communications/calls/abc/operations/Op-1', { callId: 'abc', kind: 'operation', subId: 'Op-1' }],
    ['/communications/calls/abc/contentsharingsessions', { callId: 'abc', kind: 'contentSharingSessions' }],
    ['communications/calls/abc/', { callId: 'abc', kind: 'call' }],
    ['/app/calls/abc', { callId: 'abc', kind: 'call' }],
  ])('reads %s', (url, ref) => {
    expect(parseResourceUrl(url)).toEqual(ref);
  });

  it.each([
    '',
    '/communications/onlineMeetings/abc',
    '/communications/calls/',
    '/communications/calls/abc/operations',
    '/communications/calls/abc/unknown',
  ])('does not read %j', (url) => {
    expect(parseResourceUrl(url)).toBeUndefined();
  });

  it('prefers resourceUrl over the legacy resource', () => {
    const n = { changeType: 'updated', resourceUrl: '/communications/calls/a', resource: '/app/calls/b' } as CommsNotification;
    expect(notificationResource(n)?.callId).toBe('a');
  });
});
