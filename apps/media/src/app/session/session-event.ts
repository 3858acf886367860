import type { MediaSessionEvent } from '@switchboard/nats-contracts';

type WithoutEnvelope<E> = E extends unknown ? Omit<E, 'callId' | 'podName' | 'occurredAt'> : never;

/** An event as a session's processors produce it; the session adds the call, the pod and the wall-clock time. */
export type SessionEventBody = WithoutEnvelope<MediaSessionEvent>;

export type EmitEvent = (event: SessionEventBody) => void;
