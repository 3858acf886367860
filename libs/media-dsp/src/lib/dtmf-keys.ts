/** The DTMF keypad: a key is one low-group (row) tone plus one high-group (column) tone. */
export const DTMF_ROW_HZ = [697, 770, 852, 941] as const;
export const DTMF_COLUMN_HZ = [1209, 1336, 1477, 1633] as const;

/** Keys by row, then column. */
const KEYPAD = ['123A', '456B', '789C', '*0#D'] as const;

export type DtmfDigit = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '*' | '#' | 'A' | 'B' | 'C' | 'D';

export const DTMF_DIGITS: readonly DtmfDigit[] = ['1', '2', '3', 'A', '4', '5', '6', 'B', '7', '8', '9', 'C', '*', '0', '#', 'D'];

/** The key at a row and column (0-3 each). */
export const dtmfDigitAt = (row: number, column: number): DtmfDigit => KEYPAD[row][column] as DtmfDigit;

export const isDtmfDigit = (value: string): value is DtmfDigit => value.length === 1 && DTMF_DIGITS.includes(value as DtmfDigit);

/** The row and column frequencies of a key. */
export function dtmfFrequencies(digit: DtmfDigit): { rowHz: number; columnHz: number } {
  const row = KEYPAD.findIndex((keys) => keys.includes(digit));
  if (row < 0) throw new RangeError(`"${digit}" is not a DTMF key (0-9, *, #, A-D)`);
  return { rowHz: DTMF_ROW_HZ[row], columnHz: DTMF_COLUMN_HZ[KEYPAD[row].indexOf(digit)] };
}
