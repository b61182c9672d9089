// The hover: what it shows for JSONL lines, selections and paragraphs, caching per (model, text), cancellation.
import '../useFakeVscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { PredictionHoverProvider, type ActiveModelSource, type HoverSettings, type Predictor } from '../../../../src/extension/hover/predictionHoverProvider';
import type { ModelPredictParams, ModelPredictResult } from '../../../../src/protocol/model';
import { fakeDocument } from './fakeDocument';

const labels = ['anger', 'joy', 'love', 'sadness'];

/** A fake engine: joy-ish for texts with "happy", sadness otherwise; records every request. */
function fakePredictor(delayMs = 0) {
  const calls: { params: ModelPredictParams; token?: vscode.CancellationToken }[] = [];
  const predictor: Predictor = {
    async predict(params, token) {
      calls.push({ params, token });
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      if (token?.isCancellationRequested) throw Object.assign(new Error('cancelled'), { code: -32800 });
      const predictions = params.texts.map((t) => {
        const probabilities = t.includes('happy') ? [0.02, 0.9, 0.05, 0.03] : [0.3, 0.25, 0.05, 0.4];
        const top = probabilities.map((probability, i) => ({ label: labels[i], probability })).sort((a, b) => b.probability - a.probability).slice(0, params.topK ?? 3);
        return { label: top[0].label, confidence: top[0].probability, top, probabilities };
      });
      return { model: '/runs/r1', labels, predictions } satisfies ModelPredictResult;
    },
  };
  return { predictor, calls };
}

const model: ActiveModelSource = {
  current: { path: '/runs/r1', name: 'r1' },
  ensureLoaded: async () => ({ labels }),
  invalidateEngineCopy: () => {},
};
const settings: HoverSettings = { hoverEnabled: true, hoverLanguages: ['plaintext', 'markdown'], uncertaintyThreshold: 0.5 };
const token = () => new vscode.CancellationTokenSource().token as unknown as vscode.CancellationToken;
const body = (hover: vscode.Hover | undefined) => (hover!.contents as unknown as vscode.MarkdownString).value;

test('a JSONL line shows prediction, bar chart, given label and disagreement', async () => {
  const { predictor, calls } = fakePredictor();
  const provider = new PredictionHoverProvider(predictor, model, () => settings, () => undefined);
  const doc = fakeDocument('{"text":"i am so happy","label":"love"}\n{"text":"i am so happy","label":"joy"}', '/d/train.jsonl', 'jsonl');
  const hover = await provider.provideHover(doc, new vscode.Position(0, 5), token());
  const md = body(hover);
  assert.match(md, /\*\*Prediction:\*\* `joy` — confidence 90\.0%/);
  assert.match(md, /\*\*Given label:\*\* `love` — \$\(warning\) model disagrees \(p\(`love`\) = 5\.0%\)/);
  assert.match(md, /joy {5}██████████████████·· {2}90\.0%/);
  assert.deepEqual(calls[0].params, { texts: ['i am so happy'], topK: 5, threshold: 0 });
  assert.equal(hover!.range!.start.line, 0);
  // Same text on the next line: served from the cache, and this time the model agrees.
  const second = await provider.provideHover(doc, new vscode.Position(1, 0), token());
  assert.match(body(second), /`joy` — \$\(check\) model agrees/);
  assert.equal(calls.length, 1, 'cached per (model, text)');
});

