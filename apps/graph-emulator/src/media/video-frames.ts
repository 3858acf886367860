import { MediaKind, type VideoFrame, VideoFormat, type VideoSubscription } from '@switchboard/media-proto';

/** Simulated cameras send small frames at a low rate: enough for a bot to see video arrive, cheap to generate. */
export const VIDEO_EVERY_AUDIO_FRAMES = 10;
const DEFAULT_WIDTH = 160;
const DEFAULT_HEIGHT = 90;

/** A subscription's frame size: what it allows, at most the default small size, even (NV12 halves the chroma). */
function sizeOf(subscription: VideoSubscription): { width: number; height: number } {
  const even = (n: number) => Math.max(2, n - (n % 2));
  return {
    width: even(Math.min(subscription.maxWidth || DEFAULT_WIDTH, DEFAULT_WIDTH)),
    height: even(Math.min(subscription.maxHeight || DEFAULT_HEIGHT, DEFAULT_HEIGHT)),
  };
}

/**
 * One synthetic NV12 frame of a participant's camera: a luma ramp that moves with `n` (so consecutive frames
 * differ) over neutral chroma. Only NV12 is simulated; other formats get NV12-sized frames marked NV12.
 */
export function cameraFrame(subscription: VideoSubscription, n: number, timestampTicks: bigint): VideoFrame {
  const { width, height } = sizeOf(subscription);
  const data = Buffer.alloc((width * height * 3) / 2, 128);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data[y * width + x] = (x + y + n * 4) & 0xff;
  }
  return { msi: subscription.msi, format: VideoFormat.VIDEO_FORMAT_NV12, width, height, data, timestampTicks, kind: MediaKind.MEDIA_KIND_VIDEO };
}
