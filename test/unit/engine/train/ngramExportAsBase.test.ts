// An n-gram export folder (or a run folder) given as the base model of `train` is recognised and refused before
// any run folder is made, saying how to train a new n-gram model or use that one — not "config.json is missing:
// every Hugging Face model folder has one" (issue 15, defect 4).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveTrainConfig } from '../../../../src/engine/train/resolveTrainConfig';
import { EngineError } from '../../../../src/engine/errors';
import { runCliCapture } from '../../../helpers/runCliCapture';

test('train --model <n-gram export> says it cannot be fine-tuned and names --model ngram and predict --model', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'cw-ngram-base-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const data = join(root, 'data');
  mkdirSync(data);
  writeFileSync(join(data, 'train.jsonl'), `${Array.from({ length: 20 }, (_, i) => JSON.stringify({ text: `${i % 2 ? 'good' : 'bad'} ${i}`, label: i % 2 ? 'pos' : 'neg' })).join('\n')}\n`);
  const trained = await runCliCapture(['train', 'data/train.jsonl', '--model', 'ngram', '--epochs', '1', '--json'], root);
  assert.equal(trained.code, 0, trained.stderr);
  const runsDir = join(data, '.classifier-workbench', 'runs');
  const [runId] = readdirSync(runsDir);
  const exported = await runCliCapture(['export', join(runsDir, runId!), '--out', join(root, 'work', 'ngram-export')], root);
  assert.equal(exported.code, 0, exported.stderr);

  const refused = await runCliCapture(['train', 'data/train.jsonl', '--model', 'work/ngram-export'], root);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /work\/ngram-export: this is an n-gram model \(ngram\.json\), which cannot be fine-tuned further as a base model; use --model ngram to train a new n-gram model, or predict --model .*ngram-export to use this one/);
  assert.doesNotMatch(refused.stderr, /config\.json is missing/);
  assert.equal(readdirSync(runsDir).length, 1, 'no failed run is left behind');

  const inEditor = await resolveTrainConfig({ dataset: join(data, 'train.jsonl'), model: join(root, 'work', 'ngram-export') }).then(() => assert.fail('expected a refusal'), (e: unknown) => e);
  assert.ok(inEditor instanceof EngineError);
  assert.match(inEditor.editorMessage!, /"Built-in n-gram model" in the Fine-tune dialogue.*Set active model/);

  const runAsBase = await runCliCapture(['train', 'data/train.jsonl', '--model', join(runsDir, runId!)], root);
  assert.notEqual(runAsBase.code, 0);
  assert.match(runAsBase.stderr, /this is a run folder \(run\.json\), not a base model/);
  assert.ok(existsSync(join(root, 'work', 'ngram-export', 'ngram.json')));
});
