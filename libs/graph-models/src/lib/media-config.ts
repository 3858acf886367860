import { z } from 'zod';
import { graphEnum, graphObject } from './odata';

export const mediaInfoSchema = graphObject({
  '@odata.type': z.string().optional(),
  uri: z.string().min(1),
  resourceId: z.string().nullish(),
});
export type MediaInfo = z.infer<typeof mediaInfoSchema>;

export const mediaPromptSchema = graphObject({
  '@odata.type': z.string().optional(),
  mediaInfo: mediaInfoSchema,
});
export type MediaPrompt = z.infer<typeof mediaPromptSchema>;

export const serviceHostedMediaConfigSchema = graphObject({
  '@odata.type': z.literal('#microsoft.graph.serviceHostedMediaConfig'),
  preFetchMedia: z.array(mediaInfoSchema).nullish(),
  removeFromDefaultAudioGroup: z.boolean().nullish(),
});

export const appHostedMediaConfigSchema = graphObject({
  '@odata.type': z.literal('#microsoft.graph.appHostedMediaConfig'),
  /** Opaque; produced by the media platform for the pod that will carry the call. */
  blob: z.string().min(1),
  removeFromDefaultAudioGroup: z.boolean().nullish(),
});

/** Either Graph hosts the media (prompts, tones, recordResponse) or our media pods do (frames over gRPC). */
export const mediaConfigSchema = z.discriminatedUnion('@odata.type', [
  serviceHostedMediaConfigSchema,
  appHostedMediaConfigSchema,
]);
export type MediaConfig = z.infer<typeof mediaConfigSchema>;

export const modalitySchema = graphEnum(['unknown', 'audio', 'video', 'videoBasedScreenSharing', 'data']);
export type Modality = z.infer<typeof modalitySchema>;
