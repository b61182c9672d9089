// A dataset that is a compressed archive (data.jsonl.gz, an export zipped by a browser) is recognised by its first
// bytes and refused with one clear sentence, instead of a UTF-8 or JSON error on every line of binary noise.
import { readFileHead } from '../../common/fileHead';
import { EngineError } from '../errors';
import { EngineErrorCodes } from '../../protocol/errors';

/** Magic numbers of the compressed formats a dataset file turns up in, with the command that decompresses each. */
const formats: { name: string; magic: number[]; command: string }[] = [
  { name: 'gzip', magic: [0x1f, 0x8b], command: 'gunzip -k FILE' },
  { name: 'zip', magic: [0x50, 0x4b, 0x03, 0x04], command: 'unzip FILE' },
  { name: 'zstd', magic: [0x28, 0xb5, 0x2f, 0xfd], command: 'zstd -d FILE' },
  { name: 'xz', magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], command: 'unxz -k FILE' },
  { name: 'bzip2', magic: [0x42, 0x5a, 0x68], command: 'bunzip2 -k FILE' },
];

/** The compression format whose magic number `head` (the file's first bytes) starts with, or undefined. */
export function compressionOf(head: Uint8Array): { name: string; command: string } | undefined {
  // bzip2's "BZh" is also plain text: it must be followed by a block size digit and the block magic's first byte.
  const found = formats.find((f) => f.magic.every((b, i) => head[i] === b));
  if (found?.name === 'bzip2' && !(head[3]! >= 0x31 && head[3]! <= 0x39 && head[4] === 0x31)) return undefined;
  return found && { name: found.name, command: found.command };
}

/**
 * Throws when `file` is compressed (gzip, zip, zstd, xz, bzip2 by magic number), naming the format and how to
 * decompress it. A file that cannot be opened passes: the reader reports that.
 * @throws EngineError (invalidDataset) naming the file
 */
export async function refuseCompressedDataset(file: string): Promise<void> {
  let head: Buffer;
  try {
    ({ head } = await readFileHead(file, 8));
  } catch {
    return;
  }
  const compression = compressionOf(head);
  if (!compression) return;
  const name = file.split(/[\\/]/).pop()!;
  const plain = name.replace(/\.(gz|gzip|zip|zst|xz|bz2)$/i, '');
  throw new EngineError(EngineErrorCodes.invalidDataset,
    `the file is ${compression.name}-compressed, not text: decompress it first (${compression.command.replace('FILE', name)}) and use the decompressed ${plain === name ? 'file' : plain}`, { file });
}
