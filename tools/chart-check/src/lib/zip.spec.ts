import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { readZipEntry } from './zip';

/** A little-endian record: its size and [offset, value, byte width] fields. */
function record(size: number, fields: [number, number, 2 | 4][]): Buffer {
  const buffer = Buffer.alloc(size);
  for (const [offset, value, width] of fields) {
    if (width === 2) buffer.writeUInt16LE(value, offset);
    else buffer.writeUInt32LE(value, offset);
  }
  return buffer;
}

/** A minimal zip archive: entries stored (method 0) or deflated (method 8), with a trailing comment. */
function zip(entries: { name: string; data: Buffer; deflate: boolean }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, data, deflate } of entries) {
    const body = deflate ? deflateRawSync(data) : data;
    const nameBytes = Buffer.from(name);
    const method = deflate ? 8 : 0;
    const local = record(30, [[0, 0x04034b50, 4], [8, method, 2], [18, body.length, 4], [22, data.length, 4], [26, nameBytes.length, 2]]);
    const central = record(46, [[0, 0x02014b50, 4], [10, method, 2], [20, body.length, 4], [24, data.length, 4], [28, nameBytes.length, 2], [42, offset, 4]]);
    locals.push(local, nameBytes, body);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const comment = Buffer.from('layer');
  const n = entries.length;
  const end = record(22, [[0, 0x06054b50, 4], [8, n, 2], [10, n, 2], [12, directory.length, 4], [16, offset, 4], [20, comment.length, 2]]);
  return Buffer.concat([...locals, directory, end, comment]);
}

describe('readZipEntry', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zip-spec-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'layer.zip');
  const binary = Buffer.from('\x7fELF'.repeat(1000));
  writeFileSync(
    file,
    zip([
      { name: 'helm/', data: Buffer.alloc(0), deflate: false },
      { name: 'kubectl/kubectl', data: Buffer.from('stored'), deflate: false },
      { name: 'helm/helm', data: binary, deflate: true },
    ]),
  );

  it('reads a deflated and a stored entry', () => {
    expect(readZipEntry(file, 'helm/helm').equals(binary)).toBe(true);
    expect(readZipEntry(file, 'kubectl/kubectl').toString()).toBe('stored');
  });

  it('names a missing entry and a file that is not a zip archive', () => {
    expect(() => readZipEntry(file, 'helm/missing')).toThrow(`${file} has no helm/missing`);
    const text = join(dir, 'text.zip');
    writeFileSync(text, 'not a zip');
    expect(() => readZipEntry(text, 'helm/helm')).toThrow('is not a zip archive');
  });
});
