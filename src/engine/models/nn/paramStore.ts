// All model parameters in one flat Float32Array (shareable with worker threads), addressed by internal name.
// Optimiser, clipping, checkpoints and data-parallel gradient averaging then become loops over one buffer.

/** One tensor in the flat buffer. Linear weights are stored `[in, out]` so the forward pass is `x · W`. */
export interface ParamSpec {
  name: string;
  shape: number[];
  offset: number;
  size: number;
  /** AdamW weight decay applies (matrices); none on biases and LayerNorm, as in BERT fine-tuning practice. */
  decay: boolean;
}

/** Name and shape of a tensor before layout. */
export interface ParamShape {
  name: string;
  shape: number[];
}

/** Lays tensors out back to back (in the given order) and computes the decay flag from the rank. */
export function layoutParams(shapes: readonly ParamShape[]): ParamSpec[] {
  let offset = 0;
  return shapes.map(({ name, shape }) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const spec = { name, shape: [...shape], offset, size, decay: shape.length > 1 };
    offset += size;
    return spec;
  });
}

export class ParamStore {
  readonly specs: readonly ParamSpec[];
  readonly data: Float32Array;
  private readonly byName: Map<string, ParamSpec>;

  /**
   * @param buffer an existing buffer to view (a worker's view of the main thread's parameter mirror). Without it
   *   the store owns a plain ArrayBuffer: V8 runs loops over SharedArrayBuffer views about 2× slower.
   */
  constructor(specs: readonly ParamSpec[], buffer?: SharedArrayBuffer) {
    this.specs = specs;
    this.byName = new Map(specs.map((s) => [s.name, s]));
    const total = specs.reduce((n, s) => n + s.size, 0);
    this.data = buffer ? new Float32Array(buffer, 0, total) : new Float32Array(total);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  spec(name: string): ParamSpec {
    const s = this.byName.get(name);
    if (!s) throw new Error(`no parameter ${name}`);
    return s;
  }

  /** A live view (not a copy) of one tensor's values. */
  get(name: string): Float32Array {
    const s = this.spec(name);
    return this.data.subarray(s.offset, s.offset + s.size);
  }

  get size(): number {
    return this.data.length;
  }
}
