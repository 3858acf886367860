import { natsNames, natsNamespaceSchema } from './names';

describe('natsNames', () => {
  it('uses the plain versioned subjects without a namespace', () => {
    const n = natsNames();
    expect(n.eventSubject('tone')).toBe('calls.v1.events.tone');
    expect(n.notificationSubject('ABC-1')).toBe('graph.v1.notifications.abc-1');
    expect(n.notificationsStream).toBe('GRAPH_NOTIFICATIONS');
    expect(n.callStateBucket).toBe('call_state');
  });

  it('prefixes every subject and name with the namespace', () => {
    const n = natsNames('t-42');
    expect(n.eventSubjects).toBe('t-42.calls.v1.events.>');
    expect(n.notificationSubjects).toBe('t-42.graph.v1.notifications.>');
    expect(n.notificationsStream).toBe('T_42_GRAPH_NOTIFICATIONS');
    expect(n.callStateBucket).toBe('t_42_call_state');
    expect(n.webhookConsumer('crm')).toBe('T_42_customer_webhook_crm');
    expect(n.streams).toContain('KV_t_42_webhook_deliveries');
  });

  it('names command subjects and the idempotency bucket per namespace', () => {
    expect(natsNames().commandSubject('place')).toBe('calls.v1.commands.place');
    const n = natsNames('t-42');
    expect(n.commandSubject('hang-up')).toBe('t-42.calls.v1.commands.hang-up');
    expect(n.apiIdempotencyBucket).toBe('t_42_api_idempotency');
    expect(n.streams).toContain('KV_t_42_api_idempotency');
    expect(() => n.commandSubject('a.b')).toThrow(/command action "a.b"/);
  });

  it('refuses a namespace that would break subjects', () => {
    expect(() => natsNames('a.b')).toThrow(/namespace "a.b"/);
    expect(() => natsNames('Upper')).toThrow(/namespace/);
  });

  it('reads NATS_NAMESPACE with the same rule', () => {
    expect(natsNamespaceSchema.parse(undefined)).toBe('');
    expect(natsNamespaceSchema.parse('t-42')).toBe('t-42');
    expect(natsNamespaceSchema.safeParse('A.B').error?.issues[0]?.message).toBe('lower-case letters, digits and dashes, at most 32');
  });

  it('puts any call id in one subject token', () => {
    expect(natsNames().inputSubject('bridge:7@pod-0')).toMatch(/^signaling\.v1\.inputs\._[A-Za-z0-9_-]+$/);
    expect(() => natsNames().notificationSubject('a>b')).toThrow(/call id/);
  });
});
