import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { request, type Dispatcher } from 'undici';
import { flattenHeaders } from './headers';

/**
 * msal's network module on the client's own undici pool: the configured CA applies to token requests
 * and every request gets a deadline (msal's default POST has none).
 */
export function createMsalNetworkClient(dispatcher: Dispatcher, timeoutMs: number): INetworkModule {
  async function send<T>(
    method: 'GET' | 'POST',
    url: string,
    options: NetworkRequestOptions | undefined,
    timeout: number | undefined,
  ): Promise<NetworkResponse<T>> {
    const response = await request(url, {
      method,
      dispatcher,
      headers: options?.headers,
      body: method === 'POST' ? (options?.body ?? '') : undefined,
      signal: AbortSignal.timeout(timeout ?? timeoutMs),
    });
    const text = await response.body.text();
    let body: T;
    try {
      body = JSON.parse(text) as T;
    } catch {
      // Only the status is reported: the body of a failed token request is not ours to echo.
      throw new Error(`${method} ${new URL(url).pathname} answered ${response.statusCode} with a body that is not JSON`);
    }
    return { status: response.statusCode, headers: flattenHeaders(response.headers), body };
  }

  return {
    sendGetRequestAsync: (url, options, timeout) => send('GET', url, options, timeout),
    sendPostRequestAsync: (url, options) => send('POST', url, options, undefined),
  };
}
