import type { WebhookPayload } from '@switchboard/ivr-engine';
import { signatureHeader } from '../customer-webhooks/signature';
import type { FlowWebhookAnswer, FlowWebhookClient } from '../orchestration/ports';

/** Largest answer read from a customer's app: steps are small; anything bigger is refused rather than buffered. */
const MAX_ANSWER_BYTES = 256 * 1024;

/**
 * POSTs a flow's webhook payload to the customer's app, signed like event webhooks (`Switchboard-Signature`), and
 * returns its JSON answer. Timeouts, non-2xx answers, bodies that are not JSON and unsigned deployments all come
 * back as `ok: false` with the reason, so the flow takes its fallback.
 */
export class HttpFlowWebhookClient implements FlowWebhookClient {
  constructor(private readonly secret: string | undefined) {}

  async ask(url: string, payload: WebhookPayload, timeoutMs: number): Promise<FlowWebhookAnswer> {
    if (!this.secret) return { ok: false, error: 'FLOW_WEBHOOK_SECRET is not configured, so flow webhooks are not sent' };
    const body = JSON.stringify(payload);
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'switchboard-signature': signatureHeader(this.secret, body, Math.floor(Date.now() / 1000)),
          'switchboard-call': payload.callId,
        },
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text();
      if (!res.ok) return { ok: false, status: res.status, error: `the app answered ${res.status}` };
      if (text.length > MAX_ANSWER_BYTES) return { ok: false, status: res.status, error: `the answer is larger than ${MAX_ANSWER_BYTES} bytes` };
      try {
        return { ok: true, status: res.status, body: JSON.parse(text) };
      } catch {
        return { ok: false, status: res.status, error: 'the answer is not JSON' };
      }
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError';
      return { ok: false, error: timedOut ? `no answer within ${timeoutMs} ms` : `request failed: ${(error as Error).message}` };
    }
  }
}
