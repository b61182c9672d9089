// AdamW's inner loop as a WebAssembly SIMD kernel (four float32 lanes), for AdamW (adamW.ts). V8 runs the JavaScript
// loop scalar in float64, bound by its square root and division (~5 ns per value at RoBERTa-base's 124.7M); this
// kernel does four values per instruction. A kernel reads only its own linear memory, so the moments live there
// for good (`m`, `v` are views of it) and parameters and gradients pass through two staging buffers, chunk by chunk
// (copies run ~10× faster than the arithmetic). The module is a few dozen instructions, assembled below from
// opcode bytes (WebAssembly spec, "Binary Format"; SIMD opcodes from the fixed-width SIMD proposal) so that no
// compiler is needed to build the project.

/** Values per staging chunk: two 256 KB buffers, which stay in the L2 cache. */
const chunk = 65536;
const page = 65536;
/** Linear memory is addressed by a 32-bit index: 4 GB at most (V8's limit on 64-bit hosts). */
const maxPages = 65536;

const op = {
  end: 0x0b, block: 0x02, loop: 0x03, brIf: 0x0d, void: 0x40,
  localGet: 0x20, localSet: 0x21, localTee: 0x22,
  i32Const: 0x41, i32Eqz: 0x45, i32LtU: 0x49, i32Add: 0x6a, i32Shl: 0x74,
} as const;
/** SIMD instructions: the 0xfd prefix, then the opcode as unsigned LEB128. */
const simd = {
  load: [0xfd, 0x00], store: [0xfd, 0x0b], splat: [0xfd, 0x13],
  sqrt: [0xfd, 0xe3, 0x01], add: [0xfd, 0xe4, 0x01], sub: [0xfd, 0xe5, 0x01], mul: [0xfd, 0xe6, 0x01], div: [0xfd, 0xe7, 0x01],
} as const;
/** memarg of v128.load/store: alignment hint 2² bytes (moments need not be 16-byte aligned), offset 0. */
const memarg = [2, 0];

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
}

function section(id: number, body: number[]): number[] {
  return [id, ...leb(body.length), ...body];
}

function name(s: string): number[] {
  return [...leb(s.length), ...[...s].map((c) => c.charCodeAt(0))];
}

/**
 * `adamw(p, g, m, v, n, decay, stepSize, epsC2, b1, a1, b2, a2, scale)`: for the `n` values (a multiple of 4) at byte
 * addresses p, g, m, v: gᵢ = g·scale; m = b1·m + a1·gᵢ; v = b2·v + a2·gᵢ²; p = p·decay − stepSize·m / (√v + epsC2).
 */
function kernelBytes(): Uint8Array {
  const [P, G, M, V, N] = [0, 1, 2, 3, 4];
  const constants = [5, 6, 7, 8, 9, 10, 11, 12]; // decay, stepSize, epsC2, b1, a1, b2, a2, scale (f32)
  const I = 13;
  const [DECAY, STEP, EPS, B1, A1, B2, A2, SCALE] = [14, 15, 16, 17, 18, 19, 20, 21]; // their f32x4 splats
  const [GI, MI, VI] = [22, 23, 24];
  const get = (l: number) => [op.localGet, l];
  const set = (l: number) => [op.localSet, l];
  const at = (base: number) => [...get(base), ...get(I), op.i32Add];
  const load = (base: number) => [...at(base), ...simd.load, ...memarg];
  const code = [
    ...constants.flatMap((c, k) => [...get(c), ...simd.splat, ...set(DECAY + k)]),
    ...get(N), op.i32Const, 2, op.i32Shl, ...set(N), // n → bytes
    op.block, op.void,
    ...get(N), op.i32Eqz, op.brIf, 0,
    op.loop, op.void,
    ...load(G), ...get(SCALE), ...simd.mul, ...set(GI),
    ...load(M), ...get(B1), ...simd.mul, ...get(GI), ...get(A1), ...simd.mul, ...simd.add, ...set(MI),
    ...load(V), ...get(B2), ...simd.mul, ...get(GI), ...get(GI), ...simd.mul, ...get(A2), ...simd.mul, ...simd.add, ...set(VI),
    ...at(M), ...get(MI), ...simd.store, ...memarg,
    ...at(V), ...get(VI), ...simd.store, ...memarg,
    ...at(P),
    ...load(P), ...get(DECAY), ...simd.mul,
    ...get(STEP), ...get(MI), ...simd.mul, ...get(VI), ...simd.sqrt, ...get(EPS), ...simd.add, ...simd.div,
    ...simd.sub, ...simd.store, ...memarg,
    ...get(I), op.i32Const, 16, op.i32Add, op.localTee, I,
    ...get(N), op.i32LtU, op.brIf, 0,
    op.end,
    op.end,
    op.end,
  ];
  const i32 = 0x7f;
  const f32 = 0x7d;
  const v128 = 0x7b;
  const locals = [2, 1, i32, 11, v128]; // i; eight splats and three temporaries
  const body = [...locals, ...code];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 13, i32, i32, i32, i32, i32, f32, f32, f32, f32, f32, f32, f32, f32, 0]),
    ...section(2, [1, ...name('env'), ...name('memory'), 0x02, 0x00, 0]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...name('adamw'), 0x00, 0]),
    ...section(10, [1, ...leb(body.length), ...body]),
  ]);
}

