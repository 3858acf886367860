import { FRAME_SAMPLES } from '@switchboard/media-dsp';
import { audioFrame, unmixedFrame } from '../testing/frames.testing';
import { FakeGate, FakeGrant, memorySinks } from '../testing/recording.testing';
import { sessionForTest } from '../testing/session.testing';

const frame = (value: number, n: number) => audioFrame(new Int16Array(FRAME_SAMPLES).fill(value), n);

describe('Recorder: writes only under the call grant', () => {
  function recordedSession() {
    const gate = new FakeGate();
    const sinks = memorySinks();
    const t = sessionForTest({ recording: { gate, openSink: sinks.open } });
    return { ...t, gate, sinks };
  }

  it('writes nothing while the gate has no grant for the call', async () => {
    const t = recordedSession();
    t.feed([frame(1, 0), frame(2, 1)]);
    await t.session.end('completed');
    expect(t.sinks.tracks).toEqual([]);
    expect(await t.metrics.registry.getSingleMetricAsString('media_recording_frames_total')).toContain('media_recording_frames_total{outcome="not-granted",service="media"} 2');
  });

  it('writes the mixed audio and each speaker on its own track, named by the roster, under a valid grant', async () => {
    const t = recordedSession();
    const grant = new FakeGrant();
    t.gate.grants.set('call-1', grant);
    t.session.participantsUpdated([{ id: 'p-ana', sourceIds: [11] }]);
    t.feed([frame(1, 0), unmixedFrame(new Map([[11, new Int16Array(FRAME_SAMPLES).fill(7)], [12, new Int16Array(FRAME_SAMPLES)]]), 1), frame(3, 2)]);
    await t.session.end('completed');
    expect(t.sinks.tracks.map((s) => [s.track, s.frames.length, s.closed, s.grant === grant])).toEqual([
      [{ kind: 'mixed' }, 2, 'ended', true],
      [{ kind: 'speaker', msi: 11, participantId: 'p-ana' }, 1, 'ended', true],
      [{ kind: 'speaker', msi: 12 }, 1, 'ended', true],
    ]);
    expect(t.sinks.tracks[0].frames.map((f) => f.data.readInt16LE(0))).toEqual([1, 3]);
  });

  it('stops at once when the grant is revoked and starts new tracks only under a new grant', async () => {
    const t = recordedSession();
    const first = new FakeGrant();
    t.gate.grants.set('call-1', first);
    t.feed([frame(1, 0), frame(2, 1)]);
    first.revoke();
    expect(t.sinks.tracks.map((s) => s.closed)).toEqual(['revoked']);
    // The gate still hands out the revoked grant: it is not valid, so nothing is written.
    t.feed([frame(3, 2)]);
    t.gate.grants.delete('call-1');
    t.feed([frame(4, 3)]);
    const second = new FakeGrant();
    t.gate.grants.set('call-1', second);
    t.feed([frame(5, 4)]);
    await t.session.end('completed');
    expect(t.sinks.tracks.map((s) => [s.frames.map((f) => f.data.readInt16LE(0)), s.closed, s.grant === second])).toEqual([
      [[1, 2], 'revoked', false],
      [[5], 'ended', true],
    ]);
  });
});
