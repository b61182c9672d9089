// The decisions an export keeps beside its weights (temperature, abstain thresholds): stored by label name under
// classifier_workbench, merged with what is there, read back by label id, and refused with the file named when bad.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDecisions, toStoredDecisions, writeDecisions, type Decisions } from '../../../../src/engine/runs/exportedDecisions';
import { EngineError } from '../../../../src/engine/errors';

const labels = ['anger', 'joy', 'sadness'];
const decisions: Decisions = {
  calibration: { method: 'temperature', temperature: 1.4, perClass: [1.2, 1.5, 1.6], fittedOn: 'validation', nllBefore: 0.9, nllAfter: 0.8 },
  uncertaintyThreshold: 0.6,
  uncertaintyThresholds: [0.7, 0.5, 1],
};

test('stored by label name beside what the header holds, and read back by label id', async () => {
  const file = join(await mkdtemp(join(tmpdir(), 'cw-decisions-')), 'config.json');
  await writeFile(file, JSON.stringify({ model_type: 'bert', classifier_workbench: { thresholds: { anger: 0.5 } } }));
  await writeDecisions(file, toStoredDecisions(decisions, labels));
  const json = JSON.parse(await readFile(file, 'utf8'));
  assert.equal(json.model_type, 'bert');
  assert.deepEqual(json.classifier_workbench.thresholds, { anger: 0.5 }, 'a multi-label export\'s thresholds stay');
  assert.deepEqual(json.classifier_workbench.uncertaintyThresholds, { anger: 0.7, joy: 0.5, sadness: 1 });
  assert.deepEqual(json.classifier_workbench.calibration.perClass, { anger: 1.2, joy: 1.5, sadness: 1.6 });
  // Another label order in the loading model (a re-ordered id2label) still gets each label its own value.
  assert.deepEqual(readDecisions(json, ['sadness', 'anger', 'joy'], file).uncertaintyThresholds, [1, 0.7, 0.5]);
  assert.deepEqual(readDecisions(json, labels, file), decisions);
  assert.deepEqual(readDecisions({ model_type: 'bert' }, labels, file), {}, 'an export without decisions predicts raw');
});

test('a declined temperature is not exported, and nothing is written when there is nothing to keep', async () => {
  const file = join(await mkdtemp(join(tmpdir(), 'cw-decisions-')), 'ngram.json');
  await writeFile(file, '{"format":"x"}');
  const declined = toStoredDecisions({ calibration: { ...decisions.calibration!, temperature: 1, declined: { temperature: 0.9, eceBefore: 0.02, eceAfter: 0.03 } } }, labels);
  assert.deepEqual(declined, {});
  await writeDecisions(file, declined);
  assert.equal(await readFile(file, 'utf8'), '{"format":"x"}');
});

test('bad stored values are refused naming the file and the key', () => {
  const stored = toStoredDecisions(decisions, labels);
  const cases: [unknown, RegExp][] = [
    [{ ...stored, uncertaintyThreshold: 1.5 }, /classifier_workbench\.uncertaintyThreshold/],
    [{ ...stored, uncertaintyThresholds: { anger: 0.7, joy: 0.5 } }, /uncertaintyThresholds \(one value per label: 3\)/],
    [{ ...stored, uncertaintyThresholds: { anger: 0.7, joy: 0.5, fear: 0.2 } }, /uncertaintyThresholds\["sadness"\]/],
    [{ ...stored, calibration: { ...stored.calibration, temperature: -1 } }, /calibration\.temperature/],
    [{ ...stored, calibration: { ...stored.calibration, perClass: { anger: 1, joy: 0, sadness: 1 } } }, /calibration\.perClass\["joy"\]/],
  ];
  for (const [extra, pattern] of cases) {
    assert.throws(() => readDecisions({ classifier_workbench: extra }, labels, '/m/config.json'),
      (e: unknown) => e instanceof EngineError && pattern.test(e.message) && e.data?.file === '/m/config.json', String(pattern));
  }
});
