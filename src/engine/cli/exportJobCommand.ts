// `classifier-workbench export-job <file.jsonl> --out DIR`: the run `train` would make, as a folder that trains with
// Hugging Face Trainer + accelerate on a GPU host, a cluster or a notebook (src/engine/remoteJob/).
import { resolve } from 'node:path';
import { exportTrainingJob } from '../index';
import type { CliCommand } from './cliCommand';
import { CliUsageError } from './cliUsageError';
import { ExitCodes } from './exitCodes';
import { trainCommand, trainConfigFromArgs } from './trainCommand';
import { shellQuote } from './shellQuote';
import { withFlagName } from './trainOptionFlags';
import { envDefaultModel } from './resolveRunDir';

export const exportJobCommand: CliCommand = {
  name: 'export-job',
  summary: 'Write the run `train` would make as a Hugging Face Trainer + accelerate job for a GPU host or cluster',
  description: [
    'Takes the options of train. The folder holds the exact splits (with source file and line), the label map, train.py',
    '(AutoModelForSequenceClassification + Trainer, the same configuration), requirements.txt, an accelerate config,',
    'run.sh and a README (locally, over SSH, in a notebook). train.py writes a run folder (results/<run id>) as it trains:',
    'bring it back with `classifier-workbench runs import <folder>`.',
  ].join('\n'),
  positionals: trainCommand.positionals,
  options: [
    { name: 'out', type: 'string', short: 'o', valueName: 'DIR', description: 'The job folder to create (must not exist, or be empty)' },
    { name: 'gpus', type: 'string', valueName: 'N', description: 'GPUs per machine, 0 = CPU (default 1)' },
    { name: 'nodes', type: 'string', valueName: 'M', description: 'Machines (default 1)' },
    ...trainCommand.options,
  ],
  async run(args, context) {
    const out = args.options.out;
    if (typeof out !== 'string' || out === '') throw new CliUsageError('export-job needs --out DIR (a new folder for the job).', 'export-job');
    const whole = (name: string) => {
      const v = args.options[name];
      if (typeof v !== 'string') return undefined;
      if (!/^\d+$/.test(v.trim())) throw new CliUsageError(`--${name} must be a whole number (got '${v}').`, 'export-job');
      return Number(v);
    };
    const input = trainConfigFromArgs(args, context.cwd);
    const notes: string[] = [];
    const result = await exportTrainingJob(input, {
      out: resolve(context.cwd, out),
      topology: { gpus: whole('gpus'), nodes: whole('nodes') },
      defaultModel: envDefaultModel(context.cwd),
      onNote: (line) => notes.push(line),
    }).catch((err: unknown) => {
      throw withFlagName(err, args, 'export-job');
    });
    if (context.json) {
      context.stdout(`${JSON.stringify({ outDir: result.outDir, runId: result.job.runId, files: result.files, fingerprint: result.job.dataset.fingerprint, topology: result.job.topology })}\n`);
      return ExitCodes.ok;
    }
    const { counts } = result.job.dataset;
    for (const line of notes) context.stdout(`${line}\n`);
    context.stdout([
      `Wrote the job ${result.job.runId} to ${result.outDir}`,
      `  splits: ${counts.train} train, ${counts.validation} validation, ${counts.test} test (fingerprint ${result.job.dataset.fingerprint.slice(0, 12)}…)`,
      `  ${result.job.topology.processes} process${result.job.topology.processes > 1 ? 'es' : ''}: ${result.job.topology.gpus === 0 ? 'CPU' : `${result.job.topology.gpus} GPU${result.job.topology.gpus > 1 ? 's' : ''} per machine`} × ${result.job.topology.nodes} machine${result.job.topology.nodes > 1 ? 's' : ''}`,
      `Run it: cd ${shellQuote(result.outDir)} && pip install -r requirements.txt && ./run.sh   (README.md: over SSH, in a notebook)`,
      `Then:   classifier-workbench runs import ${shellQuote(resolve(result.outDir, 'results', result.job.runId))}`,
      '',
    ].join('\n'));
    return ExitCodes.ok;
  },
};
