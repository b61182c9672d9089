// Runs training shards and inference batches either on this thread or on worker threads (data parallelism:
// one wasm backend per worker, gradients summed in a fixed shard order). Node has no wasm threads, so this is
// how training uses more than one core.
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { BertCompute, jsEmbeddings, type ComputeOptions, type ShardLoss } from './bertCompute';
import { scatterEmbeddingGrad } from './embeddingLookup';
import type { BertConfig } from './bertConfig';
import type { TokenBatch } from './embeddingLookup';
import type { ParamSpec, ParamStore } from '../nn/paramStore';
import { parseBertConfig } from './bertConfig';
import type { BackendName } from '../../../protocol/train';

/** One slice of a training batch, computed by one backend, with its loss coefficients (scaled by 1 / samples of the step). */
export interface ShardJob extends TokenBatch, ShardLoss {
  dropoutSeed: number;
}

export interface GradientRunner {
  /** Zeroes `grads` on the trainable tensors, adds every shard's gradient, returns the scaled loss. */
  gradients(shards: readonly ShardJob[], grads: Float32Array): Promise<number>;
  /** Eval-mode logits (or pooled vectors) per batch, in order. */
  infer(batches: readonly TokenBatch[], what: 'logits' | 'pooled'): Promise<Float32Array[]>;
  /** The trainable parameter values changed (after an optimiser step). */
  trainableChanged(): void;
  /** All parameter values changed (a checkpoint was loaded). */
  allChanged(): void;
  readonly workers: number;
  dispose(): Promise<void>;
}

/** Everything a worker needs to rebuild the model over the shared parameter buffer. */
export interface WorkerInit {
  configRaw: Record<string, unknown>;
  specs: ParamSpec[];
  /** The main thread copies parameter values here before each request that follows a change. */
  params: SharedArrayBuffer;
  trainable: string[];
  lora?: { scale: number; dropout: number };
  backend: 'auto' | BackendName;
  /** Threads of each native matrix product (enableNativeMatMul) in this worker. */
  nativeThreads: number;
  /** Layer-wise gradients (ComputeOptions.layerwise) and the shards that keep their products (keptProductTokens). */
  layerwise?: boolean;
  keptProductTokens?: number;
}

export type WorkerRequest =
  | { kind: 'gradients'; trainableVersion: number; allVersion: number; shards: ShardJob[]; grads?: Float32Array }
  | { kind: 'infer'; trainableVersion: number; allVersion: number; batches: TokenBatch[]; what: 'logits' | 'pooled' };

export type WorkerReply = { kind: 'gradients'; loss: number; grads: Float32Array; dEmbs: (Float32Array | undefined)[] } | { kind: 'infer'; outputs: Float32Array[] } | { kind: 'error'; message: string } | { kind: 'ready' };

function zeroTrainable(grads: Float32Array, specs: readonly ParamSpec[]): void {
  for (const s of specs) grads.fill(0, s.offset, s.offset + s.size);
}

/** Runs everything on the calling thread's backend. */
export class LocalRunner implements GradientRunner {
  readonly workers = 1;
  private readonly compute: BertCompute;
  private readonly trainableSpecs: ParamSpec[];

  constructor(private readonly cfg: BertConfig, private readonly store: ParamStore, options: ComputeOptions) {
    this.compute = new BertCompute(cfg, store, options);
    this.trainableSpecs = store.specs.filter((s) => options.trainable.has(s.name));
  }

  async gradients(shards: readonly ShardJob[], grads: Float32Array): Promise<number> {
    zeroTrainable(grads, this.trainableSpecs);
    let loss = 0;
    for (const s of shards) {
      const r = this.compute.lossAndGrads(s, s, s.dropoutSeed, grads);
      loss += r.loss;
      if (r.dEmb) scatterEmbeddingGrad(this.cfg, this.store, grads, s, r.dEmb);
    }
    return loss;
  }

  async infer(batches: readonly TokenBatch[], what: 'logits' | 'pooled'): Promise<Float32Array[]> {
    return batches.map((b) => (what === 'logits' ? this.compute.logits(b) : this.compute.pooled(b)));
  }

  trainableChanged(): void {
    this.compute.invalidateTrainable();
  }

  allChanged(): void {
    this.compute.invalidateAll();
  }

  async dispose(): Promise<void> {
    this.compute.dispose();
  }
}

/**
 * How to start a worker: dist/trainWorker.js when bundled; under tsx (tests, benches) a small bootstrap that
 * registers tsx's CommonJS hook first, since `--import tsx` in a worker's execArgv does not reach its entry.
 */
function workerEntry(): { code: string; eval: boolean } {
  if (__filename.endsWith('.ts')) {
    const tsx = createRequire(__filename).resolve('tsx/cjs');
    const entry = join(__dirname, '..', '..', 'train', 'worker.ts');
    return { code: `require(${JSON.stringify(tsx)}); require(${JSON.stringify(entry)});`, eval: true };
  }
  const bundled = join(__dirname, 'trainWorker.js');
  return { code: existsSync(bundled) ? bundled : join(__dirname, '..', 'trainWorker.js'), eval: false };
}

interface PendingWorker {
  worker: Worker;
  /** The worker's gradient buffer while it is on this side (transferred back and forth, never copied). */
  grads?: Float32Array;
  resolve?: (r: WorkerReply) => void;
  reject?: (e: Error) => void;
}

