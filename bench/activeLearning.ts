// bench:active-learning — does "Suggest lines to label" pick better lines than chance? On emotion: 200 stratified
// seed labels; the rest of train.jsonl is the pool, its labels hidden and read only as the oracle when a line is
// picked. Each round the n-gram model is retrained on the labelled lines and 100 more lines are picked, by our
// strategy (uncertainty + k-center diversity, `selectBatch`) or at random; test accuracy and macro F1 are measured
// after each round. Mean over 3 seeds; the table prints both curves side by side.
// Usage: npm run bench:active-learning [-- --rounds 5 --batch 100 --seed-labels 200 --seeds 3 --variants]
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { computeMetrics, createClassifier, defaultNgramEpochs, loadDataset, mulberry32, resolveTrainConfig, selectBatch, uncertaintyScores, type Example, type UncertaintyMeasure } from '../src/engine';

const { values } = parseArgs({ options: {
  rounds: { type: 'string', default: '5' },
  batch: { type: 'string', default: '100' },
  'seed-labels': { type: 'string', default: '200' },
  seeds: { type: 'string', default: '3' },
  // Also run the strategy's ablations (pure uncertainty, other measures): the numbers behind the defaults.
  variants: { type: 'boolean', default: false },
} });
const rounds = Number(values.rounds);
const batch = Number(values.batch);
const seedLabels = Number(values['seed-labels']);
const seeds = Array.from({ length: Number(values.seeds) }, (_, i) => i + 1);
const dataset = join(__dirname, '..', '..', 'shared', 'data', 'emotion', 'train.jsonl');

/** Picks `batch` pool indices given the current model's probabilities on the pool. */
type Strategy = (pool: readonly Example[], probs: Float32Array, k: number, random: () => number) => number[];

const uncertainDiverse = (measure: UncertaintyMeasure, candidateFactor: number, diversity: 'kCenter' | 'cluster' = 'kCenter'): Strategy => (pool, probs, k) =>
  selectBatch(pool.map((e) => e.text), uncertaintyScores(probs, k, { measure }), batch, { candidateFactor, diversity });
const randomPick: Strategy = (pool, _probs, _k, random) => shuffled(pool.length, random).slice(0, batch);

const strategies: [string, Strategy][] = [
  // Our strategy is the engine's default: selectBatch's own candidate factor and diversity rule.
  ['ours', (pool, probs, k) => selectBatch(pool.map((e) => e.text), uncertaintyScores(probs, k), batch)],
  ['random', randomPick],
  ...(values.variants ? [
    ['margin only', uncertainDiverse('margin', 1)],
    ['margin+kcenter×3', uncertainDiverse('margin', 3)],
    ['entropy+kcenter×10', uncertainDiverse('entropy', 10)],
    ['margin+cluster×5', uncertainDiverse('margin', 5, 'cluster')],
  ] as [string, Strategy][] : []),
];

interface Point { labelled: number; accuracy: number; macroF1: number }

