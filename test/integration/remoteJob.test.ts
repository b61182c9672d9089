// export-job and runs import: the job folder (the exact splits, train.py, accelerate files), result folders written
// by the job's own train.py run-folder writer (a fake Trainer drives it; transformers cannot be installed here), the
// import into the runs folder with its fingerprint check, and the metrics train.py computes against the engine's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/engine/cli/runCli';
import { commands } from '../../src/engine/cli/commands';
import { exportTrainingJob, findLabelIssuesInDataset, importRunFolder, listRuns, loadPredictor, readRun, trainRun, splitFileText, loadRunData, resolveTrainConfig } from '../../src/engine/index';
import { computeMetrics } from '../../src/engine/metrics/classificationMetrics';
import { computeMultiLabelMetrics, multiHot } from '../../src/engine/metrics/multiLabelMetrics';
import { parseEventLines } from '../../src/common/runFolder/runFolderFiles';
import type { RunMetricsFile } from '../../src/common/runFolder/runRecord';
import { needs, python, pythonModule, shared, sharedPath } from '../helpers/requirements';
import { exampleLossAndGrad, lossCoefficients, logitsToProbs, type ClassificationObjective } from '../../src/engine/models/nn/classificationObjective';
import { pythonInterpreter, writeHfClassifierFolder, writeResultWithTrainPy } from '../helpers/remoteJobResult';
import { EngineClient } from '../../src/extension/engine/engineClient';
import { writeTinyDataset } from './trainFixture';
import { writeMultiLabelDataset } from './multiLabelFixture';

const root = join(__dirname, '..', '..');
const tinyBert = sharedPath('models', 'bert-tiny-random');
const emotion = sharedPath('data', 'emotion', 'train.jsonl');

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, commands, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, cwd: root, signal: new AbortController().signal, version: 'test' });
  return { code, stdout, stderr };
}

async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `cw-remote-${prefix}-`));
}

function pyCompile(file: string): void {
  const out = spawnSync(python, ['-m', 'py_compile', file], { encoding: 'utf8' });
  assert.equal(out.status, 0, `${file} does not compile: ${out.stderr}`);
}

/** dataset_fingerprint of cw_run_folder.py over the job's split files (what train.py checks and records). */
function pythonFingerprint(jobDir: string): string {
  const code = 'import sys, json; sys.path.insert(0, sys.argv[1]); import cw_run_folder as rf; job = rf.load_job(sys.argv[1] + "/job.json"); ' +
    'data = {n: rf.read_split(sys.argv[1] + "/" + job["splits"][n]) for n in rf.SPLITS}; print(rf.dataset_fingerprint(data, job["labels"]))';
  const out = spawnSync(python, ['-c', code, jobDir], { encoding: 'utf8' });
  assert.equal(out.status, 0, out.stderr);
  return out.stdout.trim();
}