/** Spreads shards and inference batches over `count` worker threads (round-robin, summed in shard order). */
export class WorkerRunner implements GradientRunner {
  private trainableVersion = 0;
  private allVersion = 0;
  private readonly pool: PendingWorker[] = [];
  private readonly trainableSpecs: ParamSpec[];
  private readonly mirror: Float32Array;
  private mirrorStale = false;

  private constructor(readonly workers: number, private readonly cfg: BertConfig, private readonly store: ParamStore, trainable: ReadonlySet<string>) {
    this.trainableSpecs = store.specs.filter((s) => trainable.has(s.name));
    this.mirror = new Float32Array(new SharedArrayBuffer(store.size * 4));
    this.mirror.set(store.data);
  }

  /** Copies the parameters to the shared mirror the workers read (one memcpy per change). */
  private syncMirror(): void {
    if (!this.mirrorStale) return;
    this.mirror.set(this.store.data);
    this.mirrorStale = false;
  }

  /** Starts `count` workers and waits until each has initialised its backend. */
  static async start(count: number, cfg: BertConfig, store: ParamStore, options: ComputeOptions, backend: 'auto' | BackendName, nativeThreads = 1): Promise<WorkerRunner> {
    const runner = new WorkerRunner(count, cfg, store, options.trainable);
    const entry = workerEntry();
    await Promise.all(Array.from({ length: count }, async () => {
      const init: WorkerInit = {
        configRaw: { ...cfg.raw }, specs: [...store.specs], params: runner.mirror.buffer as SharedArrayBuffer,
        trainable: [...options.trainable], lora: options.lora, layerwise: options.layerwise, keptProductTokens: options.keptProductTokens, backend, nativeThreads,
      };
      const worker = new Worker(entry.code, { workerData: init, eval: entry.eval });
      worker.unref();
      const slot: PendingWorker = { worker };
      runner.pool.push(slot);
      worker.on('message', (r: WorkerReply) => {
        const resolve = slot.resolve;
        const reject = slot.reject;
        slot.resolve = slot.reject = undefined;
        if (r.kind === 'error') reject?.(new Error(`training worker failed: ${r.message}`));
        else resolve?.(r);
      });
      worker.on('error', (e) => slot.reject?.(e));
      await new Promise<WorkerReply>((resolve, reject) => Object.assign(slot, { resolve, reject }));
    }));
    return runner;
  }

  private call(slot: PendingWorker, req: WorkerRequest): Promise<WorkerReply> {
    this.syncMirror();
    return new Promise((resolve, reject) => {
      Object.assign(slot, { resolve, reject });
      const transfer = req.kind === 'gradients' && req.grads ? [req.grads.buffer as ArrayBuffer] : [];
      // A worker with no shard this step still answers, with its buffer untouched.
      slot.worker.postMessage(req, transfer);
    });
  }

  async gradients(shards: readonly ShardJob[], grads: Float32Array): Promise<number> {
    const n = this.pool.length;
    const replies = await Promise.all(this.pool.map((slot, w) => {
      const mine = shards.filter((_, i) => i % n === w);
      const own = slot.grads;
      slot.grads = undefined;
      return this.call(slot, { kind: 'gradients', trainableVersion: this.trainableVersion, allVersion: this.allVersion, shards: mine, grads: own });
    }));
    replies.forEach((r, w) => {
      if (r.kind === 'gradients') this.pool[w].grads = r.grads;
    });
    zeroTrainable(grads, this.trainableSpecs);
    // Shard i went to worker i % n: add tfjs-side gradients in shard order, then scatter embedding rows in shard
    // order, exactly as LocalRunner does, so the result does not depend on the number of workers.
    for (let i = 0; i < Math.min(n, shards.length); i++) {
      const g = this.pool[i].grads!;
      for (const s of this.trainableSpecs) {
        if (jsEmbeddings.has(s.name)) continue;
        const end = s.offset + s.size;
        for (let j = s.offset; j < end; j++) grads[j] += g[j];
      }
    }
    shards.forEach((shard, i) => {
      const r = replies[i % n];
      const dEmb = r.kind === 'gradients' ? r.dEmbs[Math.floor(i / n)] : undefined;
      if (dEmb) scatterEmbeddingGrad(this.cfg, this.store, grads, shard, dEmb);
    });
    return replies.reduce((sum, r) => sum + (r.kind === 'gradients' ? r.loss : 0), 0);
  }

  async infer(batches: readonly TokenBatch[], what: 'logits' | 'pooled'): Promise<Float32Array[]> {
    const n = this.pool.length;
    const replies = await Promise.all(this.pool.map((slot, w) => {
      const mine = batches.filter((_, i) => i % n === w);
      return this.call(slot, { kind: 'infer', trainableVersion: this.trainableVersion, allVersion: this.allVersion, batches: mine, what });
    }));
    const out: Float32Array[] = new Array(batches.length);
    replies.forEach((r, w) => {
      if (r.kind !== 'infer') return;
      r.outputs.forEach((o, j) => (out[w + j * n] = o));
    });
    return out;
  }

  trainableChanged(): void {
    this.trainableVersion++;
    this.mirrorStale = true;
  }

  allChanged(): void {
    this.allVersion++;
    this.mirrorStale = true;
  }

  async dispose(): Promise<void> {
    await Promise.all(this.pool.map((s) => s.worker.terminate()));
  }
}

/** Rebuilds the config inside a worker. */
export function workerConfig(init: WorkerInit): BertConfig {
  return parseBertConfig(init.configRaw);
}
