import { z } from 'zod';
import { callIdToken } from './call-id';

/**
 * The NATS side of a call's media session, for bot developers: commands to the pod that hosts the call
 * (request/reply on `media.v1.commands.<callToken>.<verb>`, answered only by that pod, so "no responders" means the
 * call has no media session) and the events it detects in the frames (`media.v1.events.<callToken>.<type>`).
 * Frames themselves do not travel over NATS: they flow over the pod's gRPC `AttachCall` stream.
 */

export const mediaCommandVerbs = ['play', 'record', 'record-call', 'cancel', 'locate'] as const;
export type MediaCommandVerb = (typeof mediaCommandVerbs)[number];

export const mediaEventTypes = [
  'session-started',
  'dtmf',
  'speech-started',
  'speech-stopped',
  'dominant-speaker',
  'prompt-completed',
  'record-completed',
  'session-ended',
  'session-failed',
] as const;
export type MediaEventType = (typeof mediaEventTypes)[number];

export interface MediaSessionNames {
  /** A command to the pod hosting the call: `media.v1.commands.<callToken>.<verb>`. */
  mediaCommandSubject(callId: string, verb: MediaCommandVerb): string;
  /** Every command of one call (what the hosting pod subscribes to). */
  mediaCommandSubjects(callId: string): string;
  /** One event of one call: `media.v1.events.<callToken>.<type>`. */
  mediaEventSubject(callId: string, type: MediaEventType): string;
  /** Every event of one call. */
  mediaCallEventSubjects(callId: string): string;
  /** One type of event, of every call (e.g. `session-started`, to learn of new calls). */
  mediaEventTypeSubjects(type: MediaEventType): string;
  /** Every media event of the namespace. */
  mediaEventSubjects: string;
}

/** The media-session subjects under a namespace's subject prefix (used by `natsNames`). */
export function mediaSessionNames(subject: (s: string) => string): MediaSessionNames {
  return {
    mediaCommandSubject: (callId, verb) => subject(`media.v1.commands.${callIdToken(callId)}.${verb}`),
    mediaCommandSubjects: (callId) => subject(`media.v1.commands.${callIdToken(callId)}.*`),
    mediaEventSubject: (callId, type) => subject(`media.v1.events.${callIdToken(callId)}.${type}`),
    mediaCallEventSubjects: (callId) => subject(`media.v1.events.${callIdToken(callId)}.*`),
    mediaEventTypeSubjects: (type) => subject(`media.v1.events.*.${type}`),
    mediaEventSubjects: subject('media.v1.events.>'),
  };
}

// ---- commands -----------------------------------------------------------------------------------------------------

const promptId = z.string().min(1).max(128).regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

