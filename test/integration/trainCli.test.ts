import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/engine/cli/runCli';
import { commands } from '../../src/engine/cli/commands';

const root = join(__dirname, '..', '..');

async function cli(args: string[], signal = new AbortController().signal) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, commands, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, cwd: root, signal, version: 'test' });
  return { code, stdout, stderr };
}

test("the README's main command trains on the sample and prints before/after metrics; predict, runs, eval, export work on the run", async () => {
  const runsDir = await mkdtemp(join(tmpdir(), 'cli-runs-'));
  try {
    const train = await cli(['train', 'samples/support-tickets-train.jsonl', '--model', 'ngram', '--runs-dir', runsDir]);
    assert.equal(train.code, 0, train.stderr);
    assert.match(train.stdout, /^baseline \(untrained\): validation loss/m);
    assert.match(train.stdout, /^epoch \d+: train loss/m);
    const after = /\| after training \(test, best epoch \d+\) +\| +([\d.]+)%/.exec(train.stdout);
    const before = /\| before training \(test\) +\| +([\d.]+)%/.exec(train.stdout);
    assert.ok(after && before, train.stdout);
    assert.ok(Number(after[1]) >= 85, `sample test accuracy ${after[1]}%`);
    assert.ok(Number(before[1]) < 40);
    const [runId] = await readdir(runsDir);
    const runDir = join(runsDir, runId!);

    const predict = await cli(['predict', '--model', runDir, '--json', '--top-k', '2', 'I was charged twice for my order', 'The tracking says delivered but nothing is here']);
    assert.equal(predict.code, 0, predict.stderr);
    const lines = predict.stdout.trim().split('\n').map((l) => JSON.parse(l) as { label: string; top: unknown[] });
    assert.deepEqual(lines.map((l) => l.label), ['billing', 'delivery']);
    assert.equal(lines[0]!.top.length, 2);
    const uncertain = await cli(['predict', '--model', runDir, '--threshold', '0.999', 'hello']);
    assert.match(uncertain.stdout, /^UNCERTAIN\t/);

    // Texts on stdin, one per line, through the real entry point.
    const { spawnSync } = await import('node:child_process');
    const piped = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src', 'engine', 'cli', 'main.ts'), 'predict', '--model', runDir], {
      cwd: root, input: 'I was charged twice for my order\n\nI cannot log in, the password reset email never arrives\n', encoding: 'utf8',
    });
    assert.equal(piped.status, 0, piped.stderr);
    assert.deepEqual(piped.stdout.trim().split('\n').map((l) => l.split('\t')[0]), ['billing', 'account_access']);

    const list = await cli(['runs', 'list', runsDir]);
    assert.match(list.stdout, new RegExp(`${runId}\\s+completed`));
    const evaluation = await cli(['eval', runDir, 'samples/support-tickets-validation.jsonl', '--json']);
    assert.equal(evaluation.code, 0, evaluation.stderr);
    assert.equal((JSON.parse(evaluation.stdout) as { metrics: { examples: number } }).metrics.examples, 90);
    const exported = await cli(['export', runDir, '--out', join(runsDir, 'exported')]);
    assert.match(exported.stdout, /ngram\.json, ngram\.safetensors/);
    const resume = await cli(['runs', 'resume', runDir]);
    assert.equal(resume.code, 2);
    assert.match(resume.stderr, /already completed/);
  } finally {
    await rm(runsDir, { recursive: true, force: true });
  }
});

test('train with --json prints one JSON event per line and a result line; a bad flag is a usage error', async () => {
  const runsDir = await mkdtemp(join(tmpdir(), 'cli-json-'));
  try {
    const r = await cli(['train', 'samples/support-tickets-train.jsonl', '--model', 'ngram', '--epochs', '2', '--json', '--runs-dir', runsDir]);
    assert.equal(r.code, 0, r.stderr);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; state?: string });
    assert.equal(events.at(-1)!.type, 'result');
    assert.equal(events.at(-1)!.state, 'completed');
    assert.ok(events.some((e) => e.type === 'epoch') && events.some((e) => e.type === 'test'));
    const bad = await cli(['train', 'samples/support-tickets-train.jsonl', '--epochs', 'many']);
    assert.equal(bad.code, 64);
    assert.match(bad.stderr, /--epochs must be a number/);
  } finally {
    await rm(runsDir, { recursive: true, force: true });
  }
});

test('train --label-names names integer labels in label-id order: the run and its predictions use the names', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cli-int-labels-'));
  try {
    const { writeFile, readFile } = await import('node:fs/promises');
    const words = [['refund', 'charged', 'invoice', 'billing'], ['parcel', 'delivery', 'courier', 'tracking'], ['password', 'login', 'account', 'locked']];
    const lines: string[] = [];
    for (let i = 0; i < 60; i++) {
      const label = i % 3;
      const w = words[label]!;
      lines.push(JSON.stringify({ text: `my ${w[i % 4]} problem number ${i} about the ${w[(i + 1) % 4]}`, label }));
    }
    await writeFile(join(dir, 'train.jsonl'), `${lines.join('\n')}\n`);
    const runsDir = join(dir, 'runs');
    const train = await cli(['train', join(dir, 'train.jsonl'), '--model', 'ngram', '--epochs', '2', '--runs-dir', runsDir, '--label-names', 'billing,delivery,account']);
    assert.equal(train.code, 0, train.stderr);
    const [runId] = await readdir(runsDir);
    const run = JSON.parse(await readFile(join(runsDir, runId!, 'run.json'), 'utf8')) as { labels: string[]; config: { labelNames?: string[] } };
    assert.deepEqual(run.config.labelNames, ['billing', 'delivery', 'account']);
    assert.deepEqual(run.labels, ['billing', 'delivery', 'account'], 'label map in the given order, not sorted');
    const predictions = (await readFile(join(runsDir, runId!, 'predictions', 'validation.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { gold: string; predicted: string });
    assert.ok(predictions.length > 0);
    for (const p of predictions) {
      assert.ok(run.labels.includes(p.gold), `gold ${p.gold} is a name`);
      assert.ok(run.labels.includes(p.predicted) || p.predicted === 'UNCERTAIN', `predicted ${p.predicted} is a name`);
    }
    const bad = await cli(['train', join(dir, 'train.jsonl'), '--model', 'ngram', '--runs-dir', runsDir, '--label-names', 'a,a']);
    assert.equal(bad.code, 64);
    assert.match(bad.stderr, /--label-names has a name twice/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