/** The part of the WebAssembly JS API used here (the project's lib settings declare no WebAssembly values). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Memory: new (descriptor: { initial: number; maximum: number }) => { buffer: ArrayBuffer };
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
}
const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

type KernelFn = (p: number, g: number, m: number, v: number, n: number, decay: number, stepSize: number, epsC2: number, b1: number, a1: number, b2: number, a2: number, scale: number) => void;

let compiled: object | null | undefined;

/** The compiled kernel, or null where this runtime has no WebAssembly SIMD. */
function kernelModule(): object | null {
  if (compiled === undefined) {
    const bytes = kernelBytes();
    compiled = wasm?.validate(bytes) ? new wasm.Module(bytes) : null;
  }
  return compiled;
}

/** The constants of one update (see AdamW.update). */
export interface AdamWStepConstants {
  decay: number;
  stepSize: number;
  epsC2: number;
  b1: number;
  b2: number;
  gradScale: number;
}

/** AdamW's moments in a WebAssembly memory, and the SIMD update over them. */
export class AdamWKernel {
  readonly m: Float32Array;
  readonly v: Float32Array;
  private readonly staged: { p: Float32Array; g: Float32Array };
  private readonly mBase: number;
  private readonly vBase: number;

  private constructor(private readonly run: KernelFn, memory: { buffer: ArrayBuffer }, size: number) {
    this.staged = { p: new Float32Array(memory.buffer, 0, chunk), g: new Float32Array(memory.buffer, 4 * chunk, chunk) };
    this.mBase = 8 * chunk;
    this.vBase = this.mBase + 4 * size;
    this.m = new Float32Array(memory.buffer, this.mBase, size);
    this.v = new Float32Array(memory.buffer, this.vBase, size);
  }

  /**
   * A kernel with zeroed moments for `size` values, or undefined where it cannot run (no WebAssembly SIMD, moments
   * beyond 4 GB, or the memory cannot be had): the caller then keeps its JavaScript loop.
   */
  static create(size: number): AdamWKernel | undefined {
    const pages = Math.ceil((4 * (2 * chunk + 2 * size)) / page);
    if (pages > maxPages) return undefined;
    try {
      const module = kernelModule();
      if (!module || !wasm) return undefined;
      const memory = new wasm.Memory({ initial: pages, maximum: pages });
      const instance = new wasm.Instance(module, { env: { memory } });
      return new AdamWKernel(instance.exports.adamw as KernelFn, memory, size);
    } catch {
      return undefined;
    }
  }

  /**
   * Updates `params`/`grads` values [start, start + count) whose moments start at `moments`, all but the last
   * count mod 4 (returned: the caller updates those) through the staging buffers.
   * @returns how many values at the end were left to the caller
   */
  update(params: Float32Array, grads: Float32Array, start: number, count: number, moments: number, c: AdamWStepConstants): number {
    const { p, g } = this.staged;
    const whole = count - (count % 4);
    for (let done = 0; done < whole; done += chunk) {
      const n = Math.min(chunk, whole - done);
      const from = start + done;
      p.set(params.subarray(from, from + n));
      g.set(grads.subarray(from, from + n));
      // Byte addresses above 2³¹ pass as negative int32s; wasm reads them back unsigned.
      this.run(0, 4 * chunk, (this.mBase + 4 * (moments + done)) | 0, (this.vBase + 4 * (moments + done)) | 0, n,
        c.decay, c.stepSize, c.epsC2, c.b1, 1 - c.b1, c.b2, 1 - c.b2, c.gradScale);
      params.set(p.subarray(0, n), from);
    }
    return count - whole;
  }
}
