import { formatMs, formatNumber, formatTable } from './text-table';

describe('formatTable', () => {
  it('pads labels to the left and figures to the right', () => {
    expect(formatTable([
      ['', 'rate', 'p50 ms'],
      ['subject', '10', '4.25'],
      ['baseline', '100', '12.5'],
    ])).toEqual(['          rate  p50 ms', 'subject     10    4.25', 'baseline   100    12.5']);
  });

  it('treats missing cells as empty', () => {
    expect(formatTable([['a', '1'], ['bb']])).toEqual(['a   1', 'bb']);
  });
});

describe('figures', () => {
  it('prints - for what was not measured', () => {
    expect(formatNumber(Number.NaN)).toBe('-');
    expect(formatMs(Number.POSITIVE_INFINITY)).toBe('-');
  });

  it('keeps two decimals below 10 ms and one above', () => {
    expect(formatMs(3.14159)).toBe('3.14');
    expect(formatMs(31.4159)).toBe('31.4');
    expect(formatNumber(2.5, 1)).toBe('2.5');
  });
});
