import { AudioFormat, VideoFormat } from '@switchboard/media-proto';
import { HttpError } from '../http-kit';
import { mediaBlobOf, parseMediaBlob, streamAddress } from './media-blob';

const blob = (fields: Record<string, unknown>) =>
  JSON.stringify({ podName: 'media-0', streamTarget: 'media-0:50051', callId: 'call-1', settings: { audioFormat: 1 }, ...fields });

describe('media blob', () => {
  it('reads the JSON a media pod returns from PrepareCall, settings as the pod wrote them', () => {
    const parsed = parseMediaBlob(blob({ settings: { audioFormat: 1, receiveUnmixedAudio: true, videoSubscriptions: [{ msi: 3, format: 1 }] } }));
    expect(parsed).toMatchObject({ podName: 'media-0', streamTarget: 'media-0:50051', callId: 'call-1' });
    expect(parsed.settings).toMatchObject({ audioFormat: AudioFormat.AUDIO_FORMAT_PCM_16K, receiveUnmixedAudio: true, videoSubscriptions: [{ msi: 3, format: VideoFormat.VIDEO_FORMAT_NV12 }] });
  });

  it.each([
    ['not json', /cannot read|can read/],
    [blob({ streamTarget: 'media-0' }), /streamTarget: streamTarget must be host:port/],
    [blob({ podName: '' }), /podName/],
    [blob({ callId: 'has space' }), /callId/],
    [blob({ settings: 'pcm' }), /settings/],
  ])('refuses %s with a 400 naming mediaConfig.blob', (raw, why) => {
    let error: unknown;
    try {
      parseMediaBlob(raw);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(400);
    expect((error as HttpError).message).toMatch(/^Invalid request body: mediaConfig\.blob: /);
    expect((error as HttpError).message).toMatch(why);
  });

  it('dials the blob’s target, or its port on a host template', () => {
    const parsed = parseMediaBlob(blob({}));
    expect(streamAddress(parsed, undefined)).toBe('media-0:50051');
    expect(streamAddress(parsed, '127.0.0.1')).toBe('127.0.0.1:50051');
    expect(streamAddress(parsed, '{pod}.media-headless')).toBe('media-0.media-headless:50051');
  });

  it('finds a blob only in an app-hosted configuration', () => {
    expect(mediaBlobOf({ '@odata.type': '#microsoft.graph.appHostedMediaConfig', blob: 'x' })).toBe('x');
    expect(mediaBlobOf({ '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' })).toBeUndefined();
    expect(mediaBlobOf(undefined)).toBeUndefined();
  });
});
