// report.md of a finished run: data, model, hyperparameters, before/after table, per-class scores,
// confusion matrix, the most frequent confusions and the most confident errors with their text.
import { MACRO_AVERAGE_NOTE, type ClassificationMetrics } from '../../protocol/metrics';
import type { DatasetSplits, Example } from '../data/example';
import type { RunRecord } from '../runs/runRecord';
import { argMaxRow } from '../metrics/classificationMetrics';
import { formatClassRates, formatMetricsTable } from './formatMetricsTable';

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
  out.push(`# Run ${record.runId}`, '');
  out.push(`State: **${record.state}**${record.finishedAt ? ` (finished ${record.finishedAt})` : ''}.`, '');
  out.push('## Data', '');
  out.push(`- Training file: \`${c.dataset}\``);
  out.push(`- Splits: ${data.train.length} train, ${data.validation.length} validation, ${data.test.length} test (${describeSplit(data)})`);
  out.push(`- ${data.labels.length} labels: ${data.labels.map((l) => `\`${l}\` (${count(data.train, l)})`).join(', ')} — training counts`);
  if (record.dataset?.skippedLines) out.push(`- ${record.dataset.skippedLines}`);
  out.push(`- Fingerprint: \`${data.fingerprint}\``, '');
  out.push('## Model', '');
  if (m) {
    out.push(`- ${m.kind} from \`${m.source}\`, mode ${m.mode}`);
    out.push(`- ${m.parameters.toLocaleString('en-US')} parameters, ${m.trainableParameters.toLocaleString('en-US')} trained`);
    out.push(`- Backend: ${m.backend}${m.backendNote ? ` (${m.backendNote})` : ''}`);
  }
  out.push('', '## Hyperparameters', '', '| option | value |', '| --- | --- |');
  for (const [key, value] of Object.entries(c)) {
    if (['dataset', 'runsDir', 'textField', 'labelField'].includes(key) || value === undefined) continue;
    out.push(`| ${key} | ${typeof value === 'object' ? `\`${JSON.stringify(value)}\`` : String(value)} |`);
  }
  out.push('', '## Before and after training', '');
  out.push(formatMetricsTable([
    ['baseline (validation)', metrics.baseline],
    [`best, epoch ${metrics.bestEpoch ?? '-'} (validation)`, metrics.best],
    ['baseline (test)', metrics.baselineTest],
    ['final (test)', metrics.test],
  ]), '', MACRO_AVERAGE_NOTE, '');
  out.push('## Epochs', '', '| epoch | train loss | validation loss | accuracy | macro F1 | best |', '| ---: | ---: | ---: | ---: | ---: | :---: |');
  for (const e of metrics.epochs) {
    out.push(`| ${e.epoch} | ${e.trainLoss === null ? '-' : e.trainLoss.toFixed(4)} | ${e.validation.loss.toFixed(4)} | ${pct(e.validation.accuracy)} | ${pct(e.validation.macroF1)} | ${e.isBest ? '★' : ''} |`);
  }
  if (metrics.stoppedEarly) out.push('', `Stopped early: validation loss did not improve for ${c.patience} epochs.`);
  const final = metrics.test ?? metrics.best;
  const finalProbs = metrics.test ? input.testProbs : input.validationProbs;
  const finalExamples = metrics.test ? data.test : data.validation;
  if (final) {
    out.push('', `## Per class (${final.split})`, '', '| label | precision | recall | F1 | support |', '| --- | ---: | ---: | ---: | ---: |');
    for (const p of final.perClass) out.push(`| ${cell(p.label)} | ${formatClassRates(p).join(' | ')} | ${p.support} |`);
    out.push('', `## Confusion matrix (${final.split}; rows = gold, columns = predicted)`, '');
    out.push(`| gold \\ predicted | ${data.labels.map(cell).join(' | ')} |`, `| --- | ${data.labels.map(() => '---:').join(' | ')} |`);
    final.confusion.forEach((row, g) => out.push(`| **${cell(data.labels[g]!)}** | ${row.join(' | ')} |`));
    out.push('', '## Most frequent confusions', '');
    const pairs = final.confusion.flatMap((row, g) => row.map((n, p) => ({ g, p, n }))).filter((x) => x.g !== x.p && x.n > 0).sort((a, b) => b.n - a.n).slice(0, TOP_CONFUSIONS);
    if (pairs.length === 0) out.push('None: every example was classified correctly.');
    for (const x of pairs) out.push(`- \`${data.labels[x.g]}\` predicted as \`${data.labels[x.p]}\`: ${x.n} (${pct(x.n / (final.perClass[x.g]!.support || 1))} of \`${data.labels[x.g]}\`)`);
    out.push('', '## Most confident errors', '', 'Wrong predictions the model was surest of: often mislabelled lines worth a look.', '');
    out.push('| confidence | gold | predicted | text | where |', '| ---: | --- | --- | --- | --- |');
    for (const e of confidentErrors(finalExamples, finalProbs, data.labels)) {
      out.push(`| ${pct(e.confidence)} | ${cell(e.example.label)} | ${cell(e.predicted)} | ${cell(truncate(e.example.text, 120))} | ${cell(`${e.example.file.split(/[\\/]/).pop()}:${e.example.line}`)} |`);
    }
  }
  return `${out.join('\n')}\n`;
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
  return examples.reduce((n, e) => n + (e.label === label ? 1 : 0), 0);
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

/** Text safe inside a Markdown table cell: no pipes or newlines break the row. */
function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
