// Element-wise kernels of the wasm backend run by ONNX Runtime's native CPU kernels (vectorised, on the replica's
// threads), in place in the wasm heap, for the tensors big enough to repay a native call (~30 µs). The wasm
// build's transcendental functions are scalar libm calls on one thread: its Erf took ~90 ns per element at the
// feed-forward's [1408 × 3072] (12 % of a RoBERTa-base training step, docs/performance.md), against ~3 ns for a
// Multiply. Active only while enableNativeMatMul is (it owns the sessions and their threads).
import * as tf from '@tensorflow/tfjs-core';
import { nodeProto, OnnxType, ProtoWriter, tensorProto, valueInfo } from '../tensorFiles/onnxProto';
import { nativeModel, nativeSessions, type NativeSessionFactory, type WasmBackendLike, type WasmTensorInfo } from './nativeMatMul';

/** Below this many elements an element-wise op stays on wasm: the native call costs ~30 µs. */
const minNativeElements = 1 << 14;

/** One native element-wise function: its kernel name, its graph (float32 inputs and one output, all `[n]`). */
interface ElementwiseKernel {
  name: string;
  inputs: readonly string[];
  model: () => Uint8Array;
}

/** A small ONNX graph builder for element-wise formulas over 1-D `[n]` float32 tensors. */
class Formula {
  readonly nodes: ProtoWriter[] = [];
  readonly constants: ProtoWriter[] = [];
  private count = 0;

  op(type: string, ...inputs: string[]): string {
    const out = `t${this.count++}`;
    this.nodes.push(nodeProto(type, inputs, [out]));
    return out;
  }

  /** The graph's output `Y` = type(inputs). */
  output(type: string, ...inputs: string[]): void {
    this.nodes.push(nodeProto(type, inputs, ['Y']));
  }

  c(value: number): string {
    const name = `c${this.count++}`;
    this.constants.push(tensorProto(name, [], Float32Array.of(value)));
    return name;
  }

  model(inputs: readonly string[]): Uint8Array {
    return nativeModel(this.nodes, inputs.map((i) => valueInfo(i, OnnxType.float, ['n'])), valueInfo('Y', OnnxType.float, ['n']), this.constants);
  }
}

/** Φ(x)·2 = 1 + erf(x/√2) (Φ: the standard normal's CDF). */
function onePlusErf(f: Formula, x: string): string {
  return f.op('Add', f.op('Erf', f.op('Mul', x, f.c(Math.SQRT1_2))), f.c(1));
}

/**
 * GELU, erf form: 0.5·x·(1 + erf(x/√2)), ONNX Runtime's own fused `Gelu` (com.microsoft domain, erf form: one pass,
 * about twice as fast as the five-node formula, measured).
 */
const geluKernel: ElementwiseKernel = {
  name: 'ClassifierWorkbenchGeluErf',
  inputs: ['X'],
  model: () => nativeModel([nodeProto('Gelu', ['X'], ['Y']).string(7, 'com.microsoft')], [valueInfo('X', OnnxType.float, ['n'])], valueInfo('Y', OnnxType.float, ['n'])),
};

/** GELU's input gradient: dy·(Φ(x) + x·φ(x)), φ(x) = exp(−x²/2)/√(2π). */
const geluGradKernel: ElementwiseKernel = {
  name: 'ClassifierWorkbenchGeluErfGrad',
  inputs: ['X', 'DY'],
  model: () => {
    const f = new Formula();
    const cdf = f.op('Mul', onePlusErf(f, 'X'), f.c(0.5));
    const pdf = f.op('Mul', f.op('Exp', f.op('Mul', f.op('Mul', 'X', 'X'), f.c(-0.5))), f.c(1 / Math.sqrt(2 * Math.PI)));
    f.output('Mul', 'DY', f.op('Add', cdf, f.op('Mul', 'X', pdf)));
    return f.model(['X', 'DY']);
  },
};

const registered = new Set<string>();

/** Registers `k` as a wasm kernel (once): the output is allocated in the heap and written by the native session. */
function register(k: ElementwiseKernel): void {
  if (registered.has(k.name)) return;
  tf.registerKernel({
    kernelName: k.name, backendName: 'wasm',
    kernelFunc: (({ inputs, backend }: { inputs: tf.NamedTensorInfoMap; backend: unknown }) => {
      const sessions = nativeSessions() as NativeSessionFactory;
      const wasm = backend as WasmBackendLike;
      const ins = k.inputs.map((n) => inputs[n] as WasmTensorInfo);
      const out = wasm.makeOutput(ins[0].shape, 'float32');
      const n = ins[0].shape.reduce((a, b) => a * b, 1);
      // Views are taken after the output is allocated: a heap growth would detach earlier ones.
      const feeds = Object.fromEntries(k.inputs.map((name, i) => [name, { data: wasm.typedArrayFromHeap(ins[i]), dims: [n] }]));
      sessions(k.name, k.model).run(feeds, { Y: { data: wasm.typedArrayFromHeap(out), dims: [n] } });
      return out as tf.TensorInfo;
    }) as unknown as tf.KernelFunc,
  });
  registered.add(k.name);
}

let enabled = process.env.CLASSIFIER_WORKBENCH_NATIVE_ELEMENTWISE !== '0';

/**
 * Turns the native element-wise kernels on or off in this thread (benchmarks compare both in one process; the
 * environment variable `CLASSIFIER_WORKBENCH_NATIVE_ELEMENTWISE=0` starts with them off).
 */
export function setNativeElementwise(on: boolean): void {
  enabled = on;
}

/** Whether a float32 tensor of `size` elements goes native here (wasm backend, native kernels on, big enough). */
function native(size: number): boolean {
  return enabled && size >= minNativeElements && nativeSessions() !== undefined && tf.getBackend() === 'wasm';
}

function run(k: ElementwiseKernel, inputs: tf.NamedTensorMap): tf.Tensor {
  register(k);
  return tf.engine().runKernel(k.name, inputs, {}) as tf.Tensor;
}

/**
 * GELU (erf form) of float32 `x`, any shape, natively when it pays; undefined when it does not (the caller uses
 * tfjs ops). No gradient is recorded: callers wrap it in a customGrad (fastOps.geluErf).
 */
export function nativeGeluErf(x: tf.Tensor): tf.Tensor | undefined {
  return x.dtype === 'float32' && native(x.size) ? run(geluKernel, { X: x }) : undefined;
}

/** GELU's input gradient `dy·GELU'(x)` (same shapes), natively when it pays, else undefined. */
export function nativeGeluErfGrad(x: tf.Tensor, dy: tf.Tensor): tf.Tensor | undefined {
  const same = x.dtype === 'float32' && dy.dtype === 'float32' && x.size === dy.size;
  return same && native(x.size) ? run(geluGradKernel, { X: x, DY: dy }) : undefined;
}
