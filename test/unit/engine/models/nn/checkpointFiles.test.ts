// Checkpoints store AdamW's moments packed (trainable tensors only); checkpoints written before that, with
// parameter-sized moment files, still load (their trainable ranges), and a moment file of any other size is
// refused naming the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCheckpointFiles, writeCheckpointFiles } from '../../../../../src/engine/models/nn/checkpointFiles';
import type { MomentBuffers } from '../../../../../src/engine/models/nn/adamW';
import { layoutParams } from '../../../../../src/engine/models/nn/paramStore';
import { EngineError } from '../../../../../src/engine/errors';

const specs = layoutParams([{ name: 'frozen', shape: [4] }, { name: 'lora_A', shape: [2, 2] }, { name: 'frozen2', shape: [3] }, { name: 'head', shape: [2] }]);
const names = specs.map((s) => s.name);
const trainable = specs.filter((s) => s.name === 'lora_A' || s.name === 'head');
const params = Float32Array.from({ length: 13 }, (_, i) => i / 10);
const state = { format: 'classifier-workbench/bert-checkpoint@1' as const, size: 13, names, optimizerStep: 7, extra: {} };
const moments = (): MomentBuffers => ({ m: new Float32Array(6), v: new Float32Array(6), trainable, offsets: [0, 4] });

async function withDir(f: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'cw-ckpt-'));
  try {
    await f(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('packed moments round-trip', () => withDir(async (dir) => {
  const m = Float32Array.from([1, 2, 3, 4, 5, 6]);
  const v = Float32Array.from([6, 5, 4, 3, 2, 1]);
  await writeCheckpointFiles(dir, params, m, v, state);
  const into = moments();
  const loaded = await readCheckpointFiles(dir, names, new Float32Array(13), into);
  assert.equal(loaded.optimizerStep, 7);
  assert.deepEqual([...into.m], [...m]);
  assert.deepEqual([...into.v], [...v]);
}));

test('parameter-sized moment files of an older checkpoint load their trainable ranges', () => withDir(async (dir) => {
  const full = Float32Array.from({ length: 13 }, (_, i) => 100 + i);
  await writeCheckpointFiles(dir, params, full, full, state);
  const into = moments();
  await readCheckpointFiles(dir, names, new Float32Array(13), into);
  // lora_A at offsets 4..7, head at 11..12.
  assert.deepEqual([...into.m], [104, 105, 106, 107, 111, 112]);
  assert.deepEqual([...into.v], [104, 105, 106, 107, 111, 112]);
}));

test('a moment file of another size is refused, naming it', () => withDir(async (dir) => {
  await writeCheckpointFiles(dir, params, new Float32Array(6), new Float32Array(6), state);
  await writeFile(join(dir, 'adam-v.f32'), new Uint8Array(20));
  await assert.rejects(readCheckpointFiles(dir, names, new Float32Array(13), moments()), (err: unknown) =>
    err instanceof EngineError && /adam-v\.f32/.test(JSON.stringify(err)) && /20 bytes, expected 24/.test(err.message));
}));
