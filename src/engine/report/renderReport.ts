// report.md of a finished run: data, model, hyperparameters, before/after table, per-class scores,
// confusion matrix, the most frequent confusions and the most confident errors with their text.
import type { CalibrationReport } from '../../protocol/calibration';
import { MACRO_AVERAGE_NOTE, MULTI_LABEL_MACRO_NOTE, type ClassificationMetrics } from '../../protocol/metrics';
import { exampleLabels, type DatasetSplits, type Example } from '../data/example';
import type { RunRecord } from '../../common/runFolder/runRecord';
import { argMaxRow } from '../metrics/classificationMetrics';
import { formatClassRates, formatMetricsTable } from './formatMetricsTable';
import { markdownText as md } from '../../protocol/markdownText';

export interface ReportInput {
  record: RunRecord;
  data: DatasetSplits;
  metrics: {
    baseline: ClassificationMetrics | null;
    baselineTest: ClassificationMetrics | null;
    best: ClassificationMetrics | null;
    bestEpoch: number | null;
    test: ClassificationMetrics | null;
    stoppedEarly: boolean;
    epochs: { epoch: number; trainLoss: number | null; validation: ClassificationMetrics; isBest: boolean }[];
    calibration?: CalibrationReport;
  };
  validationProbs: Float32Array;
  testProbs: Float32Array;
}

const TOP_CONFUSIONS = 10;
const TOP_ERRORS = 15;

