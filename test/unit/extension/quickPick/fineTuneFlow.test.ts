import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FineTuneFlow, summarise, validateHubId, validateParameter, type FineTuneFlowInput, type FlowStep } from '../../../../src/extension/quickPick/fineTuneFlow';
import { modelDefaults, NGRAM_DEFAULTS } from '../../../../src/protocol/trainDefaults';
import { gatherModelChoices } from '../../../../src/extension/quickPick/modelCandidates';
import { recommendedModels } from '../../../../src/protocol/recommendedModels';

const hyperparameters = { epochs: 3, batchSize: 16, learningRate: null, maxLength: 128, patience: 2, validationSplit: 0.1, classWeights: 'none' };
function setup(defaultModel = 'ngram'): FineTuneFlowInput {
  return {
    defaults: { model: defaultModel, mode: 'full', hyperparameters },
    models: gatherModelChoices({ recent: ['/w/models/minilm'], workspaceFolders: ['/w/models/minilm', '/w/models/bert-tiny'], cached: ['google/bert_uncased_L-2_H-128_A-2'] }),
  };
}
function pickStep(flow: FineTuneFlow): Extract<FlowStep, { kind: 'pick' }> {
  const step = flow.current();
  assert.equal(step.kind, 'pick');
  return step as Extract<FlowStep, { kind: 'pick' }>;
}

test('"Start with defaults" is the first item of the first step: one Enter starts', () => {
  const flow = new FineTuneFlow(setup('/w/models/bert-tiny'));
  const step = pickStep(flow);
  assert.equal(step.id, 'model');
  assert.equal(step.items[0].id, 'defaults');
  assert.match(step.items[0].description ?? '', /bert-tiny · Full fine-tuning · 3 epochs · batch 16/);
  flow.pick('defaults');
  assert.deepEqual(flow.current(), { kind: 'done', result: { model: '/w/models/bert-tiny', mode: 'full', hyperparameters, customised: false, destination: 'here' } });
});

test('model list groups recent, workspace, cache, recommended and built-in models, each once, then hub id and browse', () => {
  const items = pickStep(new FineTuneFlow(setup())).items;
  const rows = items.map((i) => (i.separator ? `--${i.label}` : i.id));
  // The recommended models the engine can train as published, less the one already listed from the cache.
  const recommended = recommendedModels.filter((m) => m.usable && m.id !== 'google/bert_uncased_L-2_H-128_A-2').map((m) => `model:${m.id}`);
  assert.deepEqual(rows, [
    'defaults',
    '--Recent', 'model:/w/models/minilm',
    '--Workspace folders', 'model:/w/models/bert-tiny',
    '--Hugging Face cache', 'model:google/bert_uncased_L-2_H-128_A-2',
    '--Recommended (downloaded on first use)', ...recommended,
    '--Built-in', 'model:ngram', 'model:scratch',
    '--Other', 'hub', 'browse',
  ]);
  // Every family of the list is implemented now: the usable filter above is the rule, these are its current result.
  for (const id of ['roberta-base', 'microsoft/deberta-v3-base', 'answerdotai/ModernBERT-base']) assert.ok(recommended.includes(`model:${id}`), `${id} is offered`);
  const roberta = items.find((i) => i.id === 'model:roberta-base');
  assert.match(roberta?.detail ?? '', /RoBERTa · 125M parameters · ≈500 MB · English/);
  assert.throws(() => new FineTuneFlow(setup()).pick('sep:recent'), /no item/);
});

test('model → mode → review: the mode step puts the default first, then start', () => {
  const flow = new FineTuneFlow(setup());
  flow.pick('model:google/bert_uncased_L-2_H-128_A-2');
  const mode = pickStep(flow);
  assert.equal(mode.id, 'mode');
  assert.equal(mode.step, 2);
  assert.deepEqual(mode.items.map((i) => i.id), ['full', 'feature-extraction', 'lora']);
  flow.pick('lora');
  const review = pickStep(flow);
  assert.equal(review.id, 'review');
  assert.equal(review.items[0].id, 'start');
  flow.pick('start');
  const done = flow.current();
  assert.equal(done.kind, 'done');
  if (done.kind === 'done') assert.deepEqual(done.result, { model: 'google/bert_uncased_L-2_H-128_A-2', mode: 'lora', hyperparameters, customised: true, destination: 'here' });
});

test('"Run elsewhere…" in the review and customise steps ends the dialogue with the same choice, to export as a job', () => {
  for (const via of ['review', 'customise'] as const) {
    const flow = new FineTuneFlow(setup());
    flow.pick('model:google/bert_uncased_L-2_H-128_A-2');
    flow.pick('lora');
    if (via === 'customise') {
      flow.pick('customise');
      flow.pick('epochs');
      flow.input('7');
    }
    assert.equal(pickStep(flow).id, via);
    assert.ok(pickStep(flow).items.some((i) => i.id === 'elsewhere' && /Run elsewhere/.test(i.label)), `${via} offers Run elsewhere`);
    flow.pick('elsewhere');
    const done = flow.current();
    assert.equal(done.kind, 'done');
    if (done.kind === 'done') {
      assert.equal(done.result.destination, 'elsewhere');
      assert.deepEqual([done.result.model, done.result.mode, done.result.hyperparameters.epochs], ['google/bert_uncased_L-2_H-128_A-2', 'lora', via === 'customise' ? 7 : hyperparameters.epochs]);
    }
  }
});

