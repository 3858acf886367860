import { headers as natsHeaders, type JetStreamClient, type JsMsg } from 'nats';
import { errorText } from './log';

export interface DeadLetterTarget {
  /** Subject of a stream that keeps what could not be handled. */
  subject: string;
  /** Publish attempts before giving up for this delivery (the message is then nak'ed, never acked). */
  attempts?: number;
  /** Wait between attempts, doubled each time. */
  retryDelayMs?: number;
}

export const DeadLetterHeaders = {
  reason: 'Switchboard-Reason',
  subject: 'Switchboard-Original-Subject',
  stream: 'Switchboard-Original-Stream',
  sequence: 'Switchboard-Original-Sequence',
} as const;

/** The dead-letter could not be stored; the message it was for must not be acked. */
export class DeadLetterError extends Error {
  override readonly name = 'DeadLetterError';
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Stores a copy of the message with the reason and its origin in headers. The message id makes a repeat (after a
 * lost ack, or another replica's attempt) a duplicate the stream drops. Resolves once the stream has stored it.
 */
export async function publishDeadLetter(js: JetStreamClient, target: DeadLetterTarget, msg: JsMsg, reason: string): Promise<void> {
  const h = natsHeaders();
  // A header value is one line: a reason with line breaks (a ZodError's message, say) is folded, not refused.
  h.set(DeadLetterHeaders.reason, reason.replace(/\s*[\r\n]+\s*/g, ' ').slice(0, 1000));
  h.set(DeadLetterHeaders.subject, msg.subject);
  h.set(DeadLetterHeaders.stream, msg.info.stream);
  h.set(DeadLetterHeaders.sequence, String(msg.info.streamSequence));
  const attempts = Math.max(1, target.attempts ?? 3);
  let wait = target.retryDelayMs ?? 100;
  let last: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      await js.publish(target.subject, msg.data, { headers: h, msgID: `dlq:${msg.info.stream}:${msg.info.streamSequence}` });
      return;
    } catch (error) {
      last = error;
      if (attempt < attempts) await sleep(wait);
      wait *= 2;
    }
  }
  throw new DeadLetterError(`dead-letter to ${target.subject} not stored after ${attempts} attempts: ${errorText(last)}`);
}
