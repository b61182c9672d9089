// An installed native tfjs backend registers into the ENGINE's tfjs-core, not into a second copy: a stand-in
// package installed under the real name (@tensorflow/tfjs-node) in a temp node_modules, next to a decoy
// @tensorflow/tfjs-core it would bind to if left alone, registers a backend that the bundled CLI (dist/cli.js)
// then trains on. A stand-in @tensorflow/tfjs-node-gpu whose native library is missing gets one clear line
// saying what it needs. The real native packages are never needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTinyBertFolder } from '../unit/engine/models/bert/tinyBertFolder';
import { writeTinyDataset } from './trainFixture';

const root = join(__dirname, '..', '..');

function writePackage(modules: string, name: string, source: string): void {
  const dir = join(modules, ...name.split('/'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '4.22.0', main: 'index.js' }));
  writeFileSync(join(dir, 'index.js'), source);
}

/** A temp node_modules with the stand-ins and a decoy tfjs-core that records registrations and computes nothing. */
function installStandIns(): string {
  const modules = join(mkdtempSync(join(tmpdir(), 'native-standin-')), 'node_modules');
  writePackage(modules, '@tensorflow/tfjs-core', `exports.decoy = true; exports.registerBackend = () => true; exports.registerKernel = () => {};
exports.findBackend = () => null; exports.getKernelsForBackend = () => [];`);
  // Registers backend "tensorflow": the engine's cpu kernels under that name (so it computes), priority 3.
  writePackage(modules, '@tensorflow/tfjs-node', `const tf = require('@tensorflow/tfjs-core');
if (tf.decoy) throw new Error('bound to the decoy tfjs-core');
const Cpu = tf.findBackend('cpu').constructor;
for (const k of tf.getKernelsForBackend('cpu')) tf.registerKernel({ ...k, backendName: 'tensorflow' });
tf.registerBackend('tensorflow', () => new Cpu(), 3);
module.exports = { standIn: true };`);
  writePackage(modules, '@tensorflow/tfjs-node-gpu', `require('@tensorflow/tfjs-core');
throw new Error('libcudart.so.11.0: cannot open shared object file: No such file or directory');`);
  return modules;
}

/** Runs `body` with the stand-ins installed, a tiny BERT folder, a tiny dataset and a runs folder; removes them. */
async function withStandIns(body: (t: { modules: string; model: string; data: { dir: string; train: string }; runs: string }) => Promise<void>): Promise<void> {
  const modules = installStandIns();
  const model = await writeTinyBertFolder('bert');
  const data = await writeTinyDataset(6);
  const runs = mkdtempSync(join(tmpdir(), 'native-runs-'));
  try {
    await body({ modules, model, data, runs });
  } finally {
    for (const d of [join(modules, '..'), model, data.dir, runs]) rmSync(d, { recursive: true, force: true });
  }
}

function cli(args: string[], modules: string) {
  return spawnSync(process.execPath, [join(root, 'bin', 'classifier-workbench.js'), ...args], {
    cwd: root, encoding: 'utf8', timeout: 240_000, env: { ...process.env, NODE_PATH: modules, CLASSIFIER_WORKBENCH_MEMORY_LIMIT_GB: '' },
  });
}

test('a stand-in @tensorflow/tfjs-node registers into the bundled engine\'s tfjs-core and trains', () => withStandIns(async ({ model, data, runs, modules }) => {
  const r = cli(['train', data.train, '--model', model, '--backend', 'tensorflow', '--epochs', '1', '--runs-dir', runs], modules);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const [runId] = readdirSync(runs);
  const run = JSON.parse(readFileSync(join(runs, runId!, 'run.json'), 'utf8')) as { state: string; backend: string };
  assert.equal(run.state, 'completed');
  assert.equal(run.backend, 'tensorflow');
  // auto prefers the native backend too, and says why the GPU one was skipped, with what it needs.
  const auto = cli(['train', data.train, '--model', model, '--epochs', '1', '--runs-dir', runs, '--json'], modules);
  assert.equal(auto.status, 0, auto.stdout + auto.stderr);
  // The run's first lines carry the model's size and the training-memory estimate.
  assert.match(auto.stdout, /"message":"memory: [\d.,M]+ parameters, [\d.,M]+ trained, ~\d+\.\d GB estimated training memory at most/);
  assert.match(auto.stdout, /backend tensorflow \(tensorflow-gpu: @tensorflow\/tfjs-node-gpu is installed but did not load \(libcudart\.so\.11\.0: cannot open shared object file[^)]*\); it needs an NVIDIA driver, CUDA 11\.2 and cuDNN 8\.1/);
}));

test('an installed tfjs-node-gpu whose CUDA libraries are missing is refused in one line that says what it needs', () => withStandIns(async ({ model, data, runs, modules }) => {
  const r = cli(['train', data.train, '--model', model, '--backend', 'tensorflow-gpu', '--epochs', '1', '--runs-dir', runs], modules);
  assert.equal(r.status, 2, r.stdout + r.stderr);
  const text = (r.stdout + r.stderr).trim();
  assert.match(text, /The tensorflow-gpu backend cannot be used \(@tensorflow\/tfjs-node-gpu is installed but did not load \(libcudart\.so\.11\.0[^)]*\); it needs an NVIDIA driver, CUDA 11\.2 and cuDNN 8\.1/);
  assert.doesNotMatch(text, /\n\s+at /, 'no stack trace');
}));
