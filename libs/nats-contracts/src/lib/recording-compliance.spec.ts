import { auditQuerySchema, complianceNames, parseStatusClientContext, startGrantRequestSchema, statusClientContext } from './recording-compliance';
import { callCommandSchemas } from './call-commands';

const GRANT = '1b4e28ba-2fa1-41d2-883f-0016d3cca427';

describe('recording-compliance contracts', () => {
  it('namespaces subjects, the audit stream and the grants bucket like every other name', () => {
    const names = complianceNames('acme');
    expect(names.commandSubject('start')).toBe('acme.compliance.v1.commands.start');
    expect(names.auditSubject('ABC-1')).toBe('acme.compliance.v1.audit.abc-1');
    expect(names.streams).toEqual(['ACME_COMPLIANCE_AUDIT', 'ACME_COMPLIANCE_DLQ', 'KV_acme_compliance_grants']);
    expect(complianceNames().eventSubject('revoked')).toBe('compliance.v1.events.revoked');
    expect(() => complianceNames('Bad_NS')).toThrow(/must be lower-case/);
  });

  it('reads back the grant and status of its own clientContexts only', () => {
    expect(parseStatusClientContext(statusClientContext(GRANT, 'notRecording'))).toEqual({ grantId: GRANT, status: 'notRecording' });
    expect(parseStatusClientContext('flow:play:1')).toBeUndefined();
    expect(parseStatusClientContext(`compliance:${GRANT}:paused`)).toBeUndefined();
    expect(parseStatusClientContext(undefined)).toBeUndefined();
  });

  it('refuses a start without a recorder, with unknown fields, or for an id that is no Graph call id', () => {
    const paths = (v: unknown) => startGrantRequestSchema.safeParse(v).error?.issues.map((i) => i.path.join('.'));
    expect(paths({ callId: 'c-1', recorder: 'media-0' })).toBeUndefined();
    expect(paths({ callId: 'c-1' })).toEqual(['recorder']);
    expect(paths({ callId: 'c/1', recorder: 'r', extra: 1 })).toEqual(['callId', '']);
  });

  it('needs a call or a time range to query the audit trail, in order', () => {
    expect(auditQuerySchema.safeParse({}).success).toBe(false);
    expect(auditQuerySchema.safeParse({ from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' }).error?.issues[0].path).toEqual(['to']);
    expect(auditQuerySchema.safeParse({ callId: 'c-1' }).success).toBe(true);
  });

  it('has signaling take updateRecordingStatus with a status and a clientContext naming its cause', () => {
    const schema = callCommandSchemas['update-recording-status'];
    expect(schema.safeParse({ callId: 'c-1', status: 'recording', clientContext: 'compliance:x:recording' }).success).toBe(true);
    expect(schema.safeParse({ callId: 'c-1', status: 'recording' }).error?.issues[0].path).toEqual(['clientContext']);
    expect(schema.safeParse({ callId: 'c-1', status: 'paused', clientContext: 'x' }).error?.issues[0].path).toEqual(['status']);
  });
});