async function main(): Promise<void> {
  const splits = await loadDataset(dataset);
  const labels = splits.labels;
  const labelId = new Map(labels.map((l, i) => [l, i]));
  const testGold = Int32Array.from(splits.test, (e) => labelId.get(e.label)!);
  const config = await resolveTrainConfig({ dataset, model: 'ngram', patience: 0 });
  console.log(`emotion: pool ${splits.train.length} lines (train.jsonl), test ${splits.test.length}; ${seedLabels} seed labels, ${rounds} rounds × ${batch}, n-gram retrained each round, seeds ${seeds.join(', ')}`);

  async function train(labelled: readonly Example[], seed: number) {
    const classifier = await createClassifier({ ...config, seed, epochs: defaultNgramEpochs(labelled.length) }, labels);
    const epochs = defaultNgramEpochs(labelled.length);
    const { stepsPerEpoch } = await classifier.beginTraining(labelled, { epochs, seed });
    for (let epoch = 0; epoch < epochs; epoch++) for (let s = 0; s < stepsPerEpoch; s++) await classifier.trainStep(epoch, s);
    return classifier;
  }

  const curves = new Map<string, Point[][]>(strategies.map(([name]) => [name, []]));
  const started = performance.now();
  for (const seed of seeds) {
    const random = mulberry32(seed * 7919);
    const seedIdx = stratifiedSample(splits.train, seedLabels, random);
    for (const [name, strategy] of strategies) {
      const pickRandom = mulberry32(seed * 104729);
      const inLabelled = new Uint8Array(splits.train.length);
      for (const i of seedIdx) inLabelled[i] = 1;
      const curve: Point[] = [];
      for (let round = 0; ; round++) {
        const labelled = splits.train.filter((_, i) => inLabelled[i]);
        const classifier = await train(labelled, seed);
        try {
          const m = computeMetrics(testGold, await classifier.predictProbs(splits.test.map((e) => e.text)), labels, 'test');
          curve.push({ labelled: labelled.length, accuracy: m.accuracy, macroF1: m.macroF1 });
          if (round === rounds) break;
          // The oracle: only the picked lines' labels are ever read (by moving them into the labelled set).
          const poolIdx = [...splits.train.keys()].filter((i) => !inLabelled[i]);
          const pool = poolIdx.map((i) => ({ ...splits.train[i]!, label: '' }));
          const probs = await classifier.predictProbs(pool.map((e) => e.text));
          for (const p of strategy(pool, probs, labels.length, pickRandom)) inLabelled[poolIdx[p]!] = 1;
        } finally {
          classifier.dispose();
        }
      }
      curves.get(name)!.push(curve);
      process.stderr.write(`  seed ${seed} ${name}: ${curve.map((p) => p.accuracy.toFixed(3)).join(' ')}\n`);
    }
  }
  printTable(curves);
  console.log(`wall ${((performance.now() - started) / 1000).toFixed(0)} s (loaded shared machine; the accuracy figures do not depend on load)`);
}

function printTable(curves: Map<string, Point[][]>): void {
  const names = [...curves.keys()];
  const mean = (name: string, round: number, key: 'accuracy' | 'macroF1') => {
    const runs = curves.get(name)!;
    return runs.reduce((s, c) => s + c[round]![key], 0) / runs.length;
  };
  const header = ['round', 'labelled', ...names.flatMap((n) => [`${n} acc`, `${n} F1`]), 'Δacc ours−random', 'ΔF1 ours−random'];
  console.log(`\n| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|`);
  let above = true;
  const points = curves.get(names[0]!)![0]!;
  for (let r = 0; r < points.length; r++) {
    const dAcc = mean('ours', r, 'accuracy') - mean('random', r, 'accuracy');
    const dF1 = mean('ours', r, 'macroF1') - mean('random', r, 'macroF1');
    if (r > 0 && (dAcc <= 0 || dF1 <= 0)) above = false;
    const cells = [String(r), String(points[r]!.labelled), ...names.flatMap((n) => [mean(n, r, 'accuracy').toFixed(4), mean(n, r, 'macroF1').toFixed(4)]), signed(dAcc), signed(dF1)];
    console.log(`| ${cells.join(' | ')} |`);
  }
  console.log(`\nours above random (accuracy and macro F1) at every round after the seed: ${above ? 'yes' : 'NO'}`);
}

/** `size` indices of `examples`, per label in proportion to its share (at least one each), seeded. */
function stratifiedSample(examples: readonly Example[], size: number, random: () => number): number[] {
  const byLabel = new Map<string, number[]>();
  examples.forEach((e, i) => byLabel.set(e.label, [...(byLabel.get(e.label) ?? []), i]));
  const picked: number[] = [];
  for (const indices of byLabel.values()) {
    const take = Math.max(1, Math.round((size * indices.length) / examples.length));
    picked.push(...shuffled(indices.length, random).slice(0, take).map((j) => indices[j]!));
  }
  return picked;
}

function shuffled(n: number, random: () => number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(4)}`;

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
