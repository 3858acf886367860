import { CLOCK_SLACK_MS, SERVICE_HOSTED, answeredCall, call, snapshotOf, statesOf, useBotFixture } from '../test/harness';
import type { CallRecord } from './call-record';
import { newPerson, PersonScripts } from './person-script';

interface Logged {
  items: { at: string; callId: string; resourceUrl: string; body: { value: { resourceData: { toneInfo?: { tone: string } } }[] } }[];
}

describe('scripted people', () => {
  const f = useBotFixture('all');
  const control = (method: string, path: string, body?: unknown) => call(f.emulator, method, path, { body });
  const tonesOf = (callId: string) => f.bot.forCall(callId).flatMap((n) => {
    const info = n.resourceData['toneInfo'] as { tone: string } | undefined;
    return info ? [info.tone] : [];
  });
  /** When the emulator queued each toneInfo update of a call (from its notification log). */
  const toneTimes = async (callId: string) => {
    const log = (await control('GET', '/emulator/notifications')).json as Logged;
    return log.items.filter((n) => n.callId === callId && n.body.value[0]?.resourceData.toneInfo).map((n) => Date.parse(n.at));
  };

  it('a caller presses keys only once the bot subscribes to tones, keeping the gaps of the script', async () => {
    const callId = await answeredCall(f, SERVICE_HOSTED, {}, [{ press: '12', gapMs: 150 }, { wait: 100 }, { press: '#' }]);
    await new Promise((r) => setTimeout(r, 150));
    expect(tonesOf(callId)).toEqual([]);
    expect((await snapshotOf<{ person: { stepsLeft: unknown[] } }>(f, callId)).person.stepsLeft).toHaveLength(3);

    await f.graph('POST', `/${callId}/subscribeToTone`, {});
    await f.bot.waitFor('three tones', () => tonesOf(callId).length === 3);
    expect(tonesOf(callId)).toEqual(['tone1', 'tone2', 'pound']);
    // Each key is timed from the previous one, so a key that fires late on a busy machine cannot shorten a gap.
    const [t1, t2, t3] = await toneTimes(callId);
    expect(t2! - t1!).toBeGreaterThanOrEqual(150 - CLOCK_SLACK_MS);
    expect(t3! - t2!).toBeGreaterThanOrEqual(100 - CLOCK_SLACK_MS);
    const person = (await snapshotOf<{ person: { stepsDone: unknown[]; stepsLeft: unknown[]; tonesDropped: unknown[] } }>(f, callId)).person;
    expect(person).toMatchObject({ stepsLeft: [], tonesDropped: [] });
    expect(person.stepsDone).toHaveLength(3);
  });

  it('a hangup step ends the call 200/4097 after the steps before it', async () => {
    const started = Date.now();
    const callId = await answeredCall(f, SERVICE_HOSTED, {}, [{ speak: 200 }, { hangup: true }]);
    const end = await f.bot.waitFor('terminated', () => f.bot.forCall(callId).find((n) => n.resourceData.state === 'terminated'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(200 - CLOCK_SLACK_MS);
    expect(statesOf(f, callId).slice(-2)).toEqual(['terminating', 'terminated']);
    expect(end.resourceData['resultInfo']).toMatchObject({ code: 200, subcode: 4097 });
  });

  it('POST /script runs steps later; a bad script is refused with 400 naming the step and changes nothing', async () => {
    const callId = await answeredCall(f);
    for (const script of [[{ press: '1x' }], [{ jump: 1 }], [], [{ wait: 10, speak: 10 }]]) {
      const res = await control('POST', `/emulator/calls/${callId}/script`, { script });
      expect(res.status).toBe(400);
      expect((res.json as { error: { message: string } }).error.message).toMatch(/script/);
    }
    expect((await snapshotOf<{ person: { scripted: boolean; stepsDone: unknown[] } }>(f, callId)).person).toMatchObject({ scripted: false, stepsDone: [] });

    await f.graph('POST', `/${callId}/subscribeToTone`, {});
    const res = await control('POST', `/emulator/calls/${callId}/script`, { script: [{ press: '5' }] });
    expect(res.status).toBe(202);
    await f.bot.waitFor('tone 5', () => tonesOf(callId).includes('tone5'));

    await control('POST', `/emulator/calls/${callId}/hangup`);
    expect((await control('POST', `/emulator/calls/${callId}/script`, { script: [{ wait: 1 }] })).status).toBe(409);
    expect((await control('POST', '/emulator/calls/unknown-call/script', { script: [{ wait: 1 }] })).status).toBe(404);
  });

  it('an incoming call with an invalid script is refused and no call is made', async () => {
    const before = ((await control('GET', '/emulator/calls')).json as { value: unknown[] }).value.length;
    const res = await control('POST', '/emulator/calls/incoming', { script: [{ speak: -5 }] });
    expect(res.status).toBe(400);
    expect(((await control('GET', '/emulator/calls')).json as { value: unknown[] }).value).toHaveLength(before);
  });
});

describe('PersonScripts.press', () => {
  it('keeps the gap after a key that fired late (a busy event loop)', async () => {
    const pressedAt: number[] = [];
    const scripts = new PersonScripts({ canHearKeys: () => true, press: () => void pressedAt.push(Date.now()), speech: () => undefined, hangUp: () => undefined });
    const call = { state: 'established', timers: new Set(), person: newPerson() } as unknown as CallRecord;
    const done = new Promise<void>((resolve) => scripts.press(call, '12', 150, resolve));
    // The machine is busy when the first key is due: it fires 100 ms late. Timed from the first key, the second
    // one must still come 150 ms after it (timed from the start, it would come 50 ms after it).
    const busyUntil = Date.now() + 100;
    while (Date.now() < busyUntil) {
      // busy
    }
    await done;
    expect(pressedAt).toHaveLength(2);
    expect(pressedAt[1]! - pressedAt[0]!).toBeGreaterThanOrEqual(150 - CLOCK_SLACK_MS);
  });
});
