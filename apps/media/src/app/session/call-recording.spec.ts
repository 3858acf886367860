import { FRAME_SAMPLES } from '@switchboard/media-dsp';
import { audioFrame } from '../testing/frames.testing';
import { FakeGrants, memorySinks } from '../testing/recording.testing';
import { sessionForTest } from '../testing/session.testing';
import { CallRecordingRefused } from './call-session';
import { grantsOf } from '../recording/pod-recording';

const RECORDER = 'media:media-0';
const silence = (n: number) => audioFrame(new Int16Array(FRAME_SAMPLES), n);

/** A session whose whole-call recorder takes grants from `grants` as the pod's call recorder. */
function recordedSession(grants: FakeGrants) {
  const sinks = memorySinks();
  const t = sessionForTest({
    recording: { gate: grantsOf(grants, RECORDER), openSink: sinks.open, start: (callId) => grants.acquire(callId, RECORDER), stop: (callId) => grants.release(callId) },
  });
  return { ...t, sinks };
}

describe('record-call: the whole call recorded under a grant the pod asks for', () => {
  it('writes nothing before the grant, every frame after it, and gives the grant back after the last track closes', async () => {
    const grants = new FakeGrants();
    const { session, feed, sinks } = recordedSession(grants);
    feed([silence(0), silence(1)]);
    expect(sinks.framesWritten()).toBe(0);
    const grant = await session.recordCall();
    expect(grant).toMatchObject({ callId: 'call-1', recorder: RECORDER, valid: true });
    expect(await session.recordCall()).toBe(grant);
    feed([silence(2), silence(3), silence(4)]);
    expect(sinks.framesWritten()).toBe(3);
    await session.end('completed');
    expect(sinks.tracks.map((t) => t.closed)).toEqual(['ended']);
    expect(grants.released).toEqual(['call-1']);
  });

  it('refuses when recording-compliance refuses the grant, and when the pod has no storage; records nothing', async () => {
    const grants = new FakeGrants();
    grants.refuse = 'recording was not granted: Graph did not accept recording';
    const { session, feed, sinks } = recordedSession(grants);
    await expect(session.recordCall()).rejects.toEqual(new CallRecordingRefused('not-granted', 'recording was not granted: Graph did not accept recording'));
    feed([silence(0)]);
    expect(sinks.framesWritten()).toBe(0);
    const bare = sessionForTest();
    await expect(bare.session.recordCall()).rejects.toMatchObject({ code: 'not-configured' });
  });

  it('does not write under a grant held for a message recording', async () => {
    const grants = new FakeGrants();
    const { feed, sinks } = recordedSession(grants);
    await grants.acquire('call-1', `${RECORDER}:record`);
    feed([silence(0), silence(1)]);
    expect(sinks.framesWritten()).toBe(0);
  });
});
