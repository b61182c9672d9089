// Fused element-wise kernels written in JS over the wasm backend's heap. A tfjs-wasm element-wise op runs one
// kernel per primitive (erf, exp, multiply, slice, transpose …), each a pass over memory on one thread, and some
// (Slice, whose wasm kernel copies its whole input out of the heap first) cost far more than their work. A fused
// kernel does a layer's rearrangement or activation in one JS loop that reads its inputs and writes its outputs in
// place in the heap (no copies), and registers a hand-written gradient with tfjs's autograd.
//
// Kernels are registered for the wasm backend only; callers use `heapKernelsActive()` to choose between a fused
// op and the plain tfjs composition (other backends, e.g. tfjs-node).
import * as tf from '@tensorflow/tfjs-core';

interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
}

/**
 * A JS kernel over float32 views of the heap.
 * @param inputs the inputs' values, in the order of `inputNames` (read only)
 * @param outputs the outputs' values, allocated (not zeroed): write every element
 * @param shapes the inputs' shapes
 */
export type HeapKernelBody<A> = (inputs: Float32Array[], outputs: Float32Array[], attrs: A, shapes: number[][]) => void;

export interface HeapKernel<A> {
  name: string;
  /** Input names, in the order the body receives them. */
  inputNames: readonly string[];
  /** Output shapes from the input shapes and attributes. */
  outputShapes(inputShapes: number[][], attrs: A): number[][];
  body: HeapKernelBody<A>;
}

/**
 * Registers `kernel` for the wasm backend (once; later calls with the same name do nothing).
 * @returns a function running it: inputs in `inputNames` order, outputs as tensors in `outputShapes` order
 */
export function registerHeapKernel<A extends object>(kernel: HeapKernel<A>): (inputs: tf.Tensor[], attrs: A) => tf.Tensor[] {
  if (!tf.getKernel(kernel.name, 'wasm')) {
    tf.registerKernel({
      kernelName: kernel.name,
      backendName: 'wasm',
      kernelFunc: (({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: A }) => {
        const heap = backend as WasmHeapBackend;
        const ins = kernel.inputNames.map((n) => inputs[n]!);
        for (const t of ins) if (t.dtype !== 'float32') throw new Error(`${kernel.name}: input of dtype ${t.dtype}, expected float32`);
        const outs = kernel.outputShapes(ins.map((t) => t.shape), attrs).map((s) => heap.makeOutput(s, 'float32'));
        // Views are taken after every output is allocated: a heap growth detaches earlier ones.
        kernel.body(ins.map((t) => heap.typedArrayFromHeap(t)), outs.map((t) => heap.typedArrayFromHeap(t)), attrs, ins.map((t) => t.shape));
        return outs;
      }) as unknown as tf.KernelFunc,
    });
  }
  return (inputs, attrs) => {
    const named: tf.NamedTensorMap = {};
    kernel.inputNames.forEach((n, i) => (named[n] = inputs[i]!));
    const out = tf.engine().runKernel(kernel.name, named, attrs as unknown as tf.NamedAttrMap);
    return Array.isArray(out) ? out : [out as tf.Tensor];
  };
}

/** Whether the fused heap kernels run here (the active backend is wasm). */
export function heapKernelsActive(): boolean {
  return tf.getBackend() === 'wasm';
}
