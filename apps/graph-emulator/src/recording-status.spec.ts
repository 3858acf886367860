import { answeredCall, call, operationDone, snapshotOf, useBotFixture } from '../test/harness';

const behave = (f: ReturnType<typeof useBotFixture>, body: unknown) => call(f.emulator, 'PUT', '/emulator/recording-status', { body });

describe('updateRecordingStatus', () => {
  const f = useBotFixture('all');
  afterEach(async () => {
    await call(f.emulator, 'DELETE', '/emulator/recording-status');
  });

  it('by default answers 200 with the operation completed at once, and sends no notification for it', async () => {
    const id = await answeredCall(f);
    const res = await f.graph('POST', `/${id}/updateRecordingStatus`, { status: 'recording', clientContext: 'c1' });
    expect(res.status).toBe(200);
    const op = res.json as { id: string };
    expect(op).toMatchObject({ '@odata.type': '#microsoft.graph.updateRecordingStatusOperation', status: 'completed', clientContext: 'c1', resultInfo: { code: 200 } });
    expect((await snapshotOf(f, id)).recordingStatus).toBe('recording');
    await new Promise((r) => setTimeout(r, 100));
    expect(f.bot.forCall(id).some((n) => n.resourceUrl.endsWith(`/operations/${op.id}`))).toBe(false);
  });

  it('with a delay answers running, keeps the status until its notification reports it completed', async () => {
    expect((await behave(f, { delayMs: 150 })).status).toBe(200);
    const id = await answeredCall(f);
    const op = (await f.graph('POST', `/${id}/updateRecordingStatus`, { status: 'recording', clientContext: 'c2' })).json as { id: string; status: string };
    expect(op.status).toBe('running');
    expect((await snapshotOf(f, id)).recordingStatus).toBe('unknown');
    const done = await operationDone(f, id, op.id);
    expect([done.changeType, done.resourceData]).toEqual(['deleted', expect.objectContaining({ status: 'completed', clientContext: 'c2' })]);
    expect((await snapshotOf(f, id)).recordingStatus).toBe('recording');
  });

  it('fails as configured, at once or after the delay, and the status does not change', async () => {
    await behave(f, { fail: { code: 500, subcode: 9001 }, count: 1 });
    const id = await answeredCall(f);
    const failed = (await f.graph('POST', `/${id}/updateRecordingStatus`, { status: 'recording', clientContext: 'c3' })).json;
    expect(failed).toMatchObject({ status: 'failed', resultInfo: { code: 500, subcode: 9001 } });
    await behave(f, { delayMs: 50, fail: { code: 503 } });
    const op = (await f.graph('POST', `/${id}/updateRecordingStatus`, { status: 'recording', clientContext: 'c4' })).json as { id: string };
    expect((await operationDone(f, id, op.id)).resourceData).toMatchObject({ status: 'failed', resultInfo: { code: 503 } });
    expect((await snapshotOf(f, id)).recordingStatus).toBe('unknown');
  });

  it('refuses a bad behaviour and keeps the one it had', async () => {
    await behave(f, { delayMs: 10 });
    const res = await behave(f, { delayMs: -1, fail: { code: 200 } });
    expect(res.status).toBe(400);
    expect((await call(f.emulator, 'GET', '/emulator/recording-status')).json).toEqual({ delayMs: 10 });
  });
});