/** The Markdown report of a completed run. */
export function renderReport(input: ReportInput): string {
  const { record, data, metrics } = input;
  const c = record.config;
  const m = record.model;
  const out: string[] = [];
  out.push(`# Run ${md(record.runId)}`, '');
  out.push(`State: **${md(record.state)}**${record.finishedAt ? ` (finished ${md(record.finishedAt)})` : ''}.`, '');
  out.push('## Data', '');
  out.push(`- Training file: ${md(c.dataset)}`);
  out.push(`- Splits: ${data.train.length} train, ${data.validation.length} validation, ${data.test.length} test (${describeSplit(data)})`);
  out.push(`- ${data.labels.length} labels: ${data.labels.map((l) => `${md(l)} (${count(data.train, l)})`).join(', ')} — training counts`);
  if (record.dataset?.skippedLines) out.push(`- ${md(record.dataset.skippedLines)}`);
  if (record.dataset?.splitNote) out.push(`- ${md(record.dataset.splitNote)}`);
  out.push(`- Fingerprint: \`${data.fingerprint}\``, '');
  out.push('## Model', '');
  if (m) {
    out.push(`- ${md(m.kind)} from ${md(m.source)}, mode ${md(m.mode)}`);
    out.push(`- ${m.parameters.toLocaleString('en-US')} parameters, ${m.trainableParameters.toLocaleString('en-US')} trained`);
    out.push(`- Backend: ${md(m.backend)}${m.backendNote ? ` (${md(m.backendNote)})` : ''}`);
  }
  if (record.origin) {
    const versions = Object.entries(record.origin.versions).map(([name, version]) => `${name} ${version}`).join(', ');
    out.push(`- Trained elsewhere: Hugging Face Trainer launched by accelerate on ${md(record.origin.host)}, ${md(record.origin.devices)}${versions ? ` (${md(versions)})` : ''}`);
  }
  if (record.imported) out.push(`- Imported from ${md(record.imported.from)} on ${md(record.imported.at)}; its dataset fingerprint matched the data here`);
  out.push(data.multiLabel
    ? '- Multi-label: sigmoid outputs, binary cross-entropy; each label has its own decision threshold, tuned on validation'
    : '- Single-label: softmax outputs, cross-entropy');
  out.push(`- Class weights: ${record.classWeights ?? 'none'}`);
  out.push('', '## Hyperparameters', '', '| option | value |', '| --- | --- |');
  for (const [key, value] of Object.entries(c)) {
    if (['dataset', 'runsDir', 'textField', 'labelField'].includes(key) || value === undefined) continue;
    out.push(`| ${md(key)} | ${md(typeof value === 'object' ? JSON.stringify(value) : String(value))} |`);
  }
  out.push('', '## Before and after training', '');
  out.push(formatMetricsTable([
    ['baseline (validation)', metrics.baseline],
    [`best, epoch ${metrics.bestEpoch ?? '-'} (validation)`, metrics.best],
    ['baseline (test)', metrics.baselineTest],
    ['final (test)', metrics.test],
  ]), '', data.multiLabel ? MULTI_LABEL_MACRO_NOTE : MACRO_AVERAGE_NOTE, '');
  if (metrics.calibration) out.push(...calibrationSection(metrics.calibration));
  out.push('## Epochs', '', `| epoch | train loss | validation loss | ${data.multiLabel ? 'subset acc.' : 'accuracy'} | macro F1 | best |`, '| ---: | ---: | ---: | ---: | ---: | :---: |');
  for (const e of metrics.epochs) {
    out.push(`| ${e.epoch} | ${e.trainLoss === null ? '-' : e.trainLoss.toFixed(4)} | ${e.validation.loss.toFixed(4)} | ${pct(e.validation.accuracy)} | ${pct(e.validation.macroF1)} | ${e.isBest ? '★' : ''} |`);
  }
  if (data.multiLabel) out.push('', 'Multi-label: each epoch is scored with thresholds tuned on validation, and the best epoch is the one with the highest validation macro F1.');
  if (metrics.stoppedEarly) out.push('', `Stopped early: ${data.multiLabel ? 'validation macro F1' : 'validation loss'} did not improve for ${c.patience} epochs.`);
  const final = metrics.test ?? metrics.best;
  const finalProbs = metrics.test ? input.testProbs : input.validationProbs;
  const finalExamples = metrics.test ? data.test : data.validation;
  if (final?.multiLabel) {
    out.push(...multiLabelSections(final, finalExamples, finalProbs, data.labels));
  } else if (final) {
    out.push('', `## Per class (${final.split})`, '', '| label | precision | recall | F1 | support |', '| --- | ---: | ---: | ---: | ---: |');
    for (const p of final.perClass) out.push(`| ${md(p.label)} | ${formatClassRates(p).join(' | ')} | ${p.support} |`);
    out.push('', `## Confusion matrix (${final.split}; rows = gold, columns = predicted)`, '');
    out.push(`| gold \\ predicted | ${data.labels.map(md).join(' | ')} |`, `| --- | ${data.labels.map(() => '---:').join(' | ')} |`);
    final.confusion.forEach((row, g) => out.push(`| **${md(data.labels[g]!)}** | ${row.join(' | ')} |`));
    out.push('', '## Most frequent confusions', '');
    const pairs = final.confusion.flatMap((row, g) => row.map((n, p) => ({ g, p, n }))).filter((x) => x.g !== x.p && x.n > 0).sort((a, b) => b.n - a.n).slice(0, TOP_CONFUSIONS);
    if (pairs.length === 0) out.push('None: every example was classified correctly.');
    for (const x of pairs) out.push(`- ${md(data.labels[x.g]!)} predicted as ${md(data.labels[x.p]!)}: ${x.n} (${pct(x.n / (final.perClass[x.g]!.support || 1))} of ${md(data.labels[x.g]!)})`);
    out.push('', '## Most confident errors', '', 'Wrong predictions the model was surest of: often mislabelled lines worth a look.', '');
    out.push('| confidence | gold | predicted | text | where |', '| ---: | --- | --- | --- | --- |');
    for (const e of confidentErrors(finalExamples, finalProbs, data.labels)) {
      out.push(`| ${pct(e.confidence)} | ${md(e.example.label)} | ${md(e.predicted)} | ${md(truncate(e.example.text, 120))} | ${md(`${e.example.file.split(/[\\/]/).pop()}:${e.example.line}`)} |`);
    }
  }
  return `${out.join('\n')}\n`;
}

/** Temperature scaling: what was fitted, ECE and log loss before/after per split, and the test reliability diagram. */
function calibrationSection(c: CalibrationReport): string[] {
  const t = c.scaling.perClass
    ? `one temperature per class (${c.scaling.perClass.map((v) => v.toFixed(2)).join(', ')})`
    : `temperature T = ${c.scaling.temperature.toFixed(3)}`;
  const fitted = c.scaling.declined
    ? `Temperature scaling (Guo et al. 2017) fitted on validation gave T = ${c.scaling.declined.temperature.toFixed(3)}, which would raise the validation ECE (${c.scaling.declined.eceBefore.toFixed(4)} → ${c.scaling.declined.eceAfter.toFixed(4)}); the probabilities are kept as they are (T = 1).`
    : `Temperature scaling (Guo et al. 2017) fitted on validation: ${t}. Predict, eval and hover apply it.`;
  const out = ['## Calibration', '', fitted, '',
    '| split | examples | ECE before | ECE after | log loss before | log loss after |', '| --- | ---: | ---: | ---: | ---: | ---: |'];
  for (const s of [c.validation, c.test]) {
    if (s) out.push(`| ${s.split} | ${s.examples} | ${s.eceBefore.toFixed(4)} | ${s.eceAfter.toFixed(4)} | ${s.nllBefore.toFixed(4)} | ${s.nllAfter.toFixed(4)} |`);
  }
  const diagram = c.test ?? c.validation;
  out.push('', `Reliability (${diagram.split}, after scaling; bins of top probability):`, '', '| confidence bin | predictions | mean confidence | accuracy |', '| --- | ---: | ---: | ---: |');
  for (const b of diagram.binsAfter) if (b.count > 0) out.push(`| ${b.lower.toFixed(2)}–${b.upper.toFixed(2)} | ${b.count} | ${pct(b.confidence)} | ${pct(b.accuracy)} |`);
  out.push('');
  return out;
}