test('a JSONL line flagged by label-issue detection says so in the hover', async () => {
  const asked: [string, number][] = [];
  const notes = (file: string, line: number) => { asked.push([file, line]); return line === 2 ? ['**Likely label issue #1**'] : []; };
  const provider = new PredictionHoverProvider(fakePredictor().predictor, model, () => settings, () => undefined, notes);
  const doc = fakeDocument('{"text":"a happy","label":"joy"}\n{"text":"so happy","label":"sadness"}', '/d/train.jsonl', 'jsonl');
  assert.doesNotMatch(body(await provider.provideHover(doc, new vscode.Position(0, 1), token())), /Likely label issue/);
  assert.match(body(await provider.provideHover(doc, new vscode.Position(1, 1), token())), /model disagrees[^]*\n\n\*\*Likely label issue #1\*\*\n\n```text/);
  assert.deepEqual(asked, [['/d/train.jsonl', 1], ['/d/train.jsonl', 2]]);
});

test('below the threshold the verdict is UNCERTAIN', async () => {
  const provider = new PredictionHoverProvider(fakePredictor().predictor, model, () => settings, () => undefined);
  const doc = fakeDocument('{"text":"meh","label":"sadness"}', '/d/a.jsonl', 'plaintext');
  const md = body(await provider.provideHover(doc, new vscode.Position(0, 1), token()));
  assert.match(md, /`UNCERTAIN` \(best guess `sadness`\) — confidence 40\.0% < threshold 50\.0%/);
});

test('an active run with per-class abstain thresholds: the predicted class\'s threshold decides, not the setting', async () => {
  // sadness at 0.4: UNCERTAIN under the setting (0.5), answered under its class threshold 0.35; joy at 0.9 under 0.95 is not.
  const perClassModel: ActiveModelSource = { ...model, ensureLoaded: async () => ({ labels, uncertaintyThresholds: [0.5, 0.95, 0.5, 0.35] }) };
  const provider = new PredictionHoverProvider(fakePredictor().predictor, perClassModel, () => settings, () => undefined);
  const doc = fakeDocument('meh\n\nso happy', '/d/a.txt', 'plaintext');
  assert.match(body(await provider.provideHover(doc, new vscode.Position(0, 1), token())), /\*\*Prediction:\*\* `sadness` — confidence 40\.0%/);
  assert.match(body(await provider.provideHover(doc, new vscode.Position(2, 1), token())), /`UNCERTAIN` \(best guess `joy`\) — confidence 90\.0% < threshold 95\.0%/);
});

test('a selection, else the paragraph, in configured languages; nothing in others or when disabled', async () => {
  const { predictor, calls } = fakePredictor();
  const text = 'first line\nso happy today\nstill same paragraph\n\nother paragraph';
  const markdownDoc = fakeDocument(text, '/d/notes.md', 'markdown');
  const selection = new vscode.Selection(1, 3, 1, 8);
  const withSelection = new PredictionHoverProvider(predictor, model, () => settings, () => selection);
  await withSelection.provideHover(markdownDoc, new vscode.Position(1, 4), token());
  assert.deepEqual(calls.at(-1)!.params.texts, ['happy']);
  // Hovering outside the selection uses the paragraph.
  await withSelection.provideHover(markdownDoc, new vscode.Position(0, 2), token());
  assert.deepEqual(calls.at(-1)!.params.texts, ['first line so happy today still same paragraph']);
  assert.equal(await withSelection.provideHover(markdownDoc, new vscode.Position(3, 0), token()), undefined, 'blank line');
  // No blank lines at all: the paragraph is capped around the hovered line.
  const wall = fakeDocument(Array.from({ length: 1000 }, (_, i) => `w${i}`).join('\n'), '/d/wall.txt', 'plaintext');
  await withSelection.provideHover(wall, new vscode.Position(500, 0), token());
  assert.deepEqual(calls.at(-1)!.params.texts[0].split(' ').length, 41);
  assert.match(calls.at(-1)!.params.texts[0], /^w480 .* w520$/);
  const before = calls.length;
  assert.equal(await withSelection.provideHover(fakeDocument(text, '/d/a.ts', 'typescript'), new vscode.Position(0, 1), token()), undefined);
  const disabled = new PredictionHoverProvider(predictor, model, () => ({ ...settings, hoverEnabled: false }), () => undefined);
  assert.equal(await disabled.provideHover(markdownDoc, new vscode.Position(0, 1), token()), undefined);
  const noModel = new PredictionHoverProvider(predictor, { ...model, current: undefined }, () => settings, () => undefined);
  assert.equal(await noModel.provideHover(markdownDoc, new vscode.Position(0, 1), token()), undefined);
  assert.equal(calls.length, before, 'no request for unsupported languages, disabled hover or no model');
});

test('a stale hover passes its cancellation to the engine request and caches nothing', async () => {
  const { predictor, calls } = fakePredictor(30);
  const provider = new PredictionHoverProvider(predictor, model, () => settings, () => undefined);
  const source = new vscode.CancellationTokenSource();
  const doc = fakeDocument('{"text":"happy again","label":"joy"}', '/d/t.jsonl', 'jsonl');
  const pending = provider.provideHover(doc, new vscode.Position(0, 0), source.token as unknown as vscode.CancellationToken);
  setTimeout(() => source.cancel(), 5);
  assert.equal(await pending, undefined);
  assert.equal(calls[0].token?.isCancellationRequested, true, 'the engine request saw the cancellation');
  assert.equal(provider.cache.size, 0);
  // Cancelled before the engine was asked: no request at all.
  const early = new vscode.CancellationTokenSource();
  early.cancel();
  assert.equal(await provider.provideHover(doc, new vscode.Position(0, 0), early.token as unknown as vscode.CancellationToken), undefined);
  assert.equal(calls.length, 1);
});

test('engine errors never reach the editor; a restarted engine gets the model again and the hover retries once', async () => {
  let invalidated = 0;
  let loads = 0;
  const failing: Predictor = { predict: async () => { throw Object.assign(new Error('no active model'), { code: -32006 }); } };
  const source = { ...model, ensureLoaded: async () => { loads++; return { labels }; }, invalidateEngineCopy: () => invalidated++ };
  const doc = fakeDocument('{"text":"happy x","label":"joy"}', '/d/t.jsonl', 'jsonl');
  assert.equal(await new PredictionHoverProvider(failing, source, () => settings, () => undefined).provideHover(doc, new vscode.Position(0, 0), token()), undefined);
  assert.equal(invalidated, 2, 'invalidated before the retry and after it failed again');
  assert.equal(loads, 2);
  // The engine lost the model once (restart): the retry succeeds and the user sees the hover.
  let lost = true;
  const { predictor } = fakePredictor();
  const flaky: Predictor = { predict: async (params, t) => { if (lost) { lost = false; throw Object.assign(new Error('no active model'), { code: -32006 }); } return predictor.predict(params, t); } };
  const hover = await new PredictionHoverProvider(flaky, source, () => settings, () => undefined).provideHover(doc, new vscode.Position(0, 0), token());
  assert.match(body(hover), /`joy`/);
  const other: Predictor = { predict: async () => { throw new Error('engine crashed'); } };
  assert.equal(await new PredictionHoverProvider(other, source, () => settings, () => undefined).provideHover(doc, new vscode.Position(0, 0), token()), undefined);
});

test('a multi-label JSONL line: the hover reads its label list and shows the model\'s label set', async () => {
  const predictor: Predictor = {
    async predict(params) {
      const probabilities = [0.7, 0.9, 0.1, 0.2];
      const predictions = params.texts.map(() => ({ label: 'joy, anger', labels: ['joy', 'anger'], thresholds: [0.5, 0.5, 0.5, 0.5], confidence: 0.9, top: [{ label: 'joy', probability: 0.9 }], probabilities }));
      return { model: '/runs/r1', labels, predictions, thresholds: [0.5, 0.5, 0.5, 0.5] } satisfies ModelPredictResult;
    },
  };
  const provider = new PredictionHoverProvider(predictor, model, () => settings, () => undefined);
  const doc = fakeDocument('{"text":"so happy and cross","labels":["joy"]}', '/d/tags.jsonl', 'jsonl');
  const md = body(await provider.provideHover(doc, new vscode.Position(0, 5), token()));
  assert.match(md, /\*\*Predicted labels:\*\* `joy`, `anger`/);
  assert.match(md, /\*\*Given labels:\*\* `joy` — \$\(warning\) model adds `anger` \(70\.0%\)/);
});

test('Restricted Mode: no hover and no model loaded or asked (loading a model is off there)', async () => {
  const { workspace } = await import('../fakeVscode');
  const { predictor, calls } = fakePredictor();
  let loads = 0;
  const counting: ActiveModelSource = { ...model, ensureLoaded: async () => (loads++, { labels }) };
  const provider = new PredictionHoverProvider(predictor, counting, () => settings, () => undefined);
  const doc = fakeDocument('{"text":"i am so happy","label":"love"}', '/d/train.jsonl', 'jsonl');
  workspace.isTrusted = false;
  try {
    assert.equal(await provider.provideHover(doc, new vscode.Position(0, 5), token()), undefined);
    assert.equal(loads, 0);
    assert.equal(calls.length, 0);
  } finally {
    workspace.isTrusted = true;
  }
  assert.ok(await provider.provideHover(doc, new vscode.Position(0, 5), token()), 'trusted again: the hover is back');
});
