import { readWav, resampleTo16k, SAMPLE_RATE } from '@switchboard/media-dsp';

/** A prompt could not be fetched or read; the message says which and why. */
export class PromptLoadError extends Error {
  override readonly name = 'PromptLoadError';
}

/** Fetches a prompt and returns it as 16 kHz mono samples. */
export type LoadPrompt = (uri: string) => Promise<Int16Array>;

export interface HttpPromptOptions {
  /** Largest WAV file accepted (a 10-minute 48 kHz stereo prompt is about 110 MB). */
  maxBytes?: number;
  timeoutMs?: number;
  /** Prompts kept decoded, by URL (menus repeat in every call). */
  cacheEntries?: number;
}

/**
 * Prompts by http(s) URL: a 16-bit PCM WAV at any rate the resampler takes, mono or stereo, converted once to the
 * platform's 16 kHz mono and kept in a small cache by URL.
 */
export function httpPromptLoader(options: HttpPromptOptions = {}): LoadPrompt {
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const cacheEntries = options.cacheEntries ?? 32;
  const cache = new Map<string, Promise<Int16Array>>();
  return (uri) => {
    const cached = cache.get(uri);
    if (cached) {
      // Most recently used last, so the first key is the one to evict.
      cache.delete(uri);
      cache.set(uri, cached);
      return cached;
    }
    const loading = fetchPrompt(uri, maxBytes, timeoutMs);
    cache.set(uri, loading);
    if (cache.size > cacheEntries) cache.delete(cache.keys().next().value as string);
    // A failed load is not cached: the next play tries again.
    loading.catch(() => cache.get(uri) === loading && cache.delete(uri));
    return loading;
  };
}

async function fetchPrompt(uri: string, maxBytes: number, timeoutMs: number): Promise<Int16Array> {
  let response: Response;
  try {
    response = await fetch(uri, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw new PromptLoadError(`GET ${uri} failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new PromptLoadError(`GET ${uri} answered ${response.status}`);
  }
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new PromptLoadError(`${uri} is ${declared} bytes; prompts are limited to ${maxBytes}`);
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.byteLength > maxBytes) throw new PromptLoadError(`${uri} is ${bytes.byteLength} bytes; prompts are limited to ${maxBytes}`);
  try {
    const wav = readWav(bytes);
    return wav.sampleRate === SAMPLE_RATE && wav.channels === 1 ? wav.samples : resampleTo16k(wav.samples, wav.sampleRate, wav.channels);
  } catch (err) {
    throw new PromptLoadError(`${uri}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
