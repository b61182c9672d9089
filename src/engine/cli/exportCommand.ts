// `classifier-workbench export <run> [--onnx [--quantize int8]]`: the run's best model as a self-contained folder,
// with its ONNX model(s) in `onnx/` on request.
import { resolve } from 'node:path';
import { exportRun } from '../index';
import { describeExport } from '../../common/describeExport';
import type { OnnxExportOptions } from '../../protocol/model';
import type { CliCommand } from './cliCommand';
import { CliUsageError } from './cliUsageError';
import { ExitCodes } from './exitCodes';
import { resolveRunDir } from './resolveRunDir';

export const exportCommand: CliCommand = {
  name: 'export',
  summary: "Export a run's best model (Hugging Face folder, + ONNX with --onnx; n-gram format for n-gram runs)",
  description: 'Transformer runs export a Hugging Face folder (AutoModelForSequenceClassification loads it). --onnx adds onnx/model.onnx '
    + '(float32: ONNX Runtime, transformers.js, Optimum with subfolder="onnx"); --quantize int8 also onnx/model_quantized.onnx '
    + '(int8 weights, about a quarter of the size). The ONNX output is logits [batch, labels], before softmax (sigmoid when '
    + 'config.json\'s problem_type is multi-label) and before the run\'s temperature (config.json, classifier_workbench): see '
    + 'docs/onnx-export.md. n-gram runs export their own format and have no ONNX graph.',
  positionals: [{ name: 'run', description: 'a run folder or run id' }],
  options: [
    { name: 'out', type: 'string', short: 'o', valueName: 'DIR', description: 'Destination folder (default <run>/model)' },
    { name: 'onnx', type: 'boolean', description: 'Also write onnx/model.onnx (transformer runs)' },
    { name: 'quantize', type: 'string', valueName: 'int8', description: 'With --onnx: also onnx/model_quantized.onnx, weights in int8' },
  ],
  async run(args, context) {
    const { out, onnx, quantize } = args.options;
    if (quantize !== undefined && quantize !== 'int8') throw new CliUsageError(`--quantize takes int8 (got '${String(quantize)}').`, 'export');
    if (quantize !== undefined && !onnx) throw new CliUsageError('--quantize int8 quantises the ONNX model: add --onnx.', 'export');
    const onnxOptions: OnnxExportOptions | undefined = onnx ? (quantize === 'int8' ? { quantize: 'int8' } : {}) : undefined;
    const result = await exportRun(resolveRunDir(args.positionals[0]!, context.cwd), typeof out === 'string' ? resolve(context.cwd, out) : undefined, { onnx: onnxOptions });
    if (context.json) context.stdout(`${JSON.stringify(result)}\n`);
    else context.stdout(`${describeExport(result)}\n`);
    // The JSON result carries it as `warning`; a person reads it on stderr, where warnings go.
    if (result.warning && !context.json) context.stderr(`Warning: ${result.warning}\n`);
    return ExitCodes.ok;
  },
};
