import type { KV } from 'nats';

/**
 * Which call a media call id belongs to. The pod knows an incoming call by Graph's call id itself; an API-placed
 * call is prepared on its pod before Graph names it, under an id of ours, so that id is kept here with Graph's
 * (one KV entry per call, read by key: no scan).
 */
export class MediaCallDirectory {
  constructor(private readonly kv: KV) {}

  /** Remembers the call Graph created for a call prepared under `mediaCallId`. */
  async remember(mediaCallId: string, callId: string): Promise<void> {
    if (mediaCallId === callId) return;
    await this.kv.put(mediaCallId, callId);
  }

  /** The call id of a media call: the one remembered, else the media call id itself (an incoming call's). */
  async callIdOf(mediaCallId: string): Promise<string> {
    const entry = await this.kv.get(mediaCallId);
    return entry && entry.operation === 'PUT' ? entry.string() : mediaCallId;
  }
}
