// `classifier-workbench export <run>`: the run's best model as a self-contained folder.
import { resolve } from 'node:path';
import { exportRun } from '../index';
import { describeExport } from '../../common/describeExport';
import type { CliCommand } from './cliCommand';
import { ExitCodes } from './exitCodes';
import { resolveRunDir } from './resolveRunDir';

export const exportCommand: CliCommand = {
  name: 'export',
  summary: "Export a run's best model (Hugging Face folder for BERT; n-gram format for n-gram runs)",
  positionals: [{ name: 'run', description: 'a run folder or run id' }],
  options: [{ name: 'out', type: 'string', short: 'o', valueName: 'DIR', description: 'Destination folder (default <run>/model)' }],
  async run(args, context) {
    const out = args.options.out;
    const result = await exportRun(resolveRunDir(args.positionals[0]!, context.cwd), typeof out === 'string' ? resolve(context.cwd, out) : undefined);
    if (context.json) context.stdout(`${JSON.stringify(result)}\n`);
    else context.stdout(`${describeExport(result)}\n`);
    return ExitCodes.ok;
  },
};
