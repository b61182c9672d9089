// Matrix products of the wasm backend run by ONNX Runtime's native CPU kernels (MLAS: AVX2/AVX-512, threaded)
// instead of the wasm build's XNNPACK (SIMD, one thread). Measured on the project's 2-core machine: 60–90
// GFLOP/s on one thread and up to ~140 on two, against 15–18 for wasm (docs/performance.md). Everything else
// stays on wasm; only `_FusedMatMul` (dense layers) and `BatchMatMul` (attention) are replaced, and each call
// reads its operands from, and writes its result into, the wasm heap in place (no copies).
import * as tf from '@tensorflow/tfjs-core';
import { createRequire } from 'node:module';
import { nodeProto, OnnxType, ProtoWriter, valueInfo } from '../tensorFiles/onnxProto';

/** The synchronous session object of onnxruntime-node's native binding (its public `run` is a promise). */
interface OrtBindingSession {
  loadModel(buffer: ArrayBuffer, byteOffset: number, byteLength: number, options: Record<string, unknown>): void;
  run(feeds: Record<string, unknown>, fetches: Record<string, unknown>, options: Record<string, unknown>): Record<string, unknown>;
  dispose(): void;
}
interface OrtModule {
  Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => unknown;
}
interface OrtBinding {
  binding: { InferenceSession: new () => OrtBindingSession };
  initOrt(): void;
}

/** Below this many multiply-adds a product stays on wasm: the native call costs ~30 µs. */
const minNativeMacs = 1 << 16;

/** What the wasm backend's kernels receive for a tensor (its heap data is found by dataId). */
export interface WasmTensorInfo {
  dataId: object;
  shape: number[];
  dtype: string;
}
/** The two wasm-backend methods a native kernel uses to write its output into the heap in place. */
export interface WasmBackendLike {
  makeOutput(shape: number[], dtype: 'float32'): WasmTensorInfo;
  typedArrayFromHeap(t: WasmTensorInfo): Float32Array;
}

let active: { threads: number; restore: () => void; session: NativeSessionFactory } | undefined;

/** A cached ONNX Runtime session per key, built on first use with this replica's threads (see enableNativeMatMul). */
export type NativeSessionFactory = (key: string, build: () => Uint8Array) => NativeSession;

/** The synchronous face of one native session: feeds and fetches are float32 views of the wasm heap. */
export interface NativeSession {
  run(feeds: Record<string, NativeTensorView>, fetches: Record<string, NativeTensorView>): void;
}

/** A float32 array (a live view of the wasm heap) with its dims, as a session's feed or preallocated fetch. */
export interface NativeTensorView {
  data: Float32Array;
  dims: readonly number[];
}

/**
 * Replaces the wasm backend's matrix-product kernels by ONNX Runtime's, when `onnxruntime-node` loads.
 * Call after the wasm backend is registered (selectBackend). Idempotent.
 * @param threads intra-op threads of each native product (the cores this replica may use)
 * @param options.spin whether ONNX Runtime's pool threads busy-wait between products (its default). Off by
 *   default here: between two products the main thread runs the wasm element-wise kernels, and a spinning pool
 *   thread takes the second core from it (and from every other process of a shared machine).
 * @returns undefined when active, else why not (one clause, for the backend note)
 */
