// Result folders of an exported training job, made the way its train.py makes them, for the tests of `runs import`,
// the webviews and hover: the job is exported by the engine, the run folder is written by the job's own train.py
// and cw_run_folder.py driven by a fake Trainer (fakeTrainerRun.py, under /usr/bin/python3 with a stub
// `transformers`), and `model/` is the Hugging Face folder `save_pretrained` writes, built from a real-format
// model's weights plus a classification head.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readSafetensors, writeSafetensors, type TensorToWrite } from '../../src/engine/tensorFiles/safetensors';
import { mulberry32 } from '../../src/engine/seededRandom';
import { python, type Requirement } from './requirements';

export const fakeTrainerScript = join(__dirname, 'fakeTrainerRun.py');

/** `/usr/bin/python3` itself (no module needed): what runs the job's pure-Python parts. */
export const pythonInterpreter: Requirement = {
  what: python,
  remedy: 'apt-get install -y python3 (.ci/run installs it with python3-torch)',
  present: () => existsSync(python),
};

/** What fakeTrainerRun.py prints: the run folder and the last epoch's probabilities `[N][K]`. */
export interface FakeTrainerOutput {
  runDir: string;
  trainerDir: string;
  validationProbs: number[][];
  testProbs: number[][] | null;
}

/**
 * Runs the exported job's train.py callback and run-folder writer with a fake Trainer, writing `runDir`.
 * @throws Error with python's stderr when it fails.
 */
export function writeResultWithTrainPy(jobDir: string, runDir: string, epochs = 2, seed = 7): FakeTrainerOutput {
  const out = spawnSync(python, [fakeTrainerScript, jobDir, runDir, String(epochs), String(seed)], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (out.status !== 0) throw new Error(`fakeTrainerRun.py failed (${out.status}): ${out.stderr}`);
  return JSON.parse(out.stdout) as FakeTrainerOutput;
}

/**
 * Writes `folder` as `save_pretrained` writes a fine-tuned BertForSequenceClassification: config.json with the
 * label map and problem_type, model.safetensors (the base model's weights plus `classifier.{weight,bias}` drawn
 * from a seeded generator), and the tokenizer files.
 */
export async function writeHfClassifierFolder(baseModelDir: string, folder: string, labels: readonly string[], problemType = 'single_label_classification', seed = 11): Promise<void> {
  await mkdir(folder, { recursive: true });
  const config = JSON.parse(await readFile(join(baseModelDir, 'config.json'), 'utf8')) as Record<string, unknown>;
  Object.assign(config, {
    architectures: ['BertForSequenceClassification'],
    id2label: Object.fromEntries(labels.map((l, i) => [String(i), l])),
    label2id: Object.fromEntries(labels.map((l, i) => [l, i])),
    problem_type: problemType,
  });
  await writeFile(join(folder, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
  const tensors = new Map<string, TensorToWrite>();
  for (const [name, t] of await readSafetensors(join(baseModelDir, 'model.safetensors'))) tensors.set(name, { shape: t.shape, data: t.data });
  const hidden = config.hidden_size as number;
  const random = mulberry32(seed);
  tensors.set('classifier.weight', { shape: [labels.length, hidden], data: Float32Array.from({ length: labels.length * hidden }, () => (random() - 0.5) * 0.4) });
  tensors.set('classifier.bias', { shape: [labels.length], data: new Float32Array(labels.length) });
  await writeSafetensors(join(folder, 'model.safetensors'), tensors);
  for (const name of ['tokenizer.json', 'tokenizer_config.json', 'vocab.txt', 'special_tokens_map.json']) {
    if (existsSync(join(baseModelDir, name))) await copyFile(join(baseModelDir, name), join(folder, name));
  }
}