test('the n-gram model has no modes: it skips straight to the review', () => {
  const flow = new FineTuneFlow(setup());
  flow.pick('model:ngram');
  assert.equal(pickStep(flow).id, 'review');
});

test('customise edits values with validation and returns to the list showing the new value', () => {
  const flow = new FineTuneFlow(setup());
  flow.pick('model:scratch');
  flow.pick('feature-extraction');
  flow.pick('customise');
  assert.equal(pickStep(flow).id, 'customise');
  flow.pick('epochs');
  const input = flow.current();
  assert.equal(input.kind, 'input');
  if (input.kind !== 'input') return;
  assert.equal(input.value, '3');
  assert.equal(input.validate('0'), 'Epochs must be a whole number from 1 to 1000, or empty for the default.');
  assert.equal(input.validate('2.5'), 'Epochs must be a whole number from 1 to 1000, or empty for the default.');
  assert.throws(() => flow.input('abc'), /Epochs must be/);
  assert.equal(input.validate(''), undefined, 'empty = the engine default of the model');
  flow.input('10');
  const list = pickStep(flow);
  assert.equal(list.items.find((i) => i.id === 'epochs')?.description, '10');
  flow.pick('learningRate');
  flow.input('5e-4');
  flow.pick('validationSplit');
  flow.input('0.2');
  flow.pick('start');
  const done = flow.current();
  assert.equal(done.kind, 'done');
  if (done.kind === 'done') {
    assert.deepEqual(done.result.hyperparameters, { ...hyperparameters, epochs: 10, learningRate: 5e-4, validationSplit: 0.2 });
    assert.equal(done.result.mode, 'feature-extraction');
  }
});

test('back returns to the previous step; the review shows values changed in customise', () => {
  const flow = new FineTuneFlow(setup());
  assert.equal(flow.canGoBack, false);
  flow.pick('model:scratch');
  flow.pick('full');
  flow.pick('customise');
  flow.pick('batchSize');
  flow.back();
  assert.equal(pickStep(flow).id, 'customise');
  flow.pick('batchSize');
  flow.input('32');
  flow.back();
  const review = pickStep(flow);
  assert.equal(review.id, 'review');
  assert.match(review.items[0].description ?? '', /batch 32/);
  flow.back();
  assert.equal(pickStep(flow).id, 'mode');
  flow.back();
  assert.equal(pickStep(flow).id, 'model');
});

test('a hub id is typed and checked; a dismissed folder dialog goes back to the model step', () => {
  const flow = new FineTuneFlow(setup());
  flow.pick('hub');
  const hub = flow.current();
  assert.equal(hub.kind, 'input');
  if (hub.kind === 'input') assert.match(hub.validate('not a/valid/id') ?? '', /not a Hub id/);
  flow.input(' sentence-transformers/all-MiniLM-L6-v2 ');
  assert.match(pickStep(flow).placeholder, /sentence-transformers\/all-MiniLM-L6-v2/);

  // owner/name@revision: the conversion bot's pull request, carried into the run's config.
  const pr = new FineTuneFlow(setup());
  pr.pick('hub');
  pr.input('cardiffnlp/twitter-roberta-base-emotion@refs/pr/3');
  pr.pick('full');
  pr.pick('start');
  const done = pr.current();
  assert.equal(done.kind, 'done');
  if (done.kind === 'done') assert.deepEqual([done.result.model, done.result.revision], ['cardiffnlp/twitter-roberta-base-emotion', 'refs/pr/3']);

  const browsing = new FineTuneFlow(setup());
  browsing.pick('browse');
  assert.equal(browsing.current().kind, 'browse');
  browsing.browsed(undefined);
  assert.equal(pickStep(browsing).id, 'model');
  browsing.pick('browse');
  browsing.browsed('/w/models/other');
  assert.equal(pickStep(browsing).id, 'mode');
});

test('parameter and hub-id validators', () => {
  assert.equal(validateParameter('learningRate', ''), undefined, 'empty = engine default');
  assert.match(validateParameter('learningRate', '2') ?? '', /between 0 and 1/);
  assert.match(validateParameter('validationSplit', '0.5') ?? '', /below 0.5/);
  assert.equal(validateParameter('patience', '0'), undefined);
  assert.match(validateParameter('maxLength', '4') ?? '', /from 8/);
  assert.equal(validateHubId('bert-base-uncased'), undefined);
  assert.match(validateHubId('../etc') ?? '', /not a Hub id/);
  assert.match(validateHubId('') ?? '', /Type a model id/);
  assert.equal(validateHubId('cardiffnlp/twitter-roberta-base-emotion@refs/pr/3'), undefined);
  assert.equal(validateHubId('FacebookAI/roberta-base@v1.0'), undefined);
  assert.match(validateHubId('org/name@../../x') ?? '', /not a revision/);
  assert.match(validateHubId('org/name@') ?? '', /not a revision/);
});