/** Per label (with its threshold and 2×2 confusion), the labels most often missed or added, the surest wrong decisions. */
function multiLabelSections(final: ClassificationMetrics, examples: readonly Example[], probs: Float32Array, labels: readonly string[]): string[] {
  const ml = final.multiLabel!;
  const out = ['', `## Per label (${final.split})`, '', '| label | threshold | precision | recall | F1 | support | TP | FP | FN | TN |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |'];
  final.perClass.forEach((p, c) => {
    const [tn, fp, fn, tp] = ml.labelConfusion[c]!;
    out.push(`| ${md(p.label)} | ${ml.thresholds[c]} | ${formatClassRates(p).join(' | ')} | ${p.support} | ${tp} | ${fp} | ${fn} | ${tn} |`);
  });
  out.push('', 'TP/FP/FN/TN: each label\'s own yes/no confusion (a multi-label run has no K×K matrix).');
  const ranked = (column: 1 | 2) => labels.map((label, c) => ({ label, n: ml.labelConfusion[c]![column] })).filter((x) => x.n > 0).sort((a, b) => b.n - a.n).slice(0, TOP_CONFUSIONS);
  out.push('', '## Most often missed and extra labels', '');
  out.push(`- Missed (gold, not predicted): ${ranked(2).map((x) => `${md(x.label)} ${x.n}`).join(', ') || 'none'}`);
  out.push(`- Extra (predicted, not gold): ${ranked(1).map((x) => `${md(x.label)} ${x.n}`).join(', ') || 'none'}`);
  out.push('', '## Most confident errors', '', 'The surest wrong label decisions: a gold label the model gave a low probability, or a label it was sure of that the line lacks. Often mislabelled lines worth a look.', '');
  out.push('| wrong decision | probability | gold | predicted | text | where |', '| --- | ---: | --- | --- | --- | --- |');
  const k = labels.length;
  const errors: { example: Example; label: string; kind: 'missed' | 'extra'; probability: number; surety: number; predicted: string[] }[] = [];
  examples.forEach((example, i) => {
    const gold = exampleLabels(example);
    const predicted = labels.filter((_, c) => probs[i * k + c]! >= ml.thresholds[c]!);
    labels.forEach((label, c) => {
      const p = probs[i * k + c]!;
      const isGold = gold.includes(label);
      if (isGold === predicted.includes(label)) return;
      errors.push({ example, label, kind: isGold ? 'missed' : 'extra', probability: p, surety: isGold ? 1 - p : p, predicted });
    });
  });
  for (const e of errors.sort((a, b) => b.surety - a.surety).slice(0, TOP_ERRORS)) {
    out.push(`| ${e.kind} ${md(e.label)} | ${pct(e.probability)} | ${md(exampleLabels(e.example).join(', '))} | ${md(e.predicted.join(', '))} | ${md(truncate(e.example.text, 120))} | ${md(`${e.example.file.split(/[\\/]/).pop()}:${e.example.line}`)} |`);
  }
  return out;
}

function confidentErrors(examples: readonly Example[], probs: Float32Array, labels: readonly string[]) {
  const k = labels.length;
  const errors: { example: Example; predicted: string; confidence: number }[] = [];
  examples.forEach((example, i) => {
    const p = argMaxRow(probs, i * k, k);
    if (labels[p] !== example.label) errors.push({ example, predicted: labels[p]!, confidence: probs[i * k + p]! });
  });
  return errors.sort((a, b) => b.confidence - a.confidence).slice(0, TOP_ERRORS);
}

function describeSplit(data: DatasetSplits): string {
  return data.splitSource.kind === 'siblings' ? 'sibling files' : `stratified split of one file, seed ${data.splitSource.seed}`;
}

function count(examples: readonly Example[], label: string): number {
  return examples.reduce((n, e) => n + (exampleLabels(e).includes(label) ? 1 : 0), 0);
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
