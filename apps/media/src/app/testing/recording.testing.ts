import type { OpenRecordingSink, RecordedParticipant, RecordingGate, RecordingGrant, RecordingGrants, RecordingSink, RecordingTrack, SinkCloseReason } from '../session/recording-gate';

/** A grant the test revokes by hand. */
export class FakeGrant implements RecordingGrant {
  valid = true;
  readonly tenantId = 'tenant-1';
  constructor(
    readonly callId = 'call-1',
    readonly recorder = 'media:media-0',
    readonly grantId = `grant-${Math.random().toString(36).slice(2)}`,
  ) {}
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
  closed?: SinkCloseReason;
  participants: readonly RecordedParticipant[];
}

/** Sinks that keep every frame in memory, or only count them (`keep: false`, for benchmarks). */
export function memorySinks(options: { keep?: boolean } = {}): { open: OpenRecordingSink; tracks: MemoryTrack[]; framesWritten: () => number } {
  const tracks: MemoryTrack[] = [];
  let written = 0;
  const open: OpenRecordingSink = (callId, track, grant, participants) => {
    const t: MemoryTrack = { callId, track, grant, frames: [], participants };
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
        if (reason !== 'ended') return undefined;
        const bytes = t.frames.reduce((n, f) => n + f.data.length, 0);
        return { recordingId: `rec-${tracks.indexOf(t)}`, container: 'memory', blobName: `${callId}/${tracks.indexOf(t)}.wav`, bytes, durationMs: t.frames.length * 20, sha256: '0'.repeat(64) };
      },
    };
    return sink;
  };
  return { open, tracks, framesWritten: () => written };
}

/** Grants the test decides: `refuse` makes the next acquire fail, `hold` keeps it pending until `grantNow`. */
export class FakeGrants extends FakeGate implements RecordingGrants {
  refuse: string | undefined;
  hold = false;
  readonly released: string[] = [];
  private pending: (() => void) | undefined;

  acquire(callId: string, recorder: string): Promise<RecordingGrant> {
    if (this.refuse) return Promise.reject(new Error(this.refuse));
    const grant = new FakeGrant(callId, recorder);
    const give = () => {
      this.grants.set(callId, grant);
      return grant;
    };
    if (!this.hold) return Promise.resolve(give());
    return new Promise((resolve) => (this.pending = () => resolve(give())));
  }

  grantNow(): void {
    this.pending?.();
  }

  async release(callId: string): Promise<void> {
    this.released.push(callId);
    const grant = this.grants.get(callId);
    this.grants.delete(callId);
    if (grant instanceof FakeGrant) grant.valid = false;
  }
}
