import type { KV } from 'nats';
import { mediaHeartbeatSchema, type MediaHeartbeat } from '@switchboard/nats-contracts';

/** The media pods' latest heartbeats. */
export interface MediaPodDirectory {
  heartbeats(): Promise<MediaHeartbeat[]>;
}

/**
 * Reads the media pods bucket at the moment of placement, so a pod that just announced it is draining is not
 * chosen from an older picture. An entry that does not parse is skipped (and reported): one bad writer must not
 * stop calls from being placed on the others.
 */
export class KvMediaPodDirectory implements MediaPodDirectory {
  constructor(
    private readonly kv: Pick<KV, 'keys' | 'get'>,
    private readonly onBadEntry: (pod: string, problem: string) => void,
  ) {}

  async heartbeats(): Promise<MediaHeartbeat[]> {
    const keys: string[] = [];
    for await (const key of await this.kv.keys()) keys.push(key);
    const entries = await Promise.all(keys.map((key) => this.kv.get(key)));
    const heartbeats: MediaHeartbeat[] = [];
    for (const entry of entries) {
      if (!entry || entry.operation !== 'PUT' || entry.length === 0) continue;
      const parsed = parseHeartbeat(entry.value);
      if (parsed.ok) heartbeats.push(parsed.heartbeat);
      else this.onBadEntry(entry.key, parsed.problem);
    }
    return heartbeats;
  }
}

export function parseHeartbeat(value: Uint8Array): { ok: true; heartbeat: MediaHeartbeat } | { ok: false; problem: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(value));
  } catch {
    return { ok: false, problem: 'not JSON' };
  }
  const parsed = mediaHeartbeatSchema.safeParse(raw);
  if (parsed.success) return { ok: true, heartbeat: parsed.data };
  return { ok: false, problem: parsed.error.issues.map((i) => `${i.path.join('.') || '(entry)'}: ${i.message}`).join('; ') };
}
