import { jsonOrUndefined } from './json';

describe('jsonOrUndefined', () => {
  it('parses text and bytes alike, and answers undefined for what is not JSON', () => {
    expect(jsonOrUndefined('{"ok":true}')).toEqual({ ok: true });
    expect(jsonOrUndefined(new TextEncoder().encode('[1,2]'))).toEqual([1, 2]);
    expect([jsonOrUndefined('<html>'), jsonOrUndefined(''), jsonOrUndefined(new Uint8Array([0xff]))]).toEqual([undefined, undefined, undefined]);
  });
});
