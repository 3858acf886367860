import { failure, type ApiAuthenticator } from '@switchboard/api-auth';
import type { AuditRecord } from '@switchboard/nats-contracts';
import { RecordingsApi } from '../recordings/recordings-api';
import { auditAnswer } from './audit-api';

/** A token check that accepts `Bearer ok` with the given roles (the authenticator is libs/api-auth's, tested there). */
const authenticator = (roles: string[]) =>
  ({
    authorize: async (authorization: string | undefined, role: string, action: string) => {
      if (authorization !== 'Bearer ok') throw failure(401, 'Unauthenticated', 'missing bearer token in the Authorization header');
      if (!roles.includes(role)) throw failure(403, 'Forbidden', `${action} needs the ${role} role`);
      return { subject: 'auditor', roles };
    },
  }) as unknown as ApiAuthenticator;

const record = (n: number): AuditRecord => ({ auditId: `a${n}`, at: `2026-01-01T00:00:0${n}.000Z`, action: 'granted', actor: 'graph', callId: 'c-1' });

describe('the audit and recordings REST answers', () => {
  const asked: unknown[] = [];
  const audit = { query: async (q: unknown) => (asked.push(q), [record(1), record(2)]) };

  it('exports the records of a call as JSON Lines, one record per line in order', async () => {
    const answer = await auditAnswer(authenticator(['Compliance.Read']), audit, { authorization: 'Bearer ok', query: { callId: 'c-1', format: 'jsonl', limit: '5' } });
    expect(answer.contentType).toBe('application/x-ndjson');
    expect(answer.body.trimEnd().split('\n').map((l) => JSON.parse(l).auditId)).toEqual(['a1', 'a2']);
    expect(asked.at(-1)).toEqual({ callId: 'c-1', limit: 5 });
  });

  it('refuses without the role, without a token, and a query that names neither call nor start, before reading anything', async () => {
    const before = asked.length;
    await expect(auditAnswer(authenticator([]), audit, { authorization: 'Bearer ok', query: { callId: 'c-1' } })).rejects.toMatchObject({ status: 403 });
    await expect(auditAnswer(authenticator(['Compliance.Read']), audit, { query: { callId: 'c-1' } })).rejects.toMatchObject({ status: 401 });
    await expect(auditAnswer(authenticator(['Compliance.Read']), audit, { authorization: 'Bearer ok', query: { to: '2026-01-01T00:00:00Z' } })).rejects.toMatchObject({
      status: 400,
      code: 'InvalidRequest',
      message: expect.stringMatching(/give callId, or a time range/),
    });
    await expect(auditAnswer(undefined, audit, { authorization: 'Bearer ok', query: { callId: 'c-1' } })).rejects.toMatchObject({ status: 503, code: 'NotConfigured' });
    expect(asked.length).toBe(before);
  });

  it('answers 503 for recordings without storage and 404 for an unknown recording', async () => {
    const appended: unknown[] = [];
    const sink = { append: async (entry: unknown) => void appended.push(entry) };
    await expect(new RecordingsApi(authenticator(['Compliance.Read']), undefined, sink).list('Bearer ok', {})).rejects.toMatchObject({ status: 503, message: expect.stringMatching(/BLOB_CONNECTION_STRING/) });
    const catalog = { get: async () => undefined, list: async () => [] };
    await expect(new RecordingsApi(authenticator(['Compliance.Read']), catalog, sink).download('Bearer ok', 'nope')).rejects.toMatchObject({ status: 404, code: 'RecordingNotFound' });
    expect(appended).toEqual([]);
  });
});
