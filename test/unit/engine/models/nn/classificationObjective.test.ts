// The one loss every model trains with: analytic logit gradients against finite differences, for softmax +
// cross-entropy and sigmoid + binary cross-entropy, with and without class and positive weights; and the
// `balanced` / file class weights of a run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exampleLossAndGrad, logitsToProbs, lossCoefficients, type ClassificationObjective } from '../../../../../src/engine/models/nn/classificationObjective';
import { resolveObjective } from '../../../../../src/engine/train/classWeights';

function lossAt(logits: number[], target: Float32Array, objective: ClassificationObjective): number {
  const k = logits.length;
  const q = logitsToProbs(Float32Array.from(logits), k, objective.problemType);
  const { a, b } = lossCoefficients(target, k, objective);
  return exampleLossAndGrad(q, a, b, 0, k, new Float32Array(k));
}

const cases: [string, ClassificationObjective, number[]][] = [
  ['softmax', { problemType: 'single_label_classification' }, [0, 1, 0]],
  ['softmax, class weights', { problemType: 'single_label_classification', classWeights: Float32Array.from([0.5, 3, 1]) }, [0, 1, 0]],
  ['sigmoid', { problemType: 'multi_label_classification' }, [1, 0, 1]],
  ['sigmoid, class and positive weights', { problemType: 'multi_label_classification', classWeights: Float32Array.from([0.5, 2, 1]), posWeights: Float32Array.from([4, 1, 0.25]) }, [1, 0, 1]],
  ['sigmoid, no label', { problemType: 'multi_label_classification', posWeights: Float32Array.from([4, 1, 9]) }, [0, 0, 0]],
];

for (const [name, objective, targetRow] of cases) {
  test(`logit gradient equals finite differences: ${name}`, () => {
    const logits = [0.3, -1.2, 2.0];
    const target = Float32Array.from(targetRow);
    const k = logits.length;
    const q = logitsToProbs(Float32Array.from(logits), k, objective.problemType);
    const { a, b } = lossCoefficients(target, k, objective);
    const grad = new Float32Array(k);
    exampleLossAndGrad(q, a, b, 0, k, grad);
    const eps = 1e-3;
    for (let c = 0; c < k; c++) {
      const up = [...logits];
      const down = [...logits];
      up[c] += eps;
      down[c] -= eps;
      const numeric = (lossAt(up, target, objective) - lossAt(down, target, objective)) / (2 * eps);
      assert.ok(Math.abs(numeric - grad[c]!) < 1e-3, `d/dz${c}: analytic ${grad[c]} vs numeric ${numeric}`);
    }
  });
}

test('the weighted binary cross-entropy is PyTorch\'s BCEWithLogitsLoss(weight, pos_weight) summed over labels', () => {
  const objective: ClassificationObjective = { problemType: 'multi_label_classification', classWeights: Float32Array.from([2, 1]), posWeights: Float32Array.from([3, 1]) };
  const z = [0.5, -0.25];
  const t = [1, 0];
  const s = z.map((x) => 1 / (1 + Math.exp(-x)));
  // PyTorch: l_c = -w_c [p_c t_c log σ(z_c) + (1 − t_c) log(1 − σ(z_c))]
  const expected = -2 * 3 * Math.log(s[0]!) - 1 * Math.log(1 - s[1]!);
  assert.ok(Math.abs(lossAt(z, Float32Array.from(t), objective) - expected) < 1e-6);
});

const labels = ['a', 'b', 'c'];
const ex = (ls: string[]) => ({ text: ls.join(' '), label: ls.join(', '), labels: ls, file: 'f', line: 1 });

test('balanced weights: n / (K·n_c) for single-label; per-label binary balance for multi-label', async () => {
  const single = await resolveObjective({ labels, multiLabel: false, train: ['a', 'a', 'a', 'a', 'b', 'c'].map((l) => ({ text: l, label: l, file: 'f', line: 1 })) }, 'balanced');
  assert.deepEqual(Array.from(single.objective.classWeights!), [6 / 12, 2, 2]);
  assert.equal(single.objective.posWeights, undefined);
  assert.match(single.summary, /^balanced: class weights 0\.5 "a" … 2 "b"$/);
  const multi = await resolveObjective({ labels, multiLabel: true, train: [ex(['a', 'b']), ex(['a']), ex(['a']), ex([])] }, 'balanced');
  // a: 3 of 4 → positives 4/(2·3), negatives 4/(2·1); b: 1 of 4 → positives 2, negatives 4/6; c: none → 1.
  assert.deepEqual(Array.from(multi.objective.posWeights!).map((x) => Number(x.toFixed(4))), [0.3333, 3, 1]);
  assert.deepEqual(Array.from(multi.objective.classWeights!).map((x) => Number(x.toFixed(4))), [2, 0.6667, 1]);
  const none = await resolveObjective({ labels, multiLabel: true, train: [] }, 'none');
  assert.deepEqual(none, { objective: { problemType: 'multi_label_classification' }, summary: 'none' });
});

test('class weights from a file: label → weight, or classWeights/posWeights; mistakes name the file and the label', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cw-weights-'));
  try {
    const file = join(dir, 'weights.json');
    const data = { labels, multiLabel: true, train: [ex(['a'])] };
    await writeFile(file, JSON.stringify({ c: 4 }));
    const flat = await resolveObjective(data, file);
    assert.deepEqual(Array.from(flat.objective.classWeights!), [1, 1, 4]);
    assert.equal(flat.summary, `from ${file}: class weights 1 "a" … 4 "c"`);
    await writeFile(file, JSON.stringify({ posWeights: { b: 2.5 } }));
    const nested = await resolveObjective(data, file);
    assert.deepEqual(Array.from(nested.objective.posWeights!), [1, 2.5, 1]);
    assert.equal(nested.objective.classWeights, undefined);

    const refused = async (content: string, pattern: RegExp, multiLabel = true) => {
      await writeFile(file, content);
      await assert.rejects(resolveObjective({ ...data, multiLabel }, file), (err: Error & { file?: string }) => {
        assert.match(err.message, pattern);
        assert.ok(err.message.includes(file), `names the file: ${err.message}`);
        return true;
      });
    };
    await refused('{"d": 2}', /label "d" is not one of the dataset's labels \(a, b, c\)/);
    await refused('{"a": -1}', /the weight of "a" must be a number ≥ 0, got -1/);
    await refused('{"a": 2,', /cannot read it as JSON/);
    await refused('[1, 2]', /expected a JSON object of label → weight/);
    await refused('{"posWeights": {"a": 2}}', /posWeights apply to multi-label data only/, false);
    await refused('{"classWeights": {"a": 2}, "other": 1}', /unexpected key "other"/);
    await assert.rejects(resolveObjective(data, join(dir, 'missing.json')), /no such file; give none, balanced, or the path/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
