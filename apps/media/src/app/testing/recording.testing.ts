import type { OpenRecordingSink, RecordingGate, RecordingGrant, RecordingSink, RecordingTrack } from '../session/recording-gate';

/** A grant the test revokes by hand. */
export class FakeGrant implements RecordingGrant {
  valid = true;
  private listeners = new Set<() => void>();

  onRevoked(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  revoke(): void {
    this.valid = false;
    for (const l of [...this.listeners]) l();
  }
}

/** A gate that answers with whatever grant the test set per call (none by default). */
export class FakeGate implements RecordingGate {
  readonly grants = new Map<string, RecordingGrant>();
  grantFor(callId: string): RecordingGrant | undefined {
    return this.grants.get(callId);
  }
}

export interface MemoryTrack {
  callId: string;
  track: RecordingTrack;
  grant: RecordingGrant;
  frames: { data: Buffer; timestampTicks: bigint }[];
  closed?: 'ended' | 'revoked';
}

/** Sinks that keep every frame in memory, or only count them (`keep: false`, for benchmarks). */
export function memorySinks(options: { keep?: boolean } = {}): { open: OpenRecordingSink; tracks: MemoryTrack[]; framesWritten: () => number } {
  const tracks: MemoryTrack[] = [];
  let written = 0;
  const open: OpenRecordingSink = (callId, track, grant) => {
    const t: MemoryTrack = { callId, track, grant, frames: [] };
    tracks.push(t);
    const sink: RecordingSink = {
      write(data, timestampTicks) {
        if (t.closed) throw new Error('write after close');
        written++;
        if (options.keep !== false) t.frames.push({ data, timestampTicks });
        return true;
      },
      async close(reason) {
        t.closed = reason;
      },
    };
    return sink;
  };
  return { open, tracks, framesWritten: () => written };
}