test('export-job for emotion + bert-tiny-random writes the job folder: exact splits with source lines, label map, train.py, requirements, accelerate config, run.sh, README', needs(shared('models/bert-tiny-random'), shared('data/emotion/train.jsonl'), pythonInterpreter), async () => {
  const dir = await tempDir('emotion');
  try {
    const out = join(dir, 'job');
    const r = await cli(['export-job', emotion, '--model', tinyBert, '--out', out, '--gpus', '2', '--epochs', '2']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /16000 train, 2000 validation, 2000 test/);
    const files = await readdir(out);
    for (const f of ['README.md', 'accelerate_config.yaml', 'base-model', 'cw_run_folder.py', 'data', 'job.json', 'labels.json', 'requirements.txt', 'run.sh', 'train.py']) assert.ok(files.includes(f), `${f} missing: ${files.join(', ')}`);
    const job = JSON.parse(await readFile(join(out, 'job.json'), 'utf8'));
    const config = await resolveTrainConfig({ dataset: emotion, model: tinyBert, epochs: 2 });
    assert.deepEqual(job.config, config, 'job.json holds the configuration train resolves for the same options');
    assert.deepEqual(job.topology, { gpus: 2, nodes: 1, processes: 2 });
    assert.deepEqual(job.labels, ['anger', 'fear', 'joy', 'love', 'sadness', 'surprise']);
    assert.deepEqual(JSON.parse(await readFile(join(out, 'labels.json'), 'utf8')).id2label['2'], 'joy');
    // Each exported example names its source file and line, and that line holds its text and label.
    const sources = new Map<string, string[]>();
    for (const split of ['train', 'validation', 'test']) {
      const lines = (await readFile(join(out, 'data', `${split}.jsonl`), 'utf8')).trimEnd().split('\n');
      assert.equal(lines.length, job.dataset.counts[split]);
      for (const line of [lines[0]!, lines[lines.length - 1]!, lines[Math.floor(lines.length / 2)]!]) {
        const e = JSON.parse(line) as { text: string; label: string; file: string; line: number };
        if (!sources.has(e.file)) sources.set(e.file, (await readFile(e.file, 'utf8')).split('\n'));
        const source = JSON.parse(sources.get(e.file)![e.line - 1]!) as { text: string; label: string };
        assert.deepEqual([source.text, source.label], [e.text, e.label], `${split} ${e.file}:${e.line}`);
      }
    }
    assert.equal(pythonFingerprint(out), job.dataset.fingerprint, "cw_run_folder's fingerprint of the split files is the engine's");
    const accelerate = await readFile(join(out, 'accelerate_config.yaml'), 'utf8');
    assert.match(accelerate, /^distributed_type: MULTI_GPU$/m);
    assert.match(accelerate, /^num_processes: 2$/m);
    assert.match(accelerate, /^num_machines: 1$/m);
    assert.match(await readFile(join(out, 'run.sh'), 'utf8'), /accelerate launch --config_file accelerate_config\.yaml train\.py/);
    assert.match(await readFile(join(out, 'requirements.txt'), 'utf8'), /^transformers>=4\.41,<5$/m);
    const readme = await readFile(join(out, 'README.md'), 'utf8');
    for (const heading of ['## On this machine', '## On a GPU host over SSH', '## In a notebook']) assert.ok(readme.includes(heading), heading);
    assert.ok(existsSync(join(out, 'base-model', 'model.safetensors')));
    pyCompile(join(out, 'train.py'));
    pyCompile(join(out, 'cw_run_folder.py'));

    // Nothing the user owns is overwritten: a non-empty folder (or a file) as --out is refused, and left as it was.
    const before = await readFile(join(out, 'job.json'), 'utf8');
    const again = await cli(['export-job', emotion, '--model', tinyBert, '--out', out]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /not empty and nothing in it is overwritten/);
    assert.equal(await readFile(join(out, 'job.json'), 'utf8'), before);
    const file = join(dir, 'notes.txt');
    await writeFile(file, 'mine');
    const onFile = await cli(['export-job', emotion, '--model', tinyBert, '--out', file]);
    assert.equal(onFile.code, 2);
    assert.match(onFile.stderr, /this is a file/);
    assert.equal(await readFile(file, 'utf8'), 'mine');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('export-job refuses what cannot run as asked: the n-gram model, a batch that does not split over the processes, nodes without GPUs', async () => {
  const { dir, train } = await writeTinyDataset(6);
  try {
    const cases: [string[], RegExp][] = [
      [['--model', 'ngram'], /n-gram model .* export-job is for transformer models/],
      [['--model', 'scratch', '--gpus', '3'], /batch size 16 does not split over 3 processes .* --batch a multiple of 3/],
      [['--model', 'scratch', '--gpus', '0', '--nodes', '2'], /several nodes need GPUs/],
    ];
    for (const [options, message] of cases) {
      const out = join(dir, 'job');
      const r = await cli(['export-job', train, ...options, '--out', out]);
      assert.equal(r.code, 2, r.stdout);
      assert.match(r.stderr, message);
      assert.ok(!existsSync(out), 'nothing is left behind');
    }
    const usage = await cli(['export-job', train, '--model', 'scratch']);
    assert.equal(usage.code, 64);
    assert.match(usage.stderr, /needs --out/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("the exported splits are the splits a local run of the same options trains and records, byte for byte (stratified split of one file)", needs(shared('models/bert-tiny-random'), pythonInterpreter), async () => {
  const dir = await tempDir('splits');
  try {
    // One file, no siblings: the engine's stratified 80/10/10 split with the seed decides every example's split.
    const dataset = join(dir, 'tickets.jsonl');
    await cp(join(root, 'samples', 'support-tickets-train.jsonl'), dataset);
    const options = { dataset, model: tinyBert, epochs: 1, maxLength: 24, seed: 5, runsDir: join(dir, 'runs') };
    const run = await trainRun(options, { progressIntervalMs: 60_000 });
    assert.equal(run.state, 'completed');
    const exported = await exportTrainingJob(options, { out: join(dir, 'job') });
    const record = await readRun(run.runDir);
    assert.equal(record.dataset!.splitSource.kind, 'stratified');
    assert.deepEqual(exported.job.config, record.config);
    assert.equal(exported.job.dataset.fingerprint, record.dataset!.fingerprint);
    for (const split of ['validation', 'test'] as const) {
      // What the local run recorded of each example of the split (its predictions file), in the split file's form.
      const recorded = (await readFile(join(run.runDir, 'predictions', `${split}.jsonl`), 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l) as { text: string; gold: string; file: string; line: number });
      const expected = splitFileText(recorded.map((p) => ({ text: p.text, label: p.gold, file: p.file, line: p.line })));
      assert.equal(await readFile(join(exported.outDir, 'data', `${split}.jsonl`), 'utf8'), expected, `${split} split`);
    }
    // The training split: the fingerprint train.py computes over the exported files is the one the local run recorded
    // (it hashes every split's texts, labels and order).
    assert.equal(pythonFingerprint(exported.outDir), record.dataset!.fingerprint);
    assert.equal(await readFile(join(exported.outDir, 'data', 'train.jsonl'), 'utf8'), splitFileText((await loadRunData(record.config)).splits.train));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("a result folder written by the job's train.py imports as a run; its metrics are the engine's; different data is refused naming both fingerprints", needs(pythonInterpreter), async () => {
  const { dir, train } = await writeTinyDataset(12);
  try {
    const job = join(dir, 'job');
    await exportTrainingJob({ dataset: train, model: 'scratch', epochs: 3 }, { out: job, topology: { gpus: 2, nodes: 1 } });
    const result = writeResultWithTrainPy(job, join(dir, 'result'), 3);
    const files = (await readdir(result.runDir)).sort();
    assert.deepEqual(files, ['events.jsonl', 'metrics.json', 'predictions', 'report.md', 'run.json']);
    assert.equal(result.trainerDir, join(job, 'trainer-output'), "train.py's default Trainer folder is beside it, outside the run folder");

    // The events are the engine's: states, logs, per-step progress, one epoch event per evaluation (0 = baseline), test.
    const events = parseEventLines(await readFile(join(result.runDir, 'events.jsonl'), 'utf8'));
    assert.deepEqual(events.filter((e) => e.type === 'state').map((e) => e.state), ['running', 'completed']);
    assert.deepEqual(events.filter((e) => e.type === 'epoch').map((e) => e.epoch), [0, 1, 2, 3]);
    assert.ok(events.filter((e) => e.type === 'progress').length >= 3);
    assert.equal(events.filter((e) => e.type === 'test').length, 1);

    // train.py's metrics equal the engine's on the same probabilities.
    const metrics = JSON.parse(await readFile(join(result.runDir, 'metrics.json'), 'utf8')) as RunMetricsFile;
    const labels = metrics.labels;
    const validation = (await readFile(join(job, 'data', 'validation.jsonl'), 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l) as { label: string });
    const engine = computeMetrics(validation.map((e) => labels.indexOf(e.label)), Float32Array.from(result.validationProbs.flat()), labels, 'validation');
    const py = metrics.best!;
    assert.equal(py.confusion.flat().join(), engine.confusion.flat().join());
    for (const key of ['loss', 'accuracy', 'macroF1', 'macroPrecision', 'weightedF1', 'ece'] as const) assert.ok(Math.abs(py[key] - engine[key]) < 1e-9, `${key}: ${py[key]} vs ${engine[key]}`);

    const imported = await importRunFolder(result.runDir);
    assert.equal(imported.inPlace, false);
    const runs = await listRuns(join(dir, '.classifier-workbench', 'runs'));
    assert.deepEqual(runs.map((r) => [r.runId, r.state]), [[imported.runId, 'completed']]);
    const record = await readRun(imported.runDir);
    assert.equal(record.origin?.kind, 'accelerate');
    assert.equal(record.backend, 'pytorch-cuda (2 × Test GPU)');
    assert.equal(record.imported?.fingerprint, record.dataset!.fingerprint);
    const report = await readFile(join(imported.runDir, 'report.md'), 'utf8');
    assert.match(report, /## Data[\s\S]*Fingerprint/, 'report.md is the engine\'s');
    assert.match(report, /Trained elsewhere: Hugging Face Trainer launched by accelerate on gpu\\?-host, 2 × Test GPU/);
    assert.match(report, /Imported from .*result.* its dataset fingerprint matched the data here/);
    const predictions = (await readFile(join(imported.runDir, 'predictions', 'validation.jsonl'), 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l));
    assert.equal(predictions[0].file, join(dir, 'validation.jsonl'));
    assert.equal(predictions[0].line, 1);
    assert.equal(predictions[0].probabilities.length, 3);

    // Label issues on the imported run (its data, n-gram fold models for speed) are kept in its folder, as for a local run.
    const issues = await findLabelIssuesInDataset({ dataset: record.config.dataset, model: 'ngram', runDir: imported.runDir, folds: 3 });
    assert.equal(issues.examples, record.dataset!.counts.train, 'every line of the training file is judged');
    assert.ok(existsSync(join(imported.runDir, 'label-issues.json')));

    // A folder dropped into the runs folder is checked where it is.
    const dropped = join(dir, '.classifier-workbench', 'runs', 'dropped-elsewhere');
    await cp(result.runDir, dropped, { recursive: true });
    const listed = (await listRuns(join(dir, '.classifier-workbench', 'runs'))).find((r) => r.runDir === dropped);
    assert.match(listed?.message ?? '', /trained elsewhere on gpu-host; its data is not yet checked against the data here/, 'a dropped folder lists, flagged until checked');
    const inPlace = await importRunFolder(dropped);
    assert.deepEqual([inPlace.inPlace, inPlace.runDir], [true, dropped]);
    assert.equal((await listRuns(join(dir, '.classifier-workbench', 'runs'))).find((r) => r.runDir === dropped)?.message, undefined, 'checked: no longer flagged');

    // Different data: a changed label, then a changed text (another file given with --dataset).
    const original = await readFile(train, 'utf8');
    await writeFile(train, original.replace('"label":"billing"', '"label":"login"'));
    await assert.rejects(importRunFolder(result.runDir, { runsDir: join(dir, 'other-runs') }), (err: Error) => {
      assert.match(err.message, /trained on different data: the run's data .*train\.jsonl \(\d+\/\d+\/\d+ .*\) has fingerprint [0-9a-f]{16}…, but .*train\.jsonl here .* gives [0-9a-f]{16}…/);
      return true;
    });
    const edited = join(dir, 'edited', 'train.jsonl');
    await mkdir(join(dir, 'edited'));
    await writeFile(edited, original.replace(/"text":"[^"]*"/, '"text":"a different first text"'));
    const refused = await cli(['runs', 'import', result.runDir, '--dataset', edited]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /trained on different data/);
    assert.ok(!existsSync(join(dir, 'other-runs')) && !existsSync(join(dir, 'edited', '.classifier-workbench')), 'a refused import writes nothing');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("multi-label: train.py's result folder has per-label thresholds and label lists, metrics equal the engine's, and it imports", needs(pythonInterpreter), async () => {
  const { dir, train } = await writeMultiLabelDataset({ train: 60, validation: 30, test: 30 });
  try {
    const job = join(dir, 'job');
    const exported = await exportTrainingJob({ dataset: train, model: 'scratch', mode: 'lora', classWeights: 'balanced' }, { out: job, topology: { gpus: 1, nodes: 1 } });
    assert.equal(exported.job.problemType, 'multi_label_classification');
    assert.equal(exported.job.objective.posWeights?.length, 3, 'balanced positive weights go to train.py');
    assert.deepEqual(exported.job.config.lora, { rank: 8, alpha: 16, dropout: 0.1, targets: ['query', 'value'] });
    const result = writeResultWithTrainPy(job, join(dir, 'result'), 2);
    const record = JSON.parse(await readFile(join(result.runDir, 'run.json'), 'utf8'));
    assert.equal(record.thresholds.length, 3);
    const metrics = JSON.parse(await readFile(join(result.runDir, 'metrics.json'), 'utf8')) as RunMetricsFile;
    assert.equal(metrics.multiLabel, true);
    const labels = metrics.labels;
    const validation = (await readFile(join(job, 'data', 'validation.jsonl'), 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l) as { labels: string[] });
    const gold = multiHot(validation.map((e) => e.labels.map((l) => labels.indexOf(l))), labels.length);
    const engine = computeMultiLabelMetrics(gold, Float32Array.from(result.validationProbs.flat()), metrics.best!.multiLabel!.thresholds, labels, 'validation');
    for (const key of ['loss', 'accuracy', 'macroF1', 'weightedF1', 'ece'] as const) assert.ok(Math.abs(metrics.best![key] - engine[key]) < 1e-9, `${key}: ${metrics.best![key]} vs ${engine[key]}`);
    assert.ok(Math.abs(metrics.best!.multiLabel!.labelRankingAveragePrecision - engine.multiLabel!.labelRankingAveragePrecision) < 1e-9);
    const line = JSON.parse((await readFile(join(result.runDir, 'predictions', 'test.jsonl'), 'utf8')).split('\n')[0]!);
    assert.ok(Array.isArray(line.goldLabels) && Array.isArray(line.predictedLabels) && Array.isArray(line.missedLabels));
    const imported = await importRunFolder(result.runDir);
    assert.equal((await readRun(imported.runDir)).problemType, 'multi_label_classification');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("train.py's argument parsing, and its refusal of split files edited after the export", needs(pythonInterpreter), async () => {
  const { dir, train } = await writeTinyDataset(6);
  try {
    const job = join(dir, 'job');
    await exportTrainingJob({ dataset: train, model: 'scratch' }, { out: job });
    const code = [
      'import sys, types, importlib.util',
      'stub = types.ModuleType("transformers"); stub.TrainerCallback = object; sys.modules["transformers"] = stub',
      'spec = importlib.util.spec_from_file_location("t", sys.argv[1] + "/train.py"); t = importlib.util.module_from_spec(spec); spec.loader.exec_module(t)',
      'a = t.parse_args(["--job", sys.argv[1] + "/job.json"]); job = t.rf.load_job(a.job)',
      'print(t.run_dir_of(a, job)); print(a.trainer_dir); print(t.model_source(job, sys.argv[1])[0]); print(t.per_device_batch_size(16, 4))',
      'try:\n    t.per_device_batch_size(16, 3)\nexcept t.rf.JobError as e:\n    print(e)',
    ].join('\n');
    const out = spawnSync(python, ['-c', code, job], { encoding: 'utf8' });
    assert.equal(out.status, 0, out.stderr);
    const runId = JSON.parse(await readFile(join(job, 'job.json'), 'utf8')).runId as string;
    assert.deepEqual(out.stdout.trim().split('\n'), [join(job, 'results', runId), join(job, 'trainer-output'), join(job, 'base-model'), '4',
      'batch size 16 is not divisible by the 3 processes; export the job again with --batch a multiple of 3']);

    const validation = join(job, 'data', 'validation.jsonl');
    await writeFile(validation, (await readFile(validation, 'utf8')).replace('"label":"billing"', '"label":"delivery"'));
    assert.throws(() => writeResultWithTrainPy(job, join(dir, 'result')), /do not match job\.json .* export the job again/);
    assert.ok(!existsSync(join(dir, 'result')), 'nothing is written for edited data');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("an imported run answers hover predictions through the engine from its model/ folder (save_pretrained's layout)", needs(shared('models/bert-tiny-random'), pythonInterpreter), async () => {
  const { dir, train } = await writeTinyDataset(8);
  const enginePath = join(root, 'dist', 'engine.js');
  assert.ok(existsSync(enginePath), `${enginePath} is missing: run npm run build first`);
  const client = new EngineClient({ process: { modulePath: enginePath }, output: { appendLine: () => undefined }, clientName: 'test', restart: { baseDelayMs: 10 } });
  try {
    // The editor's path: job/export and run/import requests to the engine process.
    const exported = await client.exportJob({ config: { dataset: train, model: tinyBert }, outDir: join(dir, 'job'), gpus: 1 });
    assert.deepEqual([exported.processes, exported.counts], [1, { train: 24, validation: 9, test: 9 }]);
    assert.equal(exported.resultDir, join(dir, 'job', 'results', exported.runId));
    const result = writeResultWithTrainPy(exported.outDir, exported.resultDir, 1);
    // What train.py's save_model writes: save_pretrained of the fine-tuned BertForSequenceClassification + tokenizer.
    await writeHfClassifierFolder(tinyBert, join(result.runDir, 'model'), ['billing', 'delivery', 'login']);
    const imported = await client.importRun({ folder: result.runDir });
    assert.equal(imported.runDir, join(dir, '.classifier-workbench', 'runs', exported.runId));
    assert.ok(existsSync(join(imported.runDir, 'model', 'model.safetensors')));

    const active = await client.setActiveModel(imported.runDir);
    assert.deepEqual(active.labels, ['billing', 'delivery', 'login']);
    const texts = ['I was charged twice for my invoice', 'my parcel has not arrived'];
    const answer = await client.predict({ texts, topK: 3, threshold: 0 });
    assert.equal(answer.predictions.length, 2);
    // The engine's answer is the model/ folder's: the same probabilities as loading that folder directly.
    const direct = await loadPredictor(join(imported.runDir, 'model'));
    const expected = await direct.predictProbs(texts);
    answer.predictions.forEach((p, i) => {
      assert.equal(p.probabilities.length, 3);
      assert.ok(Math.abs(p.probabilities.reduce((a, b) => a + b, 0) - 1) < 1e-4);
      p.probabilities.forEach((q, c) => assert.ok(Math.abs(q - expected[i * 3 + c]!) < 1e-5, `text ${i} label ${c}: ${q} vs ${expected[i * 3 + c]}`));
      assert.equal(p.top[0]!.label, active.labels[p.probabilities.indexOf(Math.max(...p.probabilities))]);
    });
    direct.dispose();
  } finally {
    await client.dispose();
    await rm(dir, { recursive: true, force: true });
  }
});

test("train.py's loss is the engine's objective: weighted cross-entropy, and summed binary cross-entropy with class and positive weights", needs(pythonModule('torch')), async () => {
  const { dir, train } = await writeTinyDataset(6);
  try {
    const job = join(dir, 'job');
    await exportTrainingJob({ dataset: train, model: 'scratch' }, { out: job });
    const logits = [[2.0, -1.0, 0.5], [0.1, 0.2, -3.0], [-1.5, 1.0, 1.0], [0.0, 0.0, 4.0]];
    const cases: { objective: ClassificationObjective; targets: number[][] }[] = [
      { objective: { problemType: 'single_label_classification', classWeights: Float32Array.from([0.5, 2, 1.25]) }, targets: [[1, 0, 0], [0, 0, 1], [0, 1, 0], [0, 0, 1]] },
      { objective: { problemType: 'multi_label_classification', classWeights: Float32Array.from([1, 0.75, 3]), posWeights: Float32Array.from([2, 1, 0.5]) }, targets: [[1, 0, 1], [0, 0, 0], [1, 1, 0], [0, 0, 1]] },
    ];
    for (const { objective, targets } of cases) {
      const k = 3;
      const multi = objective.problemType === 'multi_label_classification';
      const probs = logitsToProbs(Float32Array.from(logits.flat()), k, objective.problemType);
      const { a, b } = lossCoefficients(Float32Array.from(targets.flat()), k, objective);
      let engine = 0;
      for (let i = 0; i < logits.length; i++) engine += exampleLossAndGrad(probs.subarray(i * k, (i + 1) * k), a, b, i * k, k, new Float32Array(k));
      engine /= logits.length;
      const labels = multi ? JSON.stringify(targets) : JSON.stringify(targets.map((t) => t.indexOf(1)));
      const code = [
        'import sys, json, types, importlib.util, torch',
        'stub = types.ModuleType("transformers"); stub.TrainerCallback = object; sys.modules["transformers"] = stub',
        'spec = importlib.util.spec_from_file_location("t", sys.argv[1] + "/train.py"); t = importlib.util.module_from_spec(spec); spec.loader.exec_module(t)',
        `logits = torch.tensor(${JSON.stringify(logits)}); labels = torch.tensor(${labels})`,
        `w = torch.tensor(${JSON.stringify(Array.from(objective.classWeights!))}); v = ${objective.posWeights ? `torch.tensor(${JSON.stringify(Array.from(objective.posWeights))})` : 'None'}`,
        `print(float(t.workbench_loss(torch, logits, labels, ${multi ? 'True' : 'False'}, w, v)))`,
      ].join('\n');
      const out = spawnSync(python, ['-c', code, job], { encoding: 'utf8' });
      assert.equal(out.status, 0, out.stderr);
      const torchLoss = Number(out.stdout.trim());
      assert.ok(Math.abs(torchLoss - engine) < 1e-5 * Math.max(1, engine), `${objective.problemType}: train.py ${torchLoss}, engine ${engine}`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the accelerate config reads as accelerate reads it (YAML 1.1): strings that YAML 1.1 takes for booleans are quoted, for every topology', async () => {
  const { dir, train } = await writeTinyDataset(6);
  try {
    for (const [gpus, nodes] of [[0, 1], [1, 1], [4, 1], [8, 2]] as const) {
      const out = join(dir, `job-${gpus}-${nodes}`);
      await exportTrainingJob({ dataset: train, model: 'scratch' }, { out, topology: { gpus, nodes } });
      const entries = (await readFile(join(out, 'accelerate_config.yaml'), 'utf8')).split('\n').filter((l) => l && !l.startsWith('#')).map((l) => /^(\w+): (.*)$/.exec(l)!.slice(1) as [string, string]);
      const config = Object.fromEntries(entries);
      // YAML 1.1 booleans: y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF.
      const yaml11Boolean = /^(y|yes|n|no|true|false|on|off)$/i;
      for (const [key, value] of entries) {
        if (key === 'use_cpu' || key === 'same_network') assert.match(value, /^(true|false)$/, key);
        else assert.ok(!yaml11Boolean.test(value), `${key}: ${value} would be read as a boolean`);
      }
      const processes = Math.max(1, gpus) * nodes;
      assert.equal(config.distributed_type, processes > 1 ? 'MULTI_GPU' : "'NO'");
      assert.deepEqual([config.num_processes, config.num_machines, config.use_cpu], [String(processes), String(nodes), String(gpus === 0)]);
      const runSh = await readFile(join(out, 'run.sh'), 'utf8');
      assert.equal(runSh.includes('MACHINE_RANK'), nodes > 1, 'several machines: run.sh takes the machine rank');
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
