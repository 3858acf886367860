import { randomUUID } from 'node:crypto';
import { Agent, request } from 'undici';
import type { CallEvent } from '@switchboard/nats-contracts';
import { signatureHeader } from './signature';

/** What one attempt came to; `transient` may succeed later, `permanent` cannot. */
export type AttemptResult =
  | { kind: 'delivered'; status: number }
  | { kind: 'permanent'; status: number; error: string }
  | { kind: 'transient'; status?: number; error: string; retryAfter?: string };

export interface Attempt {
  result: AttemptResult;
  /** `Switchboard-Delivery` of this attempt. */
  deliveryId: string;
  durationMs: number;
}

/** The body customers receive; `id` is stable across retries so receivers can drop duplicates. */
export const webhookBody = (event: CallEvent): string =>
  JSON.stringify({ id: event.eventId, type: event.type, occurredAt: event.occurredAt, data: event });

/** 408 and 429 ask the sender to come back; other 4xx say this request will never be accepted. */
export function classifyStatus(status: number, retryAfter?: string): AttemptResult {
  if (status >= 200 && status < 300) return { kind: 'delivered', status };
  const error = `HTTP ${status}`;
  if (status === 408 || status === 429 || status >= 500) return { kind: 'transient', status, error, ...(retryAfter ? { retryAfter } : {}) };
  // 1xx/3xx as a final answer are refusals too: redirects are not followed, so signed events never reach another host.
  return { kind: 'permanent', status, error: `${error} (not retried)` };
}

/** POSTs signed events; one connection pool for every subscription. */
export class WebhookSender {
  private readonly agent = new Agent({ keepAliveTimeout: 30_000, connections: 8 });

  constructor(
    private readonly timeoutMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async send(url: string, secret: string, event: CallEvent): Promise<Attempt> {
    const body = webhookBody(event);
    const deliveryId = randomUUID();
    const started = performance.now();
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'Switchboard-Webhooks/1',
      'switchboard-event': event.type,
      'switchboard-delivery': deliveryId,
      'switchboard-signature': signatureHeader(secret, body, Math.floor(this.now() / 1000)),
    };
    let result: AttemptResult;
    try {
      const res = await request(url, {
        method: 'POST',
        headers,
        body,
        dispatcher: this.agent,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      // The receiver's body is not needed (and not stored): read a little so the connection can be reused.
      await res.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
      const retryAfter = res.headers['retry-after'];
      result = classifyStatus(res.statusCode, Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
    } catch (error) {
      result = { kind: 'transient', error: describeNetworkError(error, this.timeoutMs) };
    }
    return { result, deliveryId, durationMs: performance.now() - started };
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

/** `timed out after 5000 ms`, or the first socket error code along the cause chain (undici wraps them). */
function describeNetworkError(error: unknown, timeoutMs: number): string {
  if ((error as Error)?.name === 'TimeoutError') return `timed out after ${timeoutMs} ms`;
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return `network error ${code}`;
  }
  return `network error: ${(error as Error)?.message ?? String(error)}`;
}
