// `classifier-workbench suggest <unlabeled> --model <run> [--n 50] [--json]`: the unlabeled lines the model would
// learn most from (uncertain, and no near-duplicates in one batch), with its guess for each.
import { relative } from 'node:path';
import { suggestLinesToLabel, uncertaintyMeasures, type UncertaintyMeasure } from '../index';
import type { CliCommand } from './cliCommand';
import { CliUsageError } from './cliUsageError';
import { ExitCodes } from './exitCodes';
import { formatTable } from './formatTable';
import { integerOption } from './optionValues';
import { resolvePredictorArgument, resolveRunDir } from './resolveRunDir';

// Texts are cut to this many characters in the table (the JSON output has them whole).
const TEXT_COLUMN = 70;

export const suggestCommand: CliCommand = {
  name: 'suggest',
  summary: 'Suggest which unlabeled lines to label next (active learning)',
  description: 'Ranks the unlabeled lines of a file by how unsure the model is about them (margin by default) and picks a batch with no near-duplicates (k-center on TF-IDF vectors). A .jsonl file gives its lines without a label (a file of unlabeled lines, or the training file itself); any other file gives one example per line. Texts that already have a label in the run\'s training file are left out.',
  positionals: [{ name: 'unlabeled', description: 'a JSONL file (lines without a label) or a text file (one example per line)' }],
  options: [
    { name: 'model', type: 'string', short: 'm', valueName: 'PATH', description: 'a run folder or id, a model folder, or the Hugging Face id of a fine-tuned classifier (required)' },
    { name: 'revision', type: 'string', valueName: 'REV', description: 'with a Hugging Face id: branch, tag, commit or refs/pr/N (default main)' },
    { name: 'n', type: 'string', short: 'n', valueName: 'N', description: 'how many lines to suggest (default 50)' },
    { name: 'measure', type: 'string', valueName: 'M', description: `uncertainty measure: ${uncertaintyMeasures.join(', ')} (default margin)` },
    { name: 'text-field', type: 'string', valueName: 'F', description: 'JSONL field holding the text (default: detected)' },
    { name: 'label-field', type: 'string', valueName: 'F', description: 'JSONL field holding the label (default: detected)' },
    { name: 'labeled', type: 'string', valueName: 'FILE', description: 'a labelled JSONL file whose texts are never suggested (default: the run\'s training file)' },
  ],
  async run(args, context) {
    const model = args.options.model;
    if (typeof model !== 'string') throw new CliUsageError('--model is required: a run folder (or run id), a model folder, or a Hugging Face id.', 'suggest');
    const measure = args.options.measure;
    if (measure !== undefined && !uncertaintyMeasures.includes(measure as UncertaintyMeasure)) {
      throw new CliUsageError(`--measure must be one of ${uncertaintyMeasures.join(', ')} (got '${String(measure)}').`, 'suggest');
    }
    const text = (name: string) => (typeof args.options[name] === 'string' ? (args.options[name] as string) : undefined);
    const labeled = text('labeled');
    const result = await suggestLinesToLabel({
      unlabeled: resolveRunDir(args.positionals[0]!, context.cwd),
      model: resolvePredictorArgument(model, context.cwd),
      ...(text('revision') ? { revision: text('revision') } : {}),
      n: integerOption(args, 'n', 'suggest', { min: 1 }),
      ...(measure ? { measure: measure as UncertaintyMeasure } : {}),
      ...(text('text-field') ? { textField: text('text-field') } : {}),
      ...(text('label-field') ? { labelField: text('label-field') } : {}),
      ...(labeled ? { labeledDataset: resolveRunDir(labeled, context.cwd) } : {}),
    }, { signal: context.signal });
    if (context.json) {
      context.stdout(`${JSON.stringify(result, null, 2)}\n`);
      return ExitCodes.ok;
    }
    const shown = relative(context.cwd, result.file) || result.file;
    const left = [
      result.excludedAsLabeled ? `${result.excludedAsLabeled} already labelled` : '',
      result.unreadableLines ? `${result.unreadableLines} unreadable (first: line ${result.unreadable[0]!.line}: ${result.unreadable[0]!.reason})` : '',
    ].filter(Boolean);
    context.stdout(`${shown}: ${result.poolSize} unlabeled line(s) ranked by ${result.measure} (${result.probabilities} probabilities)${left.length ? `; left out: ${left.join(', ')}` : ''}\n`);
    context.stdout(`${result.suggestions.length} suggestion(s), most informative first, no near-duplicates:\n`);
    context.stdout(`${formatTable(['line', 'uncertainty', 'guess', 'top probabilities', 'text'], result.suggestions.map((s) => [
      String(s.line),
      s.uncertainty.toFixed(3),
      s.prediction.label,
      s.prediction.top.map((t) => `${t.label} ${t.probability.toFixed(2)}`).join(', '),
      s.text.length > TEXT_COLUMN ? `${s.text.slice(0, TEXT_COLUMN - 1)}…` : s.text,
    ]), [0, 1])}\n`);
    return ExitCodes.ok;
  },
};