export function enableNativeMatMul(threads: number, options: { spin?: boolean } = {}): string | undefined {
  if (active) return undefined;
  const loaded = loadOrt();
  if (typeof loaded === 'string') return loaded;
  const { ort, bind } = loaded;
  const original = {
    fused: tf.getKernel('_FusedMatMul', 'wasm'),
    batch: tf.getKernel('BatchMatMul', 'wasm'),
  };
  if (!original.fused || !original.batch) return 'the wasm backend is not registered';
  // Sessions of every native kernel of this replica (products here, element-wise ones in nativeElementwise.ts).
  const sessions = new Map<string, OrtBindingSession>();
  const session = (key: string, build: () => Uint8Array): OrtBindingSession => {
    let s = sessions.get(key);
    if (!s) {
      const bytes = build();
      s = new bind.binding.InferenceSession();
      s.loadModel(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength, {
        intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all',
        extra: { session: { intra_op: { allow_spinning: options.spin ? '1' : '0' } } },
      });
      sessions.set(key, s);
    }
    return s;
  };

  /** `Y [m, n] = op(A) · op(B) (+ C [n])` with one Gemm; operands are live views of the wasm heap. */
  const gemm = (backend: WasmBackendLike, a: WasmTensorInfo, b: WasmTensorInfo, bias: WasmTensorInfo | undefined, ta: boolean, tb: boolean): WasmTensorInfo => {
    const [ar, ac] = a.shape.slice(-2);
    const [br, bc] = b.shape.slice(-2);
    const m = ta ? ac : ar;
    const n = tb ? br : bc;
    const out = backend.makeOutput([m, n], 'float32');
    // Views are taken after the output is allocated: a heap growth would detach earlier ones.
    const feeds: Record<string, unknown> = {
      A: new ort.Tensor('float32', backend.typedArrayFromHeap(a), [ar, ac]),
      B: new ort.Tensor('float32', backend.typedArrayFromHeap(b), [br, bc]),
    };
    if (bias) feeds.C = new ort.Tensor('float32', backend.typedArrayFromHeap(bias), [n]);
    const s = session(`gemm${+ta}${+tb}${bias ? 'c' : ''}`, () => gemmModel(ta, tb, bias !== undefined));
    s.run(feeds, { Y: new ort.Tensor('float32', backend.typedArrayFromHeap(out), [m, n]) }, {});
    return out;
  };

  /** Batched `Y [batch, m, n] = A [batch, m, k] · B [batch, k, n]` (no transposes, equal batch dims). */
  const batched = (backend: WasmBackendLike, a: WasmTensorInfo, b: WasmTensorInfo, batch: number): WasmTensorInfo => {
    const [m, k] = a.shape.slice(-2);
    const n = b.shape[b.shape.length - 1];
    const out = backend.makeOutput([batch, m, n], 'float32');
    const feeds = {
      A: new ort.Tensor('float32', backend.typedArrayFromHeap(a), [batch, m, k]),
      B: new ort.Tensor('float32', backend.typedArrayFromHeap(b), [batch, k, n]),
    };
    session('batched', batchedModel).run(feeds, { Y: new ort.Tensor('float32', backend.typedArrayFromHeap(out), [batch, m, n]) }, {});
    return out;
  };

  const macs = (a: WasmTensorInfo, b: WasmTensorInfo, tb: boolean): number => {
    const batch = a.shape.slice(0, -2).reduce((x, y) => x * y, 1);
    const [ar, ac] = a.shape.slice(-2);
    return batch * ar * ac * (tb ? b.shape[b.shape.length - 2] : b.shape[b.shape.length - 1]);
  };
  const batchOf = (t: WasmTensorInfo): number => t.shape.slice(0, -2).reduce((x, y) => x * y, 1);
  const floats = (...ts: (WasmTensorInfo | undefined)[]): boolean => ts.every((t) => !t || t.dtype === 'float32');

  const matMulKernel = (fallback: tf.KernelConfig) => (args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo => {
    const { a, b, bias, preluActivationWeights } = args.inputs as Record<string, WasmTensorInfo | undefined>;
    const attrs = (args.attrs ?? {}) as { transposeA?: boolean; transposeB?: boolean; activation?: string };
    const ta = attrs.transposeA === true;
    const tb = attrs.transposeB === true;
    const backend = args.backend as WasmBackendLike;
    const plain = (attrs.activation ?? 'linear') === 'linear' && !preluActivationWeights && floats(a, b, bias);
    const batchA = batchOf(a!);
    const batchB = batchOf(b!);
    const biasOk = !bias || (bias.shape.length === 1 && bias.shape[0] === (tb ? b!.shape[b!.shape.length - 2] : b!.shape[b!.shape.length - 1]));
    if (plain && biasOk && macs(a!, b!, tb) >= minNativeMacs) {
      if (batchA === 1 && batchB === 1) {
        const out = gemm(backend, a!, b!, bias, ta, tb) as WasmTensorInfo & { shape: number[] };
        out.shape = [...a!.shape.slice(0, -2), ...out.shape];
        return out as tf.TensorInfo;
      }
      if (!ta && !tb && !bias && batchA === batchB) {
        const out = batched(backend, a!, b!, batchA);
        out.shape = [...a!.shape.slice(0, -2), out.shape[1], out.shape[2]];
        return out as tf.TensorInfo;
      }
    }
    return fallback.kernelFunc(args as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
  };

  const swap = (configs: tf.KernelConfig[]): void => {
    for (const cfg of configs) {
      tf.unregisterKernel(cfg.kernelName, 'wasm');
      tf.registerKernel(cfg);
    }
  };
  swap([original.fused, original.batch].map((cfg) => ({ ...cfg, kernelFunc: matMulKernel(cfg) as unknown as tf.KernelFunc })));
  const factory: NativeSessionFactory = (key, build) => {
    const s = session(key, build);
    const wrap = (views: Record<string, NativeTensorView>): Record<string, unknown> =>
      Object.fromEntries(Object.entries(views).map(([name, v]) => [name, new ort.Tensor('float32', v.data, v.dims)]));
    return { run: (feeds, fetches) => void s.run(wrap(feeds), wrap(fetches), {}) };
  };
  active = {
    threads,
    session: factory,
    restore: () => {
      swap([original.fused, original.batch]);
      for (const s of sessions.values()) s.dispose();
    },
  };
  return undefined;
}

let loadedOrt: { ort: OrtModule; bind: OrtBinding } | string | undefined;

/** onnxruntime-node's module and native binding, or why they are not used (loaded once). */
function loadOrt(): { ort: OrtModule; bind: OrtBinding } | string {
  if (process.env.CLASSIFIER_WORKBENCH_NATIVE_MATMUL === '0') return 'native matMul turned off (CLASSIFIER_WORKBENCH_NATIVE_MATMUL=0)';
  if (loadedOrt === undefined) {
    try {
      const req = createRequire(__filename);
      const ort = req('onnxruntime-node') as OrtModule;
      const bind = req('onnxruntime-node/dist/binding') as OrtBinding;
      bind.initOrt();
      loadedOrt = { ort, bind };
    } catch (err) {
      loadedOrt = `onnxruntime-node did not load (${err instanceof Error ? err.message.split('\n')[0] : String(err)}); matrix products stay on wasm`;
    }
  }
  return loadedOrt;
}

/** Whether enableNativeMatMul can work here: undefined if so, else why not. Loads the package, swaps nothing. */
export function nativeMatMulUnavailable(): string | undefined {
  const loaded = loadOrt();
  return typeof loaded === 'string' ? loaded : undefined;
}

/** Puts the wasm backend's own matrix-product kernels back (benchmarks compare both in one process). */
export function disableNativeMatMul(): void {
  active?.restore();
  active = undefined;
}

/**
 * The session factory of the native kernels of this thread, while enableNativeMatMul is in force (else
 * undefined): other native kernels (nativeElementwise.ts) share its threads and options.
 */
export function nativeSessions(): NativeSessionFactory | undefined {
  return active?.session;
}

/** Whether products run natively in this thread, and with how many threads. */
export function nativeMatMulStatus(): { threads: number } | undefined {
  return active ? { threads: active.threads } : undefined;
}

/**
 * A serialised one-graph ModelProto (opset 17, and ONNX Runtime's contrib domain `com.microsoft` 1 for its fused
 * kernels) of `nodes` with graph `inputs`, `outputs` and constant `initializers`.
 */
export function nativeModel(nodes: ProtoWriter[], inputs: ProtoWriter[], output: ProtoWriter | ProtoWriter[], initializers: ProtoWriter[] = []): Uint8Array {
  const g = new ProtoWriter();
  for (const n of nodes) g.message(1, n);
  g.string(2, 'native');
  for (const t of initializers) g.message(5, t);
  for (const i of inputs) g.message(11, i);
  for (const o of Array.isArray(output) ? output : [output]) g.message(12, o);
  return new ProtoWriter().int(1, 8).string(2, 'classifier-workbench').message(7, g).message(8, new ProtoWriter().string(1, '').int(2, 17)).message(8, new ProtoWriter().string(1, 'com.microsoft').int(2, 1)).finish();
}

/** One Gemm node with symbolic dims: `Y = op(A)·op(B) (+ C)`. */
function gemmModel(ta: boolean, tb: boolean, withBias: boolean): Uint8Array {
  const inputs = [valueInfo('A', OnnxType.float, ['a0', 'a1']), valueInfo('B', OnnxType.float, ['b0', 'b1'])];
  if (withBias) inputs.push(valueInfo('C', OnnxType.float, ['n']));
  const node = nodeProto('Gemm', withBias ? ['A', 'B', 'C'] : ['A', 'B'], ['Y'], { transA: { i: +ta }, transB: { i: +tb } });
  return nativeModel([node], inputs, valueInfo('Y', OnnxType.float, ['m', 'n']));
}

/** One batched MatMul node: `Y [b, m, n] = A [b, m, k] · B [b, k, n]`. */
function batchedModel(): Uint8Array {
  return nativeModel([nodeProto('MatMul', ['A', 'B'], ['Y'])],
    [valueInfo('A', OnnxType.float, ['b', 'm', 'k']), valueInfo('B', OnnxType.float, ['b', 'k', 'n'])],
    valueInfo('Y', OnnxType.float, ['b', 'm', 'n']));
}
