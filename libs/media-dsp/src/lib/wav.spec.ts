import { readWav, streamingWavHeader, writeWav, WavFormatError } from './wav';

const audio = { sampleRate: 16000, channels: 1, samples: Int16Array.from([0, 1, -1, 32767, -32768, 1234]) };

/** A WAV file edited with `edit` (offsets are the canonical 44-byte header's). */
function edited(edit: (view: DataView) => void, source = writeWav(audio)): Uint8Array {
  const copy = source.slice();
  edit(new DataView(copy.buffer));
  return copy;
}

describe('WAV', () => {
  it('round-trips mono and stereo 16-bit PCM', () => {
    expect(readWav(writeWav(audio))).toEqual(audio);
    const stereo = { sampleRate: 48000, channels: 2, samples: Int16Array.from([1, 2, 3, 4, -5, -6]) };
    expect(readWav(writeWav(stereo))).toEqual(stereo);
  });

  it('writes the canonical header', () => {
    const bytes = writeWav(audio);
    const view = new DataView(bytes.buffer);
    expect(bytes.length).toBe(44 + 12);
    expect(Buffer.from(bytes.subarray(0, 4)).toString()).toBe('RIFF');
    expect(view.getUint32(4, true)).toBe(36 + 12);
    expect(view.getUint32(28, true)).toBe(32000);
    expect(view.getUint16(32, true)).toBe(2);
  });

  it('skips chunks it does not need, padded to even lengths, and reads a Buffer at an odd offset', () => {
    const plain = writeWav(audio);
    const list = Uint8Array.from([...Buffer.from('LIST'), 3, 0, 0, 0, 1, 2, 3, 0]);
    const withList = new Uint8Array(plain.length + list.length);
    withList.set(plain.subarray(0, 36));
    withList.set(list, 36);
    withList.set(plain.subarray(36), 36 + list.length);
    expect(readWav(withList)).toEqual(audio);
    const odd = Buffer.alloc(plain.length + 1);
    odd.set(plain, 1);
    expect(readWav(odd.subarray(1))).toEqual(audio);
  });

  it('reads a WAV written as a stream (sizes unknown) to the end of the file, whole sample frames only', () => {
    const header = streamingWavHeader(16000);
    expect(header.length).toBe(44);
    const data = writeWav(audio).subarray(44);
    const file = new Uint8Array([...header, ...data, 0x7f]);
    expect(readWav(file)).toEqual(audio);
    expect(readWav(header).samples).toEqual(new Int16Array(0));
  });

  it('says what is wrong with a file it cannot read', () => {
    const cases: [Uint8Array, RegExp][] = [
      [Uint8Array.from([1, 2, 3]), /shorter than a RIFF header/],
      [edited((v) => v.setUint8(0, 0x58)), /starts with "XIFF", not "RIFF"/],
      [edited((v) => v.setUint8(8, 0x58)), /form is "XAVE", not "WAVE"/],
      [edited((v) => v.setUint16(20, 3, true)), /format code 3; only PCM/],
      [edited((v) => v.setUint16(34, 8, true)), /8 bits; only 16-bit/],
      [edited((v) => v.setUint16(32, 4, true)), /block align is 4/],
      [edited((v) => v.setUint32(40, 1000, true)), /data chunk says 1000 bytes but the file ends 12 bytes after its header \(truncated\?\)/],
      [edited((v) => v.setUint32(40, 11, true)), /not a whole number of 2-byte sample frames/],
      [edited((v) => v.setUint8(36, 0x78)), /no data chunk/],
      [edited((v) => v.setUint8(12, 0x78)), /data chunk comes before the fmt chunk/],
    ];
    for (const [bytes, message] of cases) {
      expect(() => readWav(bytes)).toThrow(WavFormatError);
      expect(() => readWav(bytes)).toThrow(message);
    }
  });

  it('refuses to write samples that do not make whole frames', () => {
    expect(() => writeWav({ sampleRate: 16000, channels: 2, samples: new Int16Array(3) })).toThrow(/whole number of 2-channel frames/);
  });
});
