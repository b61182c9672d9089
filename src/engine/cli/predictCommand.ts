// `classifier-workbench predict --model <run> [text...]`: labels for texts given as arguments or on stdin.
import { terminalText } from './terminalText';
import { stdinTexts } from './stdinTexts';
import { EngineError, loadPredictor, predictTexts, runAbstainThreshold } from '../index';
import { EngineErrorCodes } from '../../protocol/errors';
import type { CliCommand } from './cliCommand';
import { CliUsageError } from './cliUsageError';
import { ExitCodes } from './exitCodes';
import { resolvePredictorArgument } from './resolveRunDir';

/** Texts per prediction call when reading stdin: keeps memory flat on large inputs. */
const STDIN_BATCH = 256;

export const predictCommand: CliCommand = {
  name: 'predict',
  summary: 'Predict labels for texts (arguments, or one text per stdin line)',
  positionals: [{ name: 'text', description: 'texts to classify (none: read stdin, one per line)', optional: true, variadic: true }],
  options: [
    { name: 'model', type: 'string', short: 'm', valueName: 'PATH', description: 'a run folder or id, a model folder, or the Hugging Face id of a fine-tuned classifier (required)' },
    { name: 'revision', type: 'string', valueName: 'REV', description: 'with a Hugging Face id: branch, tag, commit or refs/pr/N (default main)' },
    { name: 'top-k', type: 'string', valueName: 'N', description: 'Labels listed per text (default 3)' },
    { name: 'threshold', type: 'string', valueName: 'P', description: 'Below this top probability print UNCERTAIN (default: the run\'s threshold picked in the dashboard, per class if picked so, else 0)' },
  ],
  async run(args, context) {
    const model = args.options.model;
    if (typeof model !== 'string') throw new CliUsageError('--model is required: a run folder (or run id), a model folder, or a Hugging Face id.', 'predict');
    const topK = optionalNumber(args.options['top-k'], 'top-k');
    const threshold = optionalNumber(args.options.threshold, 'threshold');
    if (topK !== undefined && (!Number.isInteger(topK) || topK < 1)) throw new CliUsageError('--top-k must be a whole number ≥ 1.', 'predict');
    if (threshold !== undefined && (threshold < 0 || threshold > 1)) throw new CliUsageError('--threshold must be between 0 and 1.', 'predict');
    const predictor = await loadPredictor(resolvePredictorArgument(model, context.cwd), { revision: typeof args.options.revision === 'string' ? args.options.revision : undefined });
    for (const warning of predictor.warnings ?? []) context.stderr(`Warning: ${warning}\n`);
    try {
      const print = async (texts: string[]) => {
        const predictions = await predictTexts(predictor, texts, { topK, threshold: threshold ?? runAbstainThreshold(predictor) });
        predictions.forEach((p, i) => {
          if (context.json) context.stdout(`${JSON.stringify({ text: texts[i], ...p })}\n`);
          else context.stdout(`${terminalText(p.label)}\t${p.top.map((t) => `${terminalText(t.label)} ${t.probability.toFixed(3)}`).join(', ')}\t${terminalText(texts[i]!)}\n`);
        });
      };
      if (args.positionals.length > 0) {
        await print(args.positionals);
        return ExitCodes.ok;
      }
      if (process.stdin.isTTY) context.stderr('Reading texts from stdin, one per line (Ctrl+D to end)…\n');
      let batch: string[] = [];
      // The signal closes the reader: a stop signal must not wait for the next line (or for ever on an open pipe).
      for await (const line of stdinTexts(process.stdin, context.signal)) {
        if (context.signal.aborted) throw new EngineError(EngineErrorCodes.cancelled, 'cancelled');
        batch.push(line);
        if (batch.length >= STDIN_BATCH) {
          await print(batch);
          batch = [];
        }
      }
      if (context.signal.aborted) throw new EngineError(EngineErrorCodes.cancelled, 'cancelled');
      if (batch.length) await print(batch);
      return ExitCodes.ok;
    } finally {
      predictor.dispose();
    }
  },
};

function optionalNumber(value: string | boolean | undefined, name: string): number | undefined {
  if (typeof value !== 'string') return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new CliUsageError(`--${name} must be a number (got '${value}').`, 'predict');
  return n;
}
