import { NatsError } from 'nats';

/** JetStream API error codes (`err_code`) this library decides on. */
export const JsErrorCode = {
  StreamNotFound: 10059,
  ConsumerNotFound: 10014,
} as const;

/** The JetStream API error code carried by a failed request, or undefined when the error is not a JetStream API error. */
export function jetStreamErrorCode(error: unknown): number | undefined {
  if (!(error instanceof NatsError)) return undefined;
  return error.api_error?.err_code;
}

export function isJetStreamError(error: unknown, code: number): boolean {
  return jetStreamErrorCode(error) === code;
}
