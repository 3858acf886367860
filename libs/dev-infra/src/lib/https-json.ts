import { Agent, request } from 'undici';

export interface JsonResponse<T = unknown> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | undefined>;
}

/** JSON over HTTP(S) that trusts an extra CA (the emulator's), for local runs and tests. */
export class JsonHttp {
  private readonly agent: Agent;

  constructor(ca?: string) {
    this.agent = new Agent({ connect: ca ? { ca } : {} });
  }

  async send<T = unknown>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown, headers: Record<string, string> = {}): Promise<JsonResponse<T>> {
    const res = await request(url, {
      method,
      dispatcher: this.agent,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.body.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.statusCode, body: parsed as T, headers: res.headers };
  }

  /** POST `application/x-www-form-urlencoded` (OAuth token requests), JSON answer. */
  async form<T = unknown>(url: string, fields: Record<string, string>): Promise<JsonResponse<T>> {
    return this.send<T>('POST', url, new URLSearchParams(fields).toString(), { 'content-type': 'application/x-www-form-urlencoded' });
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

/** Thrown from a `waitUntil` check to stop waiting at once (the thing waited for can no longer happen). */
export class WaitAborted extends Error {
  override readonly name = 'WaitAborted';
}

/** Polls `check` until it resolves true, or fails naming `what`. */
export async function waitUntil(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 20_000, intervalMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (error) {
      if (error instanceof WaitAborted) throw error;
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`);
}
