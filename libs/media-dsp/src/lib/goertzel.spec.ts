import { DTMF_COLUMN_HZ, DTMF_ROW_HZ } from './dtmf-keys';
import { GoertzelBin, runBank8 } from './goertzel';
import { SeededRandom } from './random';

describe('runBank8', () => {
  it('gives every bin exactly what running it alone gives', () => {
    const random = new SeededRandom(9);
    const block = Float64Array.from({ length: 320 }, () => random.between(-30000, 30000));
    const frequencies = [...DTMF_ROW_HZ, ...DTMF_COLUMN_HZ];
    const alone = frequencies.map((f) => new GoertzelBin(f, 16_000));
    const bank = frequencies.map((f) => new GoertzelBin(f, 16_000));
    for (const bin of alone) bin.run(block);
    runBank8(bank, block);
    expect(bank.map((b) => [b.re, b.im, b.power])).toEqual(alone.map((b) => [b.re, b.im, b.power]));
  });
});
