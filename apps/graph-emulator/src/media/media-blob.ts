import type { MediaConfig } from '@switchboard/graph-models';
import { MediaSessionSettings } from '@switchboard/media-proto';
import { callIdProblem } from '@switchboard/nats-contracts';
import { z } from 'zod';
import { badRequest } from '../http-kit';

/**
 * What a media pod without a bridge puts in `appHostedMediaConfig.blob` (apps/media `PrepareCall`): the pod, the
 * gRPC target to open `StreamCall` on, the call id the pod knows the call by, and the media settings. In Graph the
 * blob is the media platform's own; here it is this JSON, so the emulator can play the media platform.
 */
export interface MediaBlob {
  podName: string;
  streamTarget: string;
  callId: string;
  settings: MediaSessionSettings;
}

const blobSchema = z.object({
  podName: z.string().min(1, 'podName is required'),
  streamTarget: z.string().regex(/^[A-Za-z0-9._-]+:\d{1,5}$/, 'streamTarget must be host:port'),
  callId: z.string().refine((id) => callIdProblem(id) === undefined, { message: 'callId must be 1-256 characters of letters, digits and . _ : @ -' }),
  settings: z.record(z.string(), z.unknown()),
});

/** The blob of an app-hosted media configuration, or undefined for service-hosted (or no) media. */
export function mediaBlobOf(mediaConfig: MediaConfig | undefined): string | undefined {
  return mediaConfig?.['@odata.type'] === '#microsoft.graph.appHostedMediaConfig' ? mediaConfig.blob : undefined;
}

/** Reads a blob; a blob the platform cannot use is refused as Graph refuses a bad answer or create: a 400 naming it. */
export function parseMediaBlob(blob: string): MediaBlob {
  const refuse = (why: string) => badRequest(`Invalid request body: mediaConfig.blob: ${why}`);
  let raw: unknown;
  try {
    raw = JSON.parse(blob);
  } catch {
    throw refuse('is not a media configuration this platform can read (expected the JSON a media pod returns from PrepareCall).');
  }
  const parsed = blobSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw refuse(issue?.path.length ? `${issue.path.join('.')}: ${issue.message}` : (issue?.message ?? 'is malformed'));
  }
  let settings: MediaSessionSettings;
  try {
    settings = MediaSessionSettings.fromJSON(parsed.data.settings);
  } catch (err) {
    throw refuse(`settings: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { ...parsed.data, settings };
}

/** Where to dial a pod: the blob's target, or its port on `hostTemplate` (`{pod}` = pod name) when one is set. */
export function streamAddress(blob: MediaBlob, hostTemplate: string | undefined): string {
  if (!hostTemplate) return blob.streamTarget;
  const port = blob.streamTarget.slice(blob.streamTarget.lastIndexOf(':') + 1);
  return `${hostTemplate.replaceAll('{pod}', blob.podName)}:${port}`;
}
