import { natsNames } from './names';
import { isHeartbeatStale, mediaHeartbeatSchema } from './media-heartbeats';

const beat = { pod: 'sb-switchboard-media-0', activeCalls: 2, maxCalls: 100, draining: false, at: '2026-12-01T10:00:00.000Z', intervalMs: 5000 };

describe('media heartbeats', () => {
  it('names the media pods bucket per namespace', () => {
    expect(natsNames().mediaPodsBucket).toBe('media_pods');
    expect(natsNames('t-42').mediaPodsBucket).toBe('t_42_media_pods');
  });

  it('accepts a heartbeat and refuses one with a bad pod name or negative load', () => {
    expect(mediaHeartbeatSchema.parse(beat)).toEqual(beat);
    expect(mediaHeartbeatSchema.safeParse({ ...beat, pod: 'a b' }).success).toBe(false);
    expect(mediaHeartbeatSchema.safeParse({ ...beat, activeCalls: -1 }).success).toBe(false);
    expect(mediaHeartbeatSchema.safeParse({ ...beat, at: 'yesterday' }).success).toBe(false);
  });

  it('counts a pod as stopped after three missed intervals', () => {
    const at = Date.parse(beat.at);
    expect(isHeartbeatStale(beat, at + 15_000)).toBe(false);
    expect(isHeartbeatStale(beat, at + 15_001)).toBe(true);
  });
});