export const mediaCommandSchemas = {
  /** Plays a 16-bit PCM WAV (any of 8, 16, 24, 44.1, 48 kHz, mono or stereo) into the call, after prompts already queued. */
  play: z.strictObject({
    id: promptId,
    uri: z.url({ protocol: /^https?$/, message: 'must be the http(s) URL of a 16-bit PCM WAV file' }),
    /** Stop the prompt when the caller presses a key or starts to speak. */
    bargeIn: z.strictObject({ keys: z.boolean().optional(), speech: z.boolean().optional() }).optional(),
  }),
  /**
   * Records what the caller says (the call's inbound mixed audio) as one message, like Graph's `recordResponse`: after
   * prompts already queued (and a beep), until `maxDurationSeconds`, `maxSilenceSeconds` of silence after speech,
   * `initialSilenceSeconds` without any speech, or one of `stopKeys`. Written only under the call's recording grant
   * (the pod asks recording-compliance for it); the outcome is the `record-completed` event with the same `id`.
   */
  record: z.strictObject({
    id: promptId,
    maxDurationSeconds: z.number().int().min(1).max(3600),
    maxSilenceSeconds: z.number().int().min(1).max(120).optional(),
    initialSilenceSeconds: z.number().int().min(1).max(120).optional(),
    stopKeys: z.array(z.string().regex(/^[0-9*#A-D]$/)).max(16).optional(),
    beep: z.boolean().optional(),
  }),
  /**
   * Records the whole call until it ends, the mixed audio and each unmixed speaker on a track of its own (what a
   * compliance recorder does): the pod asks recording-compliance for the call's grant and answers once Graph accepted
   * `recording`, or with the refusal (`not-granted`, `not-configured`). Asking again while it records changes nothing.
   */
  'record-call': z.strictObject({}),
  /** Cancels one prompt or recording (`id`) or, without it, the one playing, every queued one and a recording. */
  cancel: z.strictObject({ id: promptId.optional() }),
  /** Where the call's frames are: the pod and its gRPC address for `AttachCall`. */
  locate: z.strictObject({}),
} satisfies Record<MediaCommandVerb, z.ZodType>;
export type MediaCommandOf<V extends MediaCommandVerb> = z.infer<(typeof mediaCommandSchemas)[V]>;
export type PlayCommand = MediaCommandOf<'play'>;
export type RecordCommand = MediaCommandOf<'record'>;

/** Replies: `{ ok: true, ... }`, or `{ ok: false, error, message }` for a refused command (nothing was done). */
export const mediaCommandReplySchemas = {
  play: z.object({ ok: z.literal(true), id: z.string(), queued: z.number().int().nonnegative() }),
  record: z.object({ ok: z.literal(true), id: z.string() }),
  'record-call': z.object({ ok: z.literal(true), grantId: z.string() }),
  cancel: z.object({ ok: z.literal(true), cancelled: z.array(z.string()) }),
  locate: z.object({ ok: z.literal(true), podName: z.string(), grpcTarget: z.string() }),
} satisfies Record<MediaCommandVerb, z.ZodType>;
export type MediaCommandReplyOf<V extends MediaCommandVerb> = z.infer<(typeof mediaCommandReplySchemas)[V]>;

export const mediaCommandRefusalSchema = z.object({ ok: z.literal(false), error: z.string(), message: z.string() });
export type MediaCommandRefusal = z.infer<typeof mediaCommandRefusalSchema>;

// ---- events -------------------------------------------------------------------------------------------------------

/** A speaker as the frames name it (MSI) and, once the roster says so, as a participant. */
export const mediaSpeakerSchema = z.object({
  msi: z.number().int().nonnegative(),
  participantId: z.string().optional(),
  displayName: z.string().optional(),
});
export type MediaSpeaker = z.infer<typeof mediaSpeakerSchema>;

const base = {
  callId: z.string().min(1),
  podName: z.string().min(1),
  /** Wall-clock time the pod published the event. */
  occurredAt: z.iso.datetime(),
  /** Stream time of what the event reports, in ms from the first frame of the call. */
  atMs: z.number().nonnegative(),
};

/** Where speech was heard: the call's mixed audio, or one speaker's unmixed audio. */
const speech = {
  stream: z.enum(['mixed', 'speaker']),
  speaker: mediaSpeakerSchema.optional(),
};

export const mediaEventSchemas = {
  'session-started': z.object({ ...base, type: z.literal('session-started'), grpcTarget: z.string() }),
  dtmf: z.object({
    ...base,
    type: z.literal('dtmf'),
    digit: z.string().regex(/^[0-9*#A-D]$/),
    /** `audio`: detected in the frames; `platform`: reported by the media platform (out-of-band tone). */
    source: z.enum(['audio', 'platform']),
  }),
  'speech-started': z.object({ ...base, type: z.literal('speech-started'), ...speech }),
  'speech-stopped': z.object({ ...base, type: z.literal('speech-stopped'), ...speech }),
  /** `speaker` is null when nobody is speaking. */
  'dominant-speaker': z.object({ ...base, type: z.literal('dominant-speaker'), speaker: mediaSpeakerSchema.nullable() }),
  'prompt-completed': z.object({
    ...base,
    type: z.literal('prompt-completed'),
    id: z.string(),
    reason: z.enum(['completed', 'barged-in', 'cancelled', 'failed']),
    /** Frames of the prompt sent into the call. */
    framesPlayed: z.number().int().nonnegative(),
    /** Why the prompt could not be played (reason `failed`). */
    error: z.string().optional(),
  }),
  /**
   * A `record` command's outcome. `recording` names the stored blob (absent when nothing was stored: `failed`
   * before any write, `not-granted`, or `cancelled`); `key` names the stop key when `reason` is `key`.
   */
  'record-completed': z.object({
    ...base,
    type: z.literal('record-completed'),
    id: z.string(),
    reason: z.enum(['max-duration', 'silence', 'initial-silence', 'key', 'cancelled', 'call-ended', 'not-granted', 'failed']),
    key: z.string().optional(),
    recording: z
      .object({ recordingId: z.string(), grantId: z.string().optional(), container: z.string(), blobName: z.string(), bytes: z.number().int().nonnegative(), durationMs: z.number().nonnegative(), sha256: z.string() })
      .optional(),
    error: z.string().optional(),
  }),
  'session-ended': z.object({ ...base, type: z.literal('session-ended'), outcome: z.string() }),
  'session-failed': z.object({ ...base, type: z.literal('session-failed'), error: z.string() }),
} satisfies Record<MediaEventType, z.ZodType>;

export type MediaEventOf<K extends MediaEventType> = z.infer<(typeof mediaEventSchemas)[K]>;
export type MediaSessionEvent = { [K in MediaEventType]: MediaEventOf<K> }[MediaEventType];

export const mediaSessionEventSchema = z.discriminatedUnion('type', [
  mediaEventSchemas['session-started'],
  mediaEventSchemas.dtmf,
  mediaEventSchemas['speech-started'],
  mediaEventSchemas['speech-stopped'],
  mediaEventSchemas['dominant-speaker'],
  mediaEventSchemas['prompt-completed'],
  mediaEventSchemas['record-completed'],
  mediaEventSchemas['session-ended'],
  mediaEventSchemas['session-failed'],
]);

/**
 * The events a call's flow acts on when signaling runs it on app-hosted media: the session is up (commands reach the
 * pod), a key, a prompt or recording ended, the session failed. Signaling keeps these in a stream; the others (speech,
 * dominant speaker) are for apps that follow the call.
 */
export const flowMediaEventTypes = ['session-started', 'dtmf', 'prompt-completed', 'record-completed', 'session-failed'] as const satisfies readonly MediaEventType[];
export type FlowMediaEventType = (typeof flowMediaEventTypes)[number];
export type FlowMediaEvent = MediaEventOf<FlowMediaEventType>;

export const flowMediaEventSchema = z.discriminatedUnion('type', [
  mediaEventSchemas['session-started'],
  mediaEventSchemas.dtmf,
  mediaEventSchemas['prompt-completed'],
  mediaEventSchemas['record-completed'],
  mediaEventSchemas['session-failed'],
]);

/** Parses a media event from NATS; throws a ZodError naming the bad field. */
export const parseMediaSessionEvent = (data: Uint8Array | string): MediaSessionEvent =>
  mediaSessionEventSchema.parse(JSON.parse(typeof data === 'string' ? data : new TextDecoder().decode(data)));
