import { DtmfTone } from '@switchboard/media-proto';
import { SpeechLikeSource, dtmfSequence, FRAME_SAMPLES } from '@switchboard/media-dsp';
import { audioFrame, framesOf, unmixedFrame } from '../testing/frames.testing';
import { sessionForTest } from '../testing/session.testing';

const speech = (seed: number, ms: number) => {
  const out = new Int16Array(16 * ms);
  new SpeechLikeSource(seed, { levelDbfs: -20 }).fill(out);
  return out;
};
/** Frames numbered from `first`. */
const numbered = (samples: Int16Array, first = 0) => framesOf(samples).map((f, i) => audioFrame(f, first + i));

describe('CallSession: listening', () => {
  it('reports each key pressed in the audio once, in order, with its stream time', () => {
    const t = sessionForTest();
    t.feed(numbered(dtmfSequence('1#9', { toneMs: 80, gapMs: 80, leadMs: 200 })));
    const keys = t.ofType('dtmf');
    expect(keys.map((k) => [k.digit, k.source])).toEqual([
      ['1', 'audio'],
      ['#', 'audio'],
      ['9', 'audio'],
    ]);
    // The first key starts 200 ms in; each next one 160 ms later.
    expect(keys.map((k) => Math.round(k.atMs / 10) * 10)).toEqual([200, 360, 520]);
    expect(keys[0]).toMatchObject({ callId: 'call-1', podName: 'media-0', occurredAt: '2026-01-01T00:00:00.000Z' });
  });

  it('reports speech started and stopped on the mixed audio, with the hangover', () => {
    const t = sessionForTest();
    const audio = new Int16Array(16 * 2000);
    audio.set(speech(7, 800), 16 * 500);
    t.feed(numbered(audio));
    const changes = t.events.filter((e) => e.type === 'speech-started' || e.type === 'speech-stopped');
    // The voice pauses between syllables, sometimes longer than the hangover: starts and stops alternate.
    expect(changes.every((e) => 'stream' in e && e.stream === 'mixed')).toBe(true);
    expect(changes.map((e) => e.type)).toEqual(changes.map((_, i) => (i % 2 === 0 ? 'speech-started' : 'speech-stopped')));
    expect(changes.length).toBeGreaterThanOrEqual(2);
    expect(changes[0].atMs).toBeGreaterThanOrEqual(500);
    // The last stop comes the hangover (300 ms) after the voice's last sound, which is before 1300 ms.
    expect(changes[changes.length - 1].atMs).toBeGreaterThan(changes[0].atMs + 300);
    expect(changes[changes.length - 1].atMs).toBeLessThanOrEqual(1300 + 300 + 20);
    expect(t.ofType('dtmf')).toEqual([]);
  });

  it('names each unmixed speaker by the roster and makes the mix from their buffers', () => {
    const t = sessionForTest();
    t.session.participantsUpdated([
      { id: 'p-ana', displayName: 'Ana', sourceIds: [11, 12] },
      { id: 'p-bo', displayName: 'Bo', sourceIds: [21] },
    ]);
    // Ana speaks 0-600 ms, Bo 1000-1600 ms, an unknown MSI 33 2000-2600 ms.
    const schedule: [number, number, number][] = [
      [11, 0, 600],
      [21, 1000, 1600],
      [33, 2000, 2600],
    ];
    const voices = new Map(schedule.map(([msi, from, to]) => [msi, speech(msi, to - from)]));
    const frames = [];
    for (let n = 0; n < 175; n++) {
      const ms = n * 20;
      const buffers = new Map<number, Int16Array>();
      for (const [msi, from, to] of schedule) {
        if (ms >= from && ms < to) buffers.set(msi, voices.get(msi)!.subarray((ms - from) * 16, (ms - from) * 16 + FRAME_SAMPLES));
      }
      frames.push(buffers.size > 0 ? unmixedFrame(buffers, n) : audioFrame(new Int16Array(FRAME_SAMPLES), n));
    }
    t.feed(frames);
    const perSpeaker = t.events.flatMap((e) => (e.type.startsWith('speech') && 'stream' in e && e.stream === 'speaker' ? [[e.type, e.speaker]] : []));
    expect(perSpeaker).toEqual([
      ['speech-started', { msi: 11, participantId: 'p-ana', displayName: 'Ana' }],
      ['speech-stopped', { msi: 11, participantId: 'p-ana', displayName: 'Ana' }],
      ['speech-started', { msi: 21, participantId: 'p-bo', displayName: 'Bo' }],
      ['speech-stopped', { msi: 21, participantId: 'p-bo', displayName: 'Bo' }],
      ['speech-started', { msi: 33 }],
      ['speech-stopped', { msi: 33 }],
    ]);
    const started = t.events.filter((e) => e.type === 'speech-started' && 'stream' in e && e.stream === 'speaker');
    // Each start falls inside that speaker's turn, on the call's clock.
    started.forEach((e, i) => {
      expect(e.atMs).toBeGreaterThanOrEqual(schedule[i][1]);
      expect(e.atMs).toBeLessThan(schedule[i][2]);
    });
    // The mix made from the buffers is heard too.
    expect(t.events.some((e) => e.type === 'speech-started' && 'stream' in e && e.stream === 'mixed')).toBe(true);
  });

  it('reports the platform dominant speaker by participant, once per change, and null when nobody speaks', () => {
    const t = sessionForTest();
    t.session.participantsUpdated([{ id: 'p-ana', displayName: 'Ana', sourceIds: [11] }]);
    t.feed([
      { dominantSpeakerChanged: { speakerMsi: 11 } },
      { dominantSpeakerChanged: { speakerMsi: 11 } },
      { dominantSpeakerChanged: { speakerMsi: 40 } },
      { dominantSpeakerChanged: {} },
    ]);
    expect(t.ofType('dominant-speaker').map((e) => e.speaker)).toEqual([{ msi: 11, participantId: 'p-ana', displayName: 'Ana' }, { msi: 40 }, null]);
  });

  it('counts a key the platform reports and the audio also carries as one press, and skips a repeated sequence id', () => {
    const t = sessionForTest();
    const frames = numbered(dtmfSequence('5', { toneMs: 100, gapMs: 100, leadMs: 100 }));
    t.feed(frames.slice(0, 8));
    t.feed([{ tone: { tone: DtmfTone.DTMF_TONE_5, sequenceId: 1 } }]);
    t.feed([{ tone: { tone: DtmfTone.DTMF_TONE_5, sequenceId: 1 } }, ...frames.slice(8)]);
    t.feed([{ tone: { tone: DtmfTone.DTMF_TONE_STAR, sequenceId: 2 } }]);
    expect(t.ofType('dtmf').map((k) => [k.digit, k.source])).toEqual([
      ['5', 'audio'],
      ['*', 'platform'],
    ]);
  });

  it('drops the oldest frames when analysis falls 3 s behind, counts them and says how many', async () => {
    const reports: number[] = [];
    const t = sessionForTest({ onFramesDropped: (n) => reports.push(n) });
    const frames = numbered(new Int16Array(16 * 20 * 200));
    for (const f of frames) t.session.receive(f);
    t.session.processInbound();
    expect(await t.metrics.registry.getSingleMetricAsString('media_queue_discarded_total')).toContain(
      'media_queue_discarded_total{queue="inbound",kind="audio",why="dropped",service="media"} 50',
    );
    expect(reports).toEqual([50]);
  });

  it('ends with session-ended, or session-failed naming the problem', async () => {
    const ok = sessionForTest();
    await ok.session.end('completed');
    expect(ok.events.map((e) => e.type)).toEqual(['session-ended']);
    const bad = sessionForTest();
    await bad.session.end('invalid', 'audio frame 3 has 320 bytes');
    expect(bad.ofType('session-failed').map((e) => e.error)).toEqual(['audio frame 3 has 320 bytes']);
  });
});
