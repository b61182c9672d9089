// `classifier-workbench eval <model> <file.jsonl>`: metrics of a trained model on every line of a file.
import { terminalText } from './terminalText';
import { existsSync } from 'node:fs';
import { formatClassRates, formatMetricsTable, evaluateFile, evaluationOverlap, loadPredictor, readRun, runPaths, type EvaluationOverlap } from '../index';
import { MACRO_AVERAGE_NOTE, MULTI_LABEL_MACRO_NOTE } from '../../protocol/metrics';
import type { CliCommand } from './cliCommand';
import { ExitCodes } from './exitCodes';
import { datasetReadOptionSpecs, parseDatasetReadOptions } from './datasetReadOptions';
import { resolvePredictorArgument, resolveRunDir } from './resolveRunDir';

export const evalCommand: CliCommand = {
  name: 'eval',
  summary: 'Evaluate a trained model (run folder or model folder) on a labelled JSONL file',
  positionals: [
    { name: 'model', description: 'a run folder or id, an exported model folder, or a fine-tuned Hugging Face classifier (folder or Hub id)' },
    { name: 'file.jsonl', description: 'labelled examples (every line is used; no split)' },
  ],
  options: [
    ...datasetReadOptionSpecs,
    { name: 'revision', type: 'string', valueName: 'REV', description: 'with a Hugging Face id: branch, tag, commit or refs/pr/N (default main)' },
  ],
  async run(args, context) {
    const readOptions = parseDatasetReadOptions(args, context.cwd, 'eval');
    const modelPath = resolvePredictorArgument(args.positionals[0]!, context.cwd);
    const predictor = await loadPredictor(modelPath, { revision: typeof args.options.revision === 'string' ? args.options.revision : undefined });
    for (const warning of predictor.warnings ?? []) context.stderr(`Warning: ${warning}\n`);
    try {
      const file = resolveRunDir(args.positionals[1]!, context.cwd);
      const result = await evaluateFile(predictor, file, { ...readOptions, signal: context.signal });
      // A run folder knows its data: say when these lines trained it or chose its checkpoint.
      const overlap: EvaluationOverlap | undefined = existsSync(runPaths(modelPath).runJson) ? await evaluationOverlap(await readRun(modelPath), file, result.examples) : undefined;
      if (context.json) {
        context.stdout(`${JSON.stringify({ model: predictor.source, metrics: result.metrics, selective: result.selective, unknownLabels: result.unknownLabels, labelNaming: result.labelNamingNote, ...(overlap ? { overlap } : {}) }, null, 2)}\n`);
        return ExitCodes.ok;
      }
      if (result.labelNamingNote) context.stderr(`${result.labelNamingNote}\n`);
      if (overlap?.warning) context.stderr(`Warning: ${overlap.warning}\n`);
      const m = result.metrics;
      const thresholds = m.multiLabel?.thresholds;
      context.stdout(`${formatMetricsTable([[`${m.examples} example${m.examples === 1 ? '' : 's'}`, m]])}\n${thresholds ? MULTI_LABEL_MACRO_NOTE : MACRO_AVERAGE_NOTE}\n\n`);
      context.stdout(`| label | precision | recall | F1 | support |${thresholds ? ' threshold |' : ''}\n| --- | ---: | ---: | ---: | ---: |${thresholds ? ' ---: |' : ''}\n`);
      m.perClass.forEach((p, c) => context.stdout(`| ${terminalText(p.label).replace(/\|/g, '\\|')} | ${formatClassRates(p).join(' | ')} | ${p.support} |${thresholds ? ` ${thresholds[c]} |` : ''}\n`));
      const s = result.selective;
      if (s) {
        const bar = typeof s.threshold === 'number' ? `threshold ${s.threshold.toFixed(3)}` : `per-class thresholds ${s.threshold.map((t, c) => `${terminalText(predictor.labels[c]!)} ${t.toFixed(3)}`).join(', ')}`;
        context.stdout(`\nAbstaining at the run's ${bar}: ${s.answered} of ${m.examples} lines answered (coverage ${(s.coverage * 100).toFixed(1)}%), accuracy ${(s.accuracy * 100).toFixed(1)}% on those; the rest are UNCERTAIN.\n`);
      }
      const unknown = Object.entries(result.unknownLabels);
      if (unknown.length) context.stderr(`${thresholds ? 'Left out labels' : 'Skipped lines with labels'} the model does not know: ${unknown.map(([l, n]) => `${terminalText(l)} (${n})`).join(', ')}\n`);
      return ExitCodes.ok;
    } finally {
      predictor.dispose();
    }
  },
};
