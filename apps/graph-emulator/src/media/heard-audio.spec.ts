import { FRAME_SAMPLES, sineAmplitude } from '@switchboard/media-dsp';
import { HeardAudio } from './heard-audio';

const tone = (levelDbfs: number) => {
  const samples = new Int16Array(FRAME_SAMPLES);
  for (let i = 0; i < samples.length; i++) samples[i] = Math.round(sineAmplitude(levelDbfs) * Math.sin((2 * Math.PI * 440 * i) / 16_000));
  return new Uint8Array(samples.buffer);
};
const LOUD = tone(-12);
const QUIET = tone(-70);

describe('HeardAudio', () => {
  it('lays frames on a playout timeline: one right after the other when they come in a burst, at their arrival after a pause', () => {
    const heard = new HeardAudio();
    for (let i = 0; i < 5; i++) heard.add(LOUD, 'menu', 0);
    heard.add(LOUD, 'menu', 1000);
    const view = heard.view();
    expect(view.prompts).toEqual([{ promptId: 'menu', startMs: 0, endMs: 1020, frames: 6, heardMs: 120 }]);
    expect(view.segments).toEqual([
      { startMs: 0, endMs: 100 },
      { startMs: 1000, endMs: 1020 },
    ]);
    expect(view.heardSeconds).toBeCloseTo(0.12);
  });

  it('merges sound across short silences, counts quiet frames as not heard, and skips frames of the wrong size', () => {
    const heard = new HeardAudio();
    heard.add(LOUD, '', 0);
    for (let i = 0; i < 5; i++) heard.add(QUIET, '', 20 + i * 20);
    heard.add(LOUD, '', 120);
    heard.add(new Uint8Array(100), '', 140);
    const view = heard.view();
    expect(view).toMatchObject({ framesReceived: 8, framesMalformed: 1, heardSeconds: 0.04, prompts: [] });
    expect(view.segments).toEqual([{ startMs: 0, endMs: 140 }]);
  });

  it('keeps a bounded number of segments and counts the rest', () => {
    const heard = new HeardAudio();
    for (let i = 0; i < 600; i++) heard.add(LOUD, '', i * 1000);
    const view = heard.view();
    expect(view.segments).toHaveLength(500);
    expect(view.segmentsDropped).toBe(100);
  });
});
