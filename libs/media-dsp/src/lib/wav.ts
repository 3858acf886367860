/** A WAV file that cannot be read: the message says what is wrong and where. */
export class WavFormatError extends Error {
  override readonly name = 'WavFormatError';
}

export interface PcmAudio {
  sampleRate: number;
  channels: number;
  /** Interleaved 16-bit samples. */
  samples: Int16Array;
}

const PCM = 1;
const EXTENSIBLE = 0xfffe;
const HEADER_BYTES = 44;
/** The size a streamed WAV gives its RIFF and data chunks. */
const STREAMING_SIZE = 0xffffffff;

const fourCc = (view: DataView, at: number): string => String.fromCharCode(view.getUint8(at), view.getUint8(at + 1), view.getUint8(at + 2), view.getUint8(at + 3));

/**
 * Reads a RIFF/WAVE file of 16-bit PCM (format 1, or WAVE_FORMAT_EXTENSIBLE with the PCM sub-format), skipping the
 * chunks it does not need (LIST, fact, …). Anything else is a WavFormatError naming the problem.
 */
export function readWav(bytes: Uint8Array): PcmAudio {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 12) throw new WavFormatError(`not a WAV file: ${bytes.byteLength} bytes is shorter than a RIFF header`);
  if (fourCc(view, 0) !== 'RIFF') throw new WavFormatError(`not a WAV file: it starts with "${fourCc(view, 0)}", not "RIFF"`);
  if (fourCc(view, 8) !== 'WAVE') throw new WavFormatError(`not a WAV file: the RIFF form is "${fourCc(view, 8)}", not "WAVE"`);
  let format: { sampleRate: number; channels: number; blockAlign: number } | undefined;
  let at = 12;
  while (at + 8 <= bytes.byteLength) {
    const id = fourCc(view, at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + size > bytes.byteLength) throw new WavFormatError(`the fmt chunk at byte ${at} is ${size} bytes; 16 or more are needed and it must fit in the file`);
      let code = view.getUint16(body, true);
      if (code === EXTENSIBLE && size >= 40) code = view.getUint16(body + 24, true);
      const channels = view.getUint16(body + 2, true);
      const sampleRate = view.getUint32(body + 4, true);
      const blockAlign = view.getUint16(body + 12, true);
      const bits = view.getUint16(body + 14, true);
      if (code !== PCM) throw new WavFormatError(`unsupported WAV encoding: format code ${code}; only PCM (1) is read`);
      if (bits !== 16) throw new WavFormatError(`unsupported WAV sample size: ${bits} bits; only 16-bit PCM is read`);
      if (channels < 1) throw new WavFormatError('the fmt chunk says 0 channels');
      if (sampleRate < 1) throw new WavFormatError('the fmt chunk says a sample rate of 0 Hz');
      if (blockAlign !== channels * 2) throw new WavFormatError(`the fmt chunk's block align is ${blockAlign}; ${channels} channels of 16 bits need ${channels * 2}`);
      format = { sampleRate, channels, blockAlign };
    } else if (id === 'data') {
      if (!format) throw new WavFormatError('the data chunk comes before the fmt chunk');
      // A WAV written as a stream does not know its length: the data runs to the end of the file.
      if (size === STREAMING_SIZE) return pcmOf(view, body, bytes.byteLength - body - ((bytes.byteLength - body) % format.blockAlign), format);
      if (body + size > bytes.byteLength) throw new WavFormatError(`the data chunk says ${size} bytes but the file ends ${bytes.byteLength - body} bytes after its header (truncated?)`);
      if (size % format.blockAlign !== 0) throw new WavFormatError(`the data chunk's ${size} bytes are not a whole number of ${format.blockAlign}-byte sample frames`);
      return pcmOf(view, body, size, format);
    }
    // Chunks are padded to an even length.
    at = body + size + (size % 2);
  }
  throw new WavFormatError(format ? 'no data chunk in the WAV file' : 'no fmt chunk in the WAV file');
}

function pcmOf(view: DataView, at: number, size: number, format: { sampleRate: number; channels: number }): PcmAudio {
  const samples = new Int16Array(size / 2);
  for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(at + 2 * i, true);
  return { sampleRate: format.sampleRate, channels: format.channels, samples };
}

/**
 * The 44-byte header of a WAV written as a stream, before its length is known: the RIFF and data sizes are
 * 0xFFFFFFFF (as ffmpeg writes to a pipe), meaning "to the end of the file". readWav reads such files.
 */
export function streamingWavHeader(sampleRate: number, channels = 1): Uint8Array {
  const header = writeWav({ sampleRate, channels, samples: new Int16Array(0) });
  const view = new DataView(header.buffer);
  view.setUint32(4, STREAMING_SIZE, true);
  view.setUint32(40, STREAMING_SIZE, true);
  return header;
}

/** A canonical 44-byte-header WAV file of 16-bit PCM. */
export function writeWav(audio: PcmAudio): Uint8Array {
  const { sampleRate, channels, samples } = audio;
  if (!Number.isInteger(channels) || channels < 1) throw new RangeError(`channels must be a positive integer, got ${channels}`);
  if (!Number.isInteger(sampleRate) || sampleRate < 1) throw new RangeError(`sample rate must be a positive integer in Hz, got ${sampleRate}`);
  if (samples.length % channels !== 0) throw new RangeError(`${samples.length} samples are not a whole number of ${channels}-channel frames`);
  const dataBytes = samples.length * 2;
  const bytes = new Uint8Array(HEADER_BYTES + dataBytes);
  const view = new DataView(bytes.buffer);
  const text = (at: number, value: string) => {
    for (let i = 0; i < 4; i++) view.setUint8(at + i, value.charCodeAt(i));
  };
  text(0, 'RIFF');
  view.setUint32(4, HEADER_BYTES - 8 + dataBytes, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, PCM, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * channels * 2, true);
  view.setUint16(32, channels * 2, true);
  view.setUint16(34, 16, true);
  text(36, 'data');
  view.setUint32(40, dataBytes, true);
  for (let i = 0; i < samples.length; i++) view.setInt16(HEADER_BYTES + 2 * i, samples[i], true);
  return bytes;
}
