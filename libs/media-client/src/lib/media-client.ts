import { ChannelCredentials, credentials, type ClientDuplexStream, type ServiceError } from '@grpc/grpc-js';
import type { NatsConnection, Subscription } from 'nats';
import { MediaServiceClient, type AttachCallRequest, type AttachCallResponse } from '@switchboard/media-proto';
import {
  mediaCommandRefusalSchema,
  mediaCommandReplySchemas,
  natsNames,
  parseMediaSessionEvent,
  type MediaCommandOf,
  type MediaCommandReplyOf,
  type MediaCommandVerb,
  type MediaEventType,
  type MediaSessionEvent,
  type NatsNames,
} from '@switchboard/nats-contracts';
import { CallFrames, type AttachOptions } from './call-frames';

/** Video frames reach about 3 MiB (1080p NV12), above gRPC's 4 MiB default with room to spare. */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

export interface MediaClientOptions {
  nc: NatsConnection;
  /** NATS_NAMESPACE of the deployment. Default "". */
  namespace?: string;
  /** How long a command waits for the pod. Default 5000 ms. */
  commandTimeoutMs?: number;
  /** gRPC credentials for the media pods. Default: insecure (the pods' port is inside the cluster). */
  grpcCredentials?: ChannelCredentials;
  /** Maps a pod's announced address (`pod:port`) to one this process can dial (e.g. a port-forward). */
  resolveTarget?: (grpcTarget: string, podName: string) => string;
}

/** A command the pod refused (nothing was done), or no pod hosts the call's media. */
export class MediaCommandError extends Error {
  override readonly name = 'MediaCommandError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Everything a bot does with a call's media: commands and events over NATS (`media.v1.…`), frames over gRPC from the
 * pod that hosts the call (found with `locate`).
 */
export class MediaClient {
  private readonly names: NatsNames;
  private readonly pods = new Map<string, MediaServiceClient>();

  constructor(private readonly options: MediaClientOptions) {
    this.names = natsNames(options.namespace ?? '');
  }

  /** Plays a WAV prompt (http(s) URL) into the call after those queued; resolves with how many are ahead of it. */
  async play(callId: string, command: MediaCommandOf<'play'>): Promise<MediaCommandReplyOf<'play'>> {
    return this.command(callId, 'play', command);
  }

  /** Cancels one prompt, or all; resolves with the ids cancelled. */
  async cancel(callId: string, id?: string): Promise<string[]> {
    return (await this.command(callId, 'cancel', id === undefined ? {} : { id })).cancelled;
  }

  /** The pod hosting the call's media. */
  async locate(callId: string): Promise<MediaCommandReplyOf<'locate'>> {
    return this.command(callId, 'locate', {});
  }

  /** The call's media events as they happen, until `return()` (break out of the loop) or the call ends. */
  events(callId: string): AsyncIterableIterator<MediaSessionEvent> & { stop(): void } {
    return this.follow(this.names.mediaCallEventSubjects(callId), (e) => e.type === 'session-ended' || e.type === 'session-failed');
  }

  /** One type of event across every call (e.g. `session-started`: each call whose media starts). */
  eventsOfType(type: MediaEventType): AsyncIterableIterator<MediaSessionEvent> & { stop(): void } {
    return this.follow(this.names.mediaEventTypeSubjects(type), () => false);
  }

  /** Attaches to the call's frames on the pod that hosts it. */
  async attach(callId: string, options: AttachOptions = {}): Promise<CallFrames> {
    const { podName, grpcTarget } = await this.locate(callId);
    const target = this.options.resolveTarget?.(grpcTarget, podName) ?? grpcTarget;
    let pod = this.pods.get(target);
    if (!pod) {
      pod = new MediaServiceClient(target, this.options.grpcCredentials ?? credentials.createInsecure(), {
        'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
        'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
      });
      this.pods.set(target, pod);
    }
    const stream: ClientDuplexStream<AttachCallRequest, AttachCallResponse> = pod.attachCall();
    const first = new Promise<void>((resolve, reject) => {
      const onData = (r: AttachCallResponse) => {
        if (!r.attached) return;
        stream.off('error', onError);
        resolve();
      };
      const onError = (e: ServiceError) => reject(new MediaCommandError(e.code === 5 ? 'not-found' : 'failed', e.details));
      stream.once('data', onData);
      stream.once('error', onError);
    });
    stream.write({ attach: { callId, mixedAudio: options.mixedAudio ?? true, speakerAudio: options.speakerAudio ?? false } });
    await first;
    return new CallFrames(callId, stream);
  }

  /** Closes the gRPC channels (the NATS connection is the caller's). */
  close(): void {
    for (const pod of this.pods.values()) pod.close();
    this.pods.clear();
  }

  private async command<V extends MediaCommandVerb>(callId: string, verb: V, body: MediaCommandOf<V>): Promise<MediaCommandReplyOf<V>> {
    let data: unknown;
    try {
      const reply = await this.options.nc.request(this.names.mediaCommandSubject(callId, verb), JSON.stringify(body), { timeout: this.options.commandTimeoutMs ?? 5000 });
      data = JSON.parse(new TextDecoder().decode(reply.data));
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      if (/503|no responders/i.test(text)) throw new MediaCommandError('no-session', `call ${callId} has no media session on any pod`);
      throw new MediaCommandError('failed', `${verb} for call ${callId}: ${text}`);
    }
    const refusal = mediaCommandRefusalSchema.safeParse(data);
    if (refusal.success) throw new MediaCommandError(refusal.data.error, refusal.data.message);
    return mediaCommandReplySchemas[verb].parse(data) as MediaCommandReplyOf<V>;
  }

  private follow(subject: string, last: (e: MediaSessionEvent) => boolean): AsyncIterableIterator<MediaSessionEvent> & { stop(): void } {
    const sub: Subscription = this.options.nc.subscribe(subject);
    const events = (async function* () {
      for await (const m of sub) {
        let event: MediaSessionEvent;
        try {
          event = parseMediaSessionEvent(m.data);
        } catch {
          continue; // not a media event of this contract version: nothing a bot can act on
        }
        yield event;
        if (last(event)) break;
      }
    })();
    return Object.assign(
      (async function* () {
        try {
          yield* events;
        } finally {
          sub.unsubscribe();
        }
      })(),
      { stop: () => sub.unsubscribe() },
    );
  }
}