test('the customise step sets class weights; the summary and the result carry them', () => {
  const flow = new FineTuneFlow(setup());
  flow.pick('model:ngram');
  flow.pick('customise');
  const step = pickStep(flow);
  const item = step.items.find((i) => i.id === 'classWeights');
  assert.equal(item?.label, 'Class weights');
  assert.equal(item?.description, 'none');
  flow.pick('classWeights');
  assert.equal(validateParameter('classWeights', '  '), 'Class weights must be none, balanced, or a file path.');
  flow.input('balanced');
  assert.match(pickStep(flow).items[0].description ?? '', /class weights balanced/);
  flow.pick('start');
  const done = flow.current();
  assert.equal(done.kind === 'done' && done.result.hyperparameters.classWeights, 'balanced');
});

test('Escape in a value box goes back one step keeping the values entered; Escape in a pick list ends the dialogue', () => {
  const flow = new FineTuneFlow(setup());
  flow.pick('model:scratch');
  flow.pick('full');
  flow.pick('customise');
  flow.pick('epochs');
  flow.input('7');
  flow.pick('batchSize');
  assert.equal(flow.current().kind, 'input');
  assert.equal(flow.escape(), false, 'a value box: the dialogue goes on');
  const list = pickStep(flow);
  assert.equal(list.id, 'customise');
  assert.equal(list.items.find((i) => i.id === 'epochs')?.description, '7', 'the value typed before stays');
  assert.equal(flow.escape(), true, 'a pick list: Escape ends');

  const hub = new FineTuneFlow(setup());
  hub.pick('hub');
  assert.equal(hub.escape(), false);
  assert.equal(pickStep(hub).id, 'model');
});

test('with the n-gram model the prompts quote the n-gram defaults (from the engine\'s table), not the transformers\'', () => {
  const ngram = modelDefaults('ngram', 'full');
  const flow = new FineTuneFlow(setup());
  flow.pick('model:ngram');
  flow.pick('customise');
  const items = pickStep(flow).items;
  const detail = (id: string) => items.find((i) => i.id === id)?.detail ?? '';
  assert.match(detail('learningRate'), new RegExp(`default \\(${String(ngram.learningRate).replace('.', '\\.')}; ${ngram.multiLabelLearningRate} for multi-label data\\)`));
  assert.match(detail('batchSize'), new RegExp(`default \\(${ngram.batchSize}\\)`));
  assert.match(detail('epochs'), new RegExp(`${NGRAM_DEFAULTS.minEpochs} to ${NGRAM_DEFAULTS.maxEpochs}, scaled to the data`));
  for (const id of ['learningRate', 'batchSize', 'epochs']) assert.doesNotMatch(detail(id), /2e-5|\b16\b|transformer/, id);
  assert.equal(items.find((i) => i.id === 'learningRate')?.description, `engine default (${ngram.learningRate}; ${ngram.multiLabelLearningRate} for multi-label data)`);
  flow.pick('learningRate');
  const input = flow.current();
  assert.equal(input.kind, 'input');
  if (input.kind === 'input') assert.match(input.prompt, /^Starting SGD learning rate .*default \(0\.2; 1 for multi-label data\)/, 'what the issue saw: 0.2, not 2e-5');

  // A transformer in LoRA mode quotes its own rate.
  const lora = new FineTuneFlow(setup());
  lora.pick('model:/w/models/bert-tiny');
  lora.pick('lora');
  lora.pick('customise');
  assert.match(pickStep(lora).items.find((i) => i.id === 'learningRate')?.detail ?? '', new RegExp(`default \\(${modelDefaults('/w/models/bert-tiny', 'lora').learningRate.toExponential()}\\)`));
});

test('counts read "1 epoch", "2 epochs"', () => {
  assert.match(summarise({ ...hyperparameters, epochs: 1 }), /^1 epoch · batch 16/);
  assert.match(summarise({ ...hyperparameters, epochs: 2 }), /^2 epochs · /);
  assert.match(summarise({ ...hyperparameters, epochs: null }, modelDefaults('/m', 'full')), /^3 epochs · batch 16 · lr 2e-5 ·/);
});

test('every step\'s title names the dataset the dialogue trains on', () => {
  const flow = new FineTuneFlow({ ...setup(), dataset: 'data/emotion/train.jsonl' });
  assert.match(pickStep(flow).title, /data\/emotion\/train\.jsonl/);
  flow.pick('model:scratch');
  assert.match(pickStep(flow).title, /data\/emotion\/train\.jsonl/);
  flow.pick('full');
  flow.pick('customise');
  flow.pick('epochs');
  const input = flow.current();
  assert.equal(input.kind === 'input' && input.title, 'Fine-tune classifier: data/emotion/train.jsonl · Epochs');
});
