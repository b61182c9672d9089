// `classifier-workbench label-issues <file.jsonl>`: lines whose label an out-of-fold model confidently disputes,
// most suspicious first, plus texts that appear with conflicting labels. `--json` prints the whole report.
import { terminalText } from './terminalText';
import { relative, resolve } from 'node:path';
import { findLabelIssuesInDataset, type FilterBy } from '../index';
import type { LabelIssueReport } from '../../protocol/labelIssueReport';
import type { CliCommand } from './cliCommand';
import { CliUsageError } from './cliUsageError';
import { ExitCodes } from './exitCodes';
import { datasetReadOptionSpecs, parseDatasetReadOptions } from './datasetReadOptions';
import { formatTable } from './formatTable';

const filterRules: FilterBy[] = ['belowChance', 'pruneByClass', 'pruneByNoiseRate', 'both', 'confidentLearning', 'predictedNeqGiven'];

export const labelIssuesCommand: CliCommand = {
  name: 'label-issues',
  summary: 'Rank lines whose label is likely wrong (k-fold out-of-fold predictions, confident learning)',
  description: [
    'Trains k models (default 5), each on all folds but one, and asks each only about the lines it never saw.',
    'Lines whose given label the models confidently dispute are listed, lowest probability of the given label first,',
    'with the label the model suggests; then texts that appear with conflicting labels. The built-in n-gram model',
    'is used unless --model names a transformer (folder or hub id): its frozen encoder embeds every line once (cached),',
    'and a linear head is trained per fold on the embeddings (--mode full fine-tunes the transformer per fold instead).',
  ].join('\n'),
  positionals: [{ name: 'file.jsonl', description: 'the dataset file to judge' }],
  options: [
    { name: 'model', type: 'string', valueName: 'M', description: 'ngram (default) or a BERT folder / hub id' },
    { name: 'revision', type: 'string', valueName: 'REV', description: 'with a Hugging Face id: branch, tag, commit or refs/pr/N (default main)' },
    { name: 'mode', type: 'string', valueName: 'MODE', description: 'With a transformer: feature-extraction (default: embeddings once, a linear head per fold) or full (fine-tune per fold)' },
    { name: 'folds', type: 'string', valueName: 'K', description: 'Number of folds (default 5)' },
    { name: 'repeats', type: 'string', valueName: 'R', description: 'Repeat the k-fold split R times and average (default 3 for ngram, 1 otherwise)' },
    { name: 'seed', type: 'string', valueName: 'N', description: 'Fold and training seed (default 42)' },
    { name: 'filter-by', type: 'string', valueName: 'RULE', description: `Selection rule: ${filterRules.join(', ')} (default belowChance)` },
    { name: 'frac-noise', type: 'string', valueName: 'F', description: 'Share of the estimated label errors to flag, in (0, 1] (default 0.5)' },
    { name: 'limit', type: 'string', valueName: 'N', description: 'Issues printed (default 50; --json prints all)' },
    ...datasetReadOptionSpecs,
  ],
  async run(args, context) {
    const o = args.options;
    const filterBy = typeof o['filter-by'] === 'string' ? o['filter-by'] : undefined;
    if (filterBy !== undefined && !filterRules.includes(filterBy as FilterBy)) {
      throw new CliUsageError(`--filter-by must be one of ${filterRules.join(', ')} (got '${filterBy}').`, 'label-issues');
    }
    const fracNoise = typeof o['frac-noise'] === 'string' ? Number(o['frac-noise']) : undefined;
    if (fracNoise !== undefined && !(fracNoise > 0 && fracNoise <= 1)) throw new CliUsageError(`--frac-noise must be a number in (0, 1] (got '${o['frac-noise']}').`, 'label-issues');
    const limit = integerOption(o.limit, 'limit', 1) ?? 50;
    const mode = typeof o.mode === 'string' ? o.mode : undefined;
    if (mode !== undefined && mode !== 'full' && mode !== 'feature-extraction') throw new CliUsageError(`--mode must be feature-extraction or full (got '${mode}').`, 'label-issues');
    let lastFold = -1;
    let encodeReported = false;
    const report = await findLabelIssuesInDataset({
      dataset: resolve(context.cwd, args.positionals[0]),
      model: typeof o.model === 'string' ? o.model : undefined,
      revision: typeof o.revision === 'string' ? o.revision : undefined,
      folds: integerOption(o.folds, 'folds', 2),
      repeats: integerOption(o.repeats, 'repeats', 1),
      seed: integerOption(o.seed, 'seed', 0),
      ...parseDatasetReadOptions(args, context.cwd, 'label-issues'),
    }, {
      signal: context.signal,
      filterBy: filterBy as FilterBy | undefined,
      fracNoise,
      mode,
      // Progress goes to stderr so stdout stays clean for --json and pipes.
      onProgress: (p) => {
        if (p.phase === 'encode') {
          if (!encodeReported) context.stderr(`Embedding ${p.totalSteps} texts with ${o.model} (once, for all folds)…\n`);
          encodeReported = true;
          return;
        }
        const at = p.repeat * p.folds + p.fold;
        if (at === lastFold) return;
        lastFold = at;
        context.stderr(`Fold ${p.fold + 1}/${p.folds}${p.repeats > 1 ? ` (pass ${p.repeat + 1}/${p.repeats})` : ''}: training on the other folds…\n`);
      },
    });
    if (context.json) context.stdout(`${JSON.stringify(report, null, 2)}\n`);
    else context.stdout(formatLabelIssues(report, context.cwd, limit));
    return ExitCodes.ok;
  },
};

