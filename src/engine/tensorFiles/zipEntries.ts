// Just enough of the ZIP format (PKWARE APPNOTE 6.3: end of central directory, ZIP64, central directory, local
// headers) to list the entries of a `torch.save` archive and read one entry's bytes, from an open file, without
// loading the whole archive. torch stores entries uncompressed; deflated ones are inflated.
import type { FileHandle } from 'node:fs/promises';
import { inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflate. */
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

/** Thrown when the bytes are not a ZIP archive this reader understands; the message says what is wrong. */
export class ZipFormatError extends Error {}

async function readAt(fh: FileHandle, offset: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  const { bytesRead } = await fh.read(buf, 0, length, offset);
  if (bytesRead !== length) throw new ZipFormatError(`the archive ends early (wanted ${length} bytes at ${offset})`);
  return buf;
}

const safe = (v: bigint, what: string): number => {
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipFormatError(`${what} ${v} is not plausible`);
  return Number(v);
};

/**
 * The entries of the archive in `fh`, by name.
 * @throws ZipFormatError when there is no end-of-central-directory record or a record is malformed
 */
export async function listZipEntries(fh: FileHandle): Promise<Map<string, ZipEntry>> {
  const fileSize = (await fh.stat()).size;
  // The EOCD record is 22 bytes plus a comment of at most 65,535 bytes, at the very end.
  const tailLength = Math.min(fileSize, 22 + 65535);
  const tail = await readAt(fh, fileSize - tailLength, tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new ZipFormatError('no ZIP end-of-central-directory record');
  let count = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    // ZIP64: a locator just before the EOCD points at the ZIP64 EOCD record.
    const locAt = eocd - 20;
    if (locAt < 0 || tail.readUInt32LE(locAt) !== 0x07064b50) throw new ZipFormatError('ZIP64 locator missing');
    const z64Offset = safe(tail.readBigUInt64LE(locAt + 8), 'ZIP64 record offset');
    const z64 = await readAt(fh, z64Offset, 56);
    if (z64.readUInt32LE(0) !== 0x06064b50) throw new ZipFormatError('ZIP64 end-of-central-directory record missing');
    count = safe(z64.readBigUInt64LE(32), 'entry count');
    cdSize = safe(z64.readBigUInt64LE(40), 'central directory size');
    cdOffset = safe(z64.readBigUInt64LE(48), 'central directory offset');
  }
  if (cdOffset + cdSize > fileSize) throw new ZipFormatError('the central directory lies beyond the end of the file');
  const cd = await readAt(fh, cdOffset, cdSize);
  const entries = new Map<string, ZipEntry>();
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== 0x02014b50) throw new ZipFormatError(`central directory entry ${i} is malformed`);
    const method = cd.readUInt16LE(p + 10);
    let compressedSize = cd.readUInt32LE(p + 20);
    let size = cd.readUInt32LE(p + 24);
    const nameLength = cd.readUInt16LE(p + 28);
    const extraLength = cd.readUInt16LE(p + 30);
    const commentLength = cd.readUInt16LE(p + 32);
    let localHeaderOffset = cd.readUInt32LE(p + 42);
    const name = cd.toString('utf8', p + 46, p + 46 + nameLength);
    // ZIP64 extra field (id 1): the 64-bit values, in this order, of those fields that are 0xFFFFFFFF.
    let e = p + 46 + nameLength;
    const extraEnd = e + extraLength;
    while (e + 4 <= extraEnd) {
      const id = cd.readUInt16LE(e);
      const len = cd.readUInt16LE(e + 2);
      if (id === 1) {
        let q = e + 4;
        if (size === 0xffffffff) { size = safe(cd.readBigUInt64LE(q), 'entry size'); q += 8; }
        if (compressedSize === 0xffffffff) { compressedSize = safe(cd.readBigUInt64LE(q), 'entry size'); q += 8; }
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = safe(cd.readBigUInt64LE(q), 'entry offset');
      }
      e += 4 + len;
    }
    entries.set(name, { name, method, compressedSize, size, localHeaderOffset });
    p = extraEnd + commentLength;
  }
  return entries;
}

/**
 * The uncompressed bytes of `entry`.
 * @throws ZipFormatError for a bad local header, an unsupported compression method or a size mismatch
 */
export async function readZipEntry(fh: FileHandle, entry: ZipEntry): Promise<Buffer> {
  const header = await readAt(fh, entry.localHeaderOffset, 30);
  if (header.readUInt32LE(0) !== 0x04034b50) throw new ZipFormatError(`entry "${entry.name}" has no local header`);
  const dataStart = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  const raw = await readAt(fh, dataStart, entry.compressedSize);
  if (entry.method === 0) return raw;
  if (entry.method === 8) {
    const out = inflateRawSync(raw);
    if (out.length !== entry.size) throw new ZipFormatError(`entry "${entry.name}" inflates to ${out.length} bytes, not ${entry.size}`);
    return out;
  }
  throw new ZipFormatError(`entry "${entry.name}" uses compression method ${entry.method} (only stored and deflate are read)`);
}
