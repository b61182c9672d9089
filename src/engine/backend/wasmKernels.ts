// Copy-free Identity and same-dtype Cast on the wasm backend. tfjs's autograd saves every tensor a custom
// gradient keeps (inputs, weights) through `clone` (an Identity kernel) and passes its gradient back through a
// float32→float32 Cast; the wasm kernels copy the data each time. At the DistilBERT shape that is ~700 copies
// per training step, weight matrices included (docs/performance.md). tfjs tensors are immutable, so the output
// can share the input's heap buffer under a reference count, as the cpu backend's Identity and every backend's
// Reshape already do.
import * as tf from '@tensorflow/tfjs-core';

interface RefCountingBackend {
  incRef(dataId: object): void;
}

let installed = false;

/**
 * Replaces the wasm backend's Identity and Cast kernels by reference-sharing ones (Cast only when the dtype does
 * not change; a real conversion uses the original kernel). Call once the wasm backend is registered. Idempotent.
 */
export function shareCopiesOnWasm(): void {
  if (installed) return;
  const identity = tf.getKernel('Identity', 'wasm');
  const cast = tf.getKernel('Cast', 'wasm');
  if (!identity || !cast) return;
  const share = (x: tf.TensorInfo, backend: unknown): tf.TensorInfo => {
    (backend as RefCountingBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  const replace = (cfg: tf.KernelConfig, kernelFunc: tf.KernelFunc): void => {
    tf.unregisterKernel(cfg.kernelName, 'wasm');
    tf.registerKernel({ ...cfg, kernelFunc });
  };
  replace(identity, (({ inputs, backend }: { inputs: tf.NamedTensorInfoMap; backend: unknown }) => {
    const x = inputs.x as tf.TensorInfo;
    return x.dtype === 'string' ? identity.kernelFunc({ inputs, backend, attrs: {} } as Parameters<tf.KernelFunc>[0]) : share(x, backend);
  }) as unknown as tf.KernelFunc);
  replace(cast, ((args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: tf.NamedAttrMap }) => {
    const x = args.inputs.x as tf.TensorInfo;
    return x.dtype === args.attrs.dtype && x.dtype !== 'string' ? share(x, args.backend) : cast.kernelFunc(args as Parameters<tf.KernelFunc>[0]);
  }) as unknown as tf.KernelFunc);
  installed = true;
}

interface HeapViewBackend {
  typedArrayFromHeap(t: { shape: number[]; dtype: string; dataId: object }): Float32Array;
}

/** The wasm backend's `write`, which takes `null` values to allocate without copying. */
interface AllocatingBackend {
  write(values: null, shape: number[], dtype: 'float32'): object;
}

/**
 * The values of float32 tensor `t` without copying them out: on wasm a view of the heap, valid only until the
 * next tensor allocation (a heap growth detaches it), so read it at once; elsewhere `dataSync()`.
 */
export function readFloats(t: tf.Tensor): Float32Array {
  const backend = tf.backend() as Partial<HeapViewBackend>;
  if (tf.getBackend() === 'wasm' && t.dtype === 'float32' && typeof backend.typedArrayFromHeap === 'function') {
    return backend.typedArrayFromHeap({ shape: t.shape, dtype: t.dtype, dataId: t.dataId });
  }
  return t.dataSync() as Float32Array;
}

/**
 * A new float32 tensor of `shape` whose values `fill` writes: on wasm straight into the tensor's heap buffer (no
 * JavaScript array, no copy; dropout masks are millions of values per step and their arrays were garbage the
 * collector had to chase), elsewhere into a new array that becomes the tensor. `fill` must write every element and
 * allocate no tensor (a heap growth would detach its view).
 */
export function filledFloatTensor(shape: number[], fill: (values: Float32Array) => void): tf.Tensor {
  const backend = tf.backend();
  const heap = backend as unknown as Partial<HeapViewBackend> & AllocatingBackend;
  if (tf.getBackend() === 'wasm' && typeof heap.typedArrayFromHeap === 'function') {
    const dataId = heap.write(null, shape, 'float32');
    const t = tf.engine().makeTensorFromDataId(dataId as tf.DataId, shape, 'float32', backend);
    fill(heap.typedArrayFromHeap({ shape, dtype: 'float32', dataId }));
    return t;
  }
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  fill(values);
  return tf.tensor(values, shape);
}