/** The human summary: a ranked table of issues and the conflicting duplicate groups. */
export function formatLabelIssues(report: LabelIssueReport, cwd: string, limit: number): string {
  const file = relative(cwd, report.dataset) || report.dataset;
  const out = [
    `${file}: ${report.issues.length} likely label ${report.issues.length === 1 ? 'issue' : 'issues'} in ${report.examples} lines (${report.model}, ${report.folds}-fold out-of-fold${(report.repeats ?? 1) > 1 ? ` × ${report.repeats}` : ''}, ${report.filterBy}; ${report.seconds.toFixed(1)} s)`,
    ...(report.judge ? [`Judged by ${report.judge.summary}.`] : []),
    ...reliabilityLines(report),
  ];
  if (report.issues.length) {
    const rows = report.issues.slice(0, limit).map((i) => [
      // Multi-label: the one label to add (+) or remove (−).
      String(i.rank), `${file}:${i.line}`, i.givenLabel, i.labelChange ? `${i.labelChange.action === 'add' ? '+' : '−'}${i.labelChange.label}` : i.suggestedLabel, probability(i.selfConfidence), probability(i.suggestedProbability), truncate(i.text, 60),
    ]);
    out.push('', formatTable(['#', 'line', 'given', 'suggested', 'p(given)', 'p(suggested)', 'text'], rows, [0, 4, 5]));
    if (report.issues.length > limit) out.push(`  … and ${report.issues.length - limit} more (--limit N, or --json for all)`);
  }
  if (report.duplicates.length) {
    out.push('', `${report.duplicates.length} ${report.duplicates.length === 1 ? 'text appears' : 'texts appear'} with conflicting labels:`);
    for (const group of report.duplicates.slice(0, limit)) {
      const members = group.members.map((m) => `${m.line}:${m.label}`).join(', ');
      out.push(`  ${group.kind === 'exact' ? 'same text' : 'near-duplicate'} "${terminalText(truncate(group.normalizedText, 50))}" — lines ${members}`);
    }
  }
  return `${out.join('\n')}\n`;
}

/** The model against the majority-class baseline, and, when it is too weak, why and what would help. */
export function reliabilityLines(report: LabelIssueReport): string[] {
  const r = report.reliability;
  if (!r) return [`Out-of-fold accuracy against the given labels: ${(report.outOfFoldAccuracy * 100).toFixed(1)}%`];
  const lines = [
    report.multiLabel
      ? `Out-of-fold model: exact-set accuracy ${pct(r.accuracy)} vs ${pct(r.baselineAccuracy)} for always [${r.majorityLabel}]; log loss ${r.logLoss.toFixed(3)} vs ${r.baselineLogLoss.toFixed(3)} for the label frequencies (summed over the labels).`
      : `Out-of-fold model: accuracy ${pct(r.accuracy)} vs ${pct(r.baselineAccuracy)} for always "${r.majorityLabel}"; log loss ${r.logLoss.toFixed(3)} vs ${r.baselineLogLoss.toFixed(3)} for the label frequencies.`,
  ];
  if (r.verdict === 'weak') lines.push(`Too weak to judge labels: ${r.reasons.join('; ')}. The lines are ranked, but read them as hints, not findings.`);
  else if (r.reasons.length) lines.push(`Note: ${r.reasons.join('; ')}.`);
  for (const s of r.suggestions) lines.push(`  To do better: ${s}.`);
  return lines;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

/** Three decimals; tiny values say so instead of printing a misleading 0.000. */
function probability(p: number): string {
  return p < 0.0005 ? '<0.001' : p.toFixed(3);
}

function truncate(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function integerOption(value: string | boolean | undefined, name: string, min: number): number | undefined {
  if (typeof value !== 'string') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new CliUsageError(`--${name} must be an integer ≥ ${min} (got '${value}').`, 'label-issues');
  return n;
}
