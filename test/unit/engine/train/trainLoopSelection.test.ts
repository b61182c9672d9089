// Which epoch a multi-label run keeps: the best tuned macro F1, and on a tie the lower validation loss. A fake
// classifier gets every validation line right from the first epoch (macro F1 100 % each time) and grows surer each
// epoch: the last epoch is kept, and early stopping does not end the run at the tie.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainEpochs } from '../../../../src/engine/train/trainLoop';
import type { TrainableClassifier } from '../../../../src/engine/classifier/trainableClassifier';
import type { TrainerState } from '../../../../src/engine/train/trainerState';
import type { DatasetSplits, Example } from '../../../../src/engine/data/example';
import type { TrainConfig } from '../../../../src/protocol/train';

const labels = ['a', 'b'];
const validation: Example[] = [['a'], ['b'], ['a', 'b'], []].map((ls, i) => ({ text: `t${i}`, label: ls.join(', '), labels: ls, file: 'v', line: i + 1 }));

/** @param worsening grow less sure each epoch (0.85, 0.75, …: still right, higher loss) instead of surer */
function fakeClassifier(worsening = false): TrainableClassifier & { epochsDone: number } {
  return {
    labels,
    epochsDone: 0,
    describe: () => ({ kind: 'fake', source: 'fake', mode: 'full', parameters: 0, trainableParameters: 0, backend: 'js' }),
    beginTraining: async () => ({ stepsPerEpoch: 1 }),
    async trainStep() {
      this.epochsDone++;
      return { loss: 1, samples: 1, learningRate: 0.1 };
    },
    async predictProbs(texts: readonly string[]) {
      // Right on every line, p = 0.6, 0.7, 0.8, ... of the right side as epochs go by.
      const sure = worsening ? Math.max(0.55, 0.95 - 0.1 * this.epochsDone) : Math.min(0.99, 0.5 + 0.1 * this.epochsDone);
      const out = new Float32Array(texts.length * 2);
      texts.forEach((t, i) => {
        const gold = validation.find((e) => e.text === t)!.labels!;
        labels.forEach((l, c) => { out[i * 2 + c] = gold.includes(l) ? sure : 1 - sure; });
      });
      return out;
    },
    saveCheckpoint: async (dir: string) => { await mkdir(dir, { recursive: true }); await writeFile(join(dir, 'w'), ''); },
    loadCheckpoint: async () => undefined,
    exportModel: async () => undefined,
    dispose: () => undefined,
  } as TrainableClassifier & { epochsDone: number };
}

test('a tie on tuned macro F1 goes to the lower validation loss, and counts as an improvement for early stopping', async () => {
  const runDir = await mkdtemp(join(tmpdir(), 'loop-selection-'));
  try {
    const classifier = fakeClassifier();
    const state: TrainerState = { epoch: 0, step: 0, stepsPerEpoch: 1, epochLossSum: 0, epochSamples: 0, evaluations: [], bestEpoch: null, bestLoss: null, epochsWithoutImprovement: 0, stoppedEarly: false };
    const config = { epochs: 4, patience: 1 } as TrainConfig;
    const data = { train: [], validation, test: [], labels, multiLabel: true } as unknown as DatasetSplits;
    const outcome = await trainEpochs({ runId: 'r', runDir, config, data, classifier, state, emit: () => undefined, onEpochSaved: async () => undefined });
    assert.equal(outcome, 'finished');
    assert.deepEqual(state.evaluations.map((e) => e.validation.macroF1), [1, 1, 1, 1], 'every epoch is perfect');
    assert.deepEqual(state.evaluations.map((e) => e.isBest), [true, true, true, true]);
    assert.equal(state.bestEpoch, 4);
    assert.equal(state.stoppedEarly, false);
  } finally {
    await rm(runDir, { recursive: true, force: true });
  }
});

test('the early-stopping line comes after the line of the epoch it names', async () => {
  const runDir = await mkdtemp(join(tmpdir(), 'loop-early-stop-'));
  try {
    const state: TrainerState = { epoch: 0, step: 0, stepsPerEpoch: 1, epochLossSum: 0, epochSamples: 0, evaluations: [], bestEpoch: null, bestLoss: null, epochsWithoutImprovement: 0, stoppedEarly: false };
    const data = { train: [], validation, test: [], labels, multiLabel: true } as unknown as DatasetSplits;
    const events: string[] = [];
    const emit = (e: { type: string; epoch?: number; message?: string }): void => {
      if (e.type === 'epoch') events.push(`epoch ${e.epoch}`);
      else if (e.type === 'log' && /early stopping/.test(e.message ?? '')) events.push(e.message!.split(':')[0]!);
    };
    await trainEpochs({ runId: 'r', runDir, config: { epochs: 4, patience: 1 } as TrainConfig, data, classifier: fakeClassifier(true), state, emit: emit as never, onEpochSaved: async () => undefined });
    assert.equal(state.stoppedEarly, true);
    assert.deepEqual(events, ['epoch 1', 'epoch 2', 'early stopping after epoch 2']);
  } finally {
    await rm(runDir, { recursive: true, force: true });
  }
});
