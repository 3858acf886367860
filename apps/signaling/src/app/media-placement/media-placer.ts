import { AudioFormat, MediaSessionSettings } from '@switchboard/media-proto';
import type { MediaHeartbeat } from '@switchboard/nats-contracts';
import type { PrepareCallPort } from './media-pod-client';
import type { MediaPodDirectory } from './media-pod-directory';
import { choosePod } from './pod-choice';

/** Where a call's media lives: the pod, the id the pod knows the call by, and the blob Graph gets. */
export interface MediaPlacement {
  pod: string;
  mediaCallId: string;
  blob: string;
}

/** No media pod could take the call; `reason` says why (none registered, all draining or full, each refused). */
export class NoMediaPodAvailable extends Error {
  override readonly name = 'NoMediaPodAvailable';
}

export interface MediaPlacerOptions {
  prepareTimeoutMs: number;
  /** Host template (`{pod}` = pod name) used instead of the host in the pod's own grpcTarget. */
  podHost?: string;
  log: (level: 'info' | 'warn', msg: string, fields: Record<string, unknown>) => void;
  now?: () => number;
}

/** Audio only, 16 kHz PCM both ways: what every app-hosted call gets today. */
const AUDIO_CALL = MediaSessionSettings.fromPartial({ audioFormat: AudioFormat.AUDIO_FORMAT_PCM_16K });
/** Meetings and group calls: each speaker's unmixed audio too (up to four), so the pod names who speaks. */
const GROUP_CALL = MediaSessionSettings.fromPartial({ audioFormat: AudioFormat.AUDIO_FORMAT_PCM_16K, receiveUnmixedAudio: true });

/**
 * Places a call's media on the least-loaded pod that is not draining: PrepareCall there, and on a refusal (full,
 * draining since its last heartbeat, unreachable, bridge failed) the next pod, until one accepts or none is left.
 */
export class MediaPlacer {
  constructor(
    private readonly pods: MediaPodDirectory,
    private readonly client: PrepareCallPort,
    private readonly options: MediaPlacerOptions,
  ) {}

  async place(mediaCallId: string, tenantId: string, options: { group?: boolean } = {}): Promise<MediaPlacement> {
    const heartbeats = await this.pods.heartbeats();
    const tried = new Set<string>();
    for (;;) {
      const choice = choosePod(heartbeats, this.options.now?.() ?? Date.now(), tried);
      if (choice.kind === 'none') throw new NoMediaPodAvailable(choice.reason);
      const { pod } = choice.heartbeat;
      tried.add(pod);
      try {
        const response = await this.client.prepareCall(this.targetOf(choice.heartbeat), { callId: mediaCallId, tenantId, settings: options.group ? GROUP_CALL : AUDIO_CALL }, this.options.prepareTimeoutMs);
        this.options.log('info', 'call placed on a media pod', { callId: mediaCallId, pod });
        return { pod: response.podName || pod, mediaCallId, blob: response.mediaConfigurationBlob };
      } catch (error) {
        this.options.log('warn', 'media pod refused the call; trying the next', { callId: mediaCallId, pod, error: (error as Error).message });
      }
    }
  }

  private targetOf(heartbeat: MediaHeartbeat): string {
    const target = heartbeat.grpcTarget ?? '';
    if (!this.options.podHost) return target;
    const port = target.slice(target.lastIndexOf(':') + 1);
    return `${this.options.podHost.replaceAll('{pod}', heartbeat.pod)}:${port}`;
  }
}
