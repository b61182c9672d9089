// Training checkpoints of an encoder classifier (BERT family, ModernBERT): raw little-endian f32 dumps of the
// parameter buffer and the AdamW moments (of the trainable tensors only, packed), plus a small JSON state. Every
// file is written to a temp name and renamed.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EngineError } from '../../errors';
import { EngineErrorCodes } from '../../../protocol/errors';
import type { MomentBuffers } from './adamW';

export interface CheckpointState {
  format: 'classifier-workbench/bert-checkpoint@1';
  /** Parameter count, and names in layout order: a checkpoint only loads into the same layout. */
  size: number;
  names: string[];
  optimizerStep: number;
  /** Anything else the model needs to continue (seed, steps per epoch...). */
  extra: Record<string, unknown>;
}

async function writeAtomic(file: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, file);
}

function bytes(a: Float32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** Writes params, moments and state into `dir` (state.json last, so a half-written checkpoint is not loadable). */
export async function writeCheckpointFiles(dir: string, params: Float32Array, m: Float32Array | undefined, v: Float32Array | undefined, state: CheckpointState): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeAtomic(join(dir, 'params.f32'), bytes(params));
  if (m && v) {
    await writeAtomic(join(dir, 'adam-m.f32'), bytes(m));
    await writeAtomic(join(dir, 'adam-v.f32'), bytes(v));
  }
  await writeAtomic(join(dir, 'state.json'), `${JSON.stringify(state)}\n`);
}

function checkpointMismatch(file: string, got: number, expected: number): EngineError {
  return new EngineError(EngineErrorCodes.invalidModel, `checkpoint file has ${got} bytes, expected ${expected}: the checkpoint belongs to another model`, { file });
}

async function readInto(file: string, target: Float32Array): Promise<void> {
  const buf = await readFile(file);
  if (buf.byteLength !== target.byteLength) throw checkpointMismatch(file, buf.byteLength, target.byteLength);
  bytes(target).set(buf);
}

/**
 * Reads one moment file: packed (as writeCheckpointFiles writes it now), or parameter-sized as checkpoints written
 * before the moments were packed hold it (zeros outside the trainable tensors), from which the trainable ranges
 * are taken.
 */
async function readMoments(file: string, target: Float32Array, moments: MomentBuffers, paramCount: number): Promise<void> {
  const buf = await readFile(file);
  if (buf.byteLength === target.byteLength) {
    bytes(target).set(buf);
    return;
  }
  if (buf.byteLength !== paramCount * 4) throw checkpointMismatch(file, buf.byteLength, target.byteLength);
  const full = new Float32Array(buf.buffer, buf.byteOffset, paramCount);
  moments.trainable.forEach((s, t) => target.set(full.subarray(s.offset, s.offset + s.size), moments.offsets[t]));
}

/** Reads a checkpoint written by writeCheckpointFiles into the given buffers; returns its state. */
export async function readCheckpointFiles(dir: string, names: string[], params: Float32Array, moments?: MomentBuffers): Promise<CheckpointState> {
  const stateFile = join(dir, 'state.json');
  let state: CheckpointState;
  try {
    state = JSON.parse(await readFile(stateFile, 'utf8')) as CheckpointState;
  } catch (err) {
    throw new EngineError(EngineErrorCodes.invalidModel, `cannot read the checkpoint state (${(err as Error).message})`, { file: stateFile });
  }
  if (state.size !== params.length || state.names.join('\n') !== names.join('\n')) {
    throw new EngineError(EngineErrorCodes.invalidModel, 'the checkpoint was saved from a different model, mode or label set', { file: stateFile });
  }
  await readInto(join(dir, 'params.f32'), params);
  if (moments) {
    await readMoments(join(dir, 'adam-m.f32'), moments.m, moments, params.length);
    await readMoments(join(dir, 'adam-v.f32'), moments.v, moments, params.length);
  }
  return state;
}
