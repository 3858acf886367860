import type { MediaConfig, MediaPrompt } from './media-config';
import type { AnswerRequest } from './requests';

/** A prompt Graph plays from a URL (WAV, 16 kHz mono 16-bit). */
export const mediaPrompt = (uri: string): MediaPrompt => ({
  '@odata.type': '#microsoft.graph.mediaPrompt',
  mediaInfo: { '@odata.type': '#microsoft.graph.mediaInfo', uri },
});

/** Graph hosts the media: prompts, tones and recordResponse are its verbs. */
export const serviceHostedMedia = (): MediaConfig => ({ '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' });

/** Answer an audio call with service-hosted media; Graph then notifies at `callbackUri`. */
export const serviceHostedAudioAnswer = (callbackUri: string): AnswerRequest => ({
  callbackUri,
  acceptedModalities: ['audio'],
  mediaConfig: serviceHostedMedia(),
});
