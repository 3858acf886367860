/** Injection token of the shared `NatsConnection`. */
export const NATS_CONNECTION = 'NATS_CONNECTION';
/** Injection token of the `JetStreamClient` on that connection. */
export const JETSTREAM = 'JETSTREAM';
/** Injection token of the `JetStreamManager` on that connection. */
export const JETSTREAM_MANAGER = 'JETSTREAM_MANAGER';
