// Feature-extraction mode's on-disk cache of pooled encoder outputs, one vector per distinct text, keyed by
// model weights + maxLength + the training set: the frozen encoder runs once per example, and a second run on
// the same data reuses every vector.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ParamStore } from './paramStore';
import { EngineError } from '../../errors';
import { EngineErrorCodes } from '../../../protocol/errors';

/** Texts the encoder embeds between two progress reports and cancellation checks in `vectorsInChunks`. */
export const embedChunkSize = 256;

/** sha256 hex of a text (cache lookups never keep the texts themselves). */
export function textKey(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/**
 * Where a run's feature cache goes, from its runs folder, so it is written where runs are (a read-only dataset
 * folder with `--runs-dir` elsewhere can still train in feature-extraction mode): beside the runs in the
 * `.classifier-workbench` folder that holds them (`<.classifier-workbench>/cache/features`, the place every cache
 * had before, for the default runs folder), else in the runs folder itself (`<runsDir>/.cache/features`; run
 * listings skip folders without run.json).
 */
export function featureCacheDir(runsDir: string): string {
  const parent = dirname(runsDir);
  return basename(parent) === '.classifier-workbench' ? join(parent, 'cache', 'features') : join(runsDir, '.cache', 'features');
}

/** The cache folder of a dataset's own `.classifier-workbench`: every cache's place before `featureCacheDir`. */
export function datasetFeatureCacheDir(dataset: string): string {
  return join(dirname(dataset), '.classifier-workbench', 'cache', 'features');
}

export class FeatureCache {
  private readonly vectors = new Map<string, Float32Array>();
  private dirty = false;
  /** Texts whose vector came from the cache / had to be computed, since creation. */
  hits = 0;
  computed = 0;

  private constructor(readonly file: string, readonly dim: number) {}

  /**
   * Opens (or starts) the cache file for this model/data/length combination.
   * @param key the parts that make vectors valid: model fingerprint, max length, dataset fingerprint
   * @param readAlso folders whose file of the same key is read when `dir` has none (an older cache place);
   *   saving always writes to `dir`.
   */
  static async open(dir: string, key: string[], dim: number, readAlso: readonly string[] = []): Promise<FeatureCache> {
    const name = createHash('sha256').update(key.join('\n')).digest('hex').slice(0, 24);
    const cache = new FeatureCache(join(dir, `features-${name}.bin`), dim);
    try {
      const buf = await readFirst([cache.file, ...readAlso.map((d) => join(d, `features-${name}.bin`))]);
      // Layout: repeated [32 ASCII hex chars of the key][dim × f32 little-endian].
      const rec = 32 + dim * 4;
      for (let off = 0; off + rec <= buf.length; off += rec) {
        const k = buf.toString('latin1', off, off + 32);
        const v = new Float32Array(dim);
        for (let j = 0; j < dim; j++) v[j] = buf.readFloatLE(off + 32 + j * 4);
        cache.vectors.set(k, v);
      }
    } catch {
      // No cache yet.
    }
    return cache;
  }

  /**
   * Opens the cache for a frozen encoder: keyed by its config (`configRaw`), every weight outside the trained
   * `classifier.*` head, `maxLength` and the training texts' keys. Default folder:
   * `<dataset folder>/.classifier-workbench/cache/features`; with `cacheDir` (a run's `featureCacheDir`), a cache
   * left in the default folder by an earlier run is still read.
   */
  static async forEncoder(encoder: { configRaw: unknown; store: ParamStore; dim: number }, maxLength: number, trainKeys: readonly string[], place: { dataset: string; cacheDir?: string }): Promise<FeatureCache> {
    const { store } = encoder;
    const modelHash = createHash('sha256').update(JSON.stringify(encoder.configRaw));
    for (const s of store.specs) if (!s.name.startsWith('classifier.')) modelHash.update(new Uint8Array(store.data.buffer, s.offset * 4, s.size * 4));
    const dataHash = createHash('sha256');
    for (const k of trainKeys) dataHash.update(k);
    const legacy = datasetFeatureCacheDir(place.dataset);
    const dir = place.cacheDir ?? legacy;
    return FeatureCache.open(dir, [modelHash.digest('hex'), String(maxLength), dataHash.digest('hex')], encoder.dim, dir === legacy ? [] : [legacy]);
  }

  /** Indices of the first text of each distinct key not cached yet; counts the cached ones as hits. */
  private missingIndices(keys: readonly string[]): number[] {
    const missing: number[] = [];
    const seen = new Set<string>();
    keys.forEach((k, i) => {
      if (this.vectors.has(k)) this.hits++;
      else if (!seen.has(k)) {
        seen.add(k);
        missing.push(i);
      }
    });
    return missing;
  }

  /**
   * Vectors `[texts.length, dim]` in text order: cached ones reused, the others (each distinct text once)
   * computed by `compute(indices)` — rows `[indices.length, dim]` in the order given — then cached and saved.
   */
  async vectorsFor(texts: readonly string[], compute: (indices: number[]) => Promise<Float32Array> | Float32Array): Promise<Float32Array> {
    const keys = texts.map(textKey);
    const missing = this.missingIndices(keys);
    if (missing.length) {
      const computed = await compute(missing);
      missing.forEach((i, j) => this.set(keys[i]!, computed.slice(j * this.dim, (j + 1) * this.dim)));
      this.computed += missing.length;
      await this.save();
    }
    return this.rows(keys);
  }

  /**
   * Like `vectorsFor`, for many texts: the missing ones (each distinct text once) are computed `chunkSize` at a time,
   * with `onProgress(done, missing)` and a cancellation check between chunks, and the file is written once at the
   * end — also when cancelled or failed, so a second call resumes where this one stopped.
   * @throws EngineError(cancelled) when `signal` aborts between chunks; whatever `compute` throws.
   */
  async vectorsInChunks(texts: readonly string[], compute: (indices: number[]) => Promise<Float32Array> | Float32Array, options: { signal?: AbortSignal; onProgress?: (done: number, missing: number) => void; chunkSize?: number } = {}): Promise<Float32Array> {
    const keys = texts.map(textKey);
    const missing = this.missingIndices(keys);
    const chunkSize = options.chunkSize ?? embedChunkSize;
    if (missing.length) options.onProgress?.(0, missing.length);
    try {
      for (let start = 0; start < missing.length; start += chunkSize) {
        if (options.signal?.aborted) throw new EngineError(EngineErrorCodes.cancelled, 'Cancelled while the encoder embedded the texts (the vectors computed so far are cached).');
        const part = missing.slice(start, start + chunkSize);
        const computed = await compute(part);
        part.forEach((i, j) => this.set(keys[i]!, computed.slice(j * this.dim, (j + 1) * this.dim)));
        this.computed += part.length;
        options.onProgress?.(start + part.length, missing.length);
      }
    } finally {
      await this.save();
    }
    return this.rows(keys);
  }

  /** The cached vectors of `keys` (all present), `[keys.length, dim]`. */
  rows(keys: readonly string[]): Float32Array {
    const out = new Float32Array(keys.length * this.dim);
    keys.forEach((k, r) => out.set(this.vectors.get(k)!, r * this.dim));
    return out;
  }

  get size(): number {
    return this.vectors.size;
  }

  get(key: string): Float32Array | undefined {
    return this.vectors.get(key);
  }

  set(key: string, vector: Float32Array): void {
    this.vectors.set(key, vector);
    this.dirty = true;
  }

  /** Writes the cache atomically (temp file + rename) if anything was added. */
  async save(): Promise<void> {
    if (!this.dirty) return;
    const rec = 32 + this.dim * 4;
    const buf = Buffer.alloc(this.vectors.size * rec);
    let off = 0;
    for (const [k, v] of this.vectors) {
      buf.write(k, off, 32, 'latin1');
      Buffer.from(v.buffer, v.byteOffset, v.byteLength).copy(buf, off + 32);
      off += rec;
    }
    const dir = join(this.file, '..');
    await mkdir(dir, { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, buf);
    await rename(tmp, this.file);
    this.dirty = false;
  }
}

/** The bytes of the first of `files` that can be read; rejects with the first file's error when none can. */
async function readFirst(files: readonly string[]): Promise<Buffer> {
  let first: unknown;
  for (const file of files) {
    try {
      return await readFile(file);
    } catch (error) {
      first ??= error;
    }
  }
  throw first;
}
