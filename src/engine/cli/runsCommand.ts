// `classifier-workbench runs list|show|resume|delete`: the runs on disk.
import { resolve } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { deleteRun, effectiveRunState, importRunFolder, listRuns, readRun, resumeRun, defaultRunsDir } from '../index';
import type { CliCommand } from './cliCommand';
import { CliUsageError } from './cliUsageError';
import { ExitCodes } from './exitCodes';
import { cliRunsDir, resolveRunDir } from './resolveRunDir';
import { TrainEventPrinter } from './trainEventPrinter';

export const runsCommand: CliCommand = {
  name: 'runs',
  summary: 'List, show, resume, delete or import training runs',
  description: [
    'runs list [DIR|file.jsonl]  runs in DIR, or in the runs folder of a dataset (default ./.classifier-workbench/runs)',
    'runs show <run>             run.json of a run folder or id',
    'runs resume <run>           continue a cancelled or interrupted run from checkpoints/last (from the start if it has none)',
    'runs delete <run>           delete a run folder',
    'runs import <folder>        make a run folder trained elsewhere (export-job\'s train.py) a run of the dataset\'s runs',
    '                            folder, after checking its dataset fingerprint against the data here',
  ].join('\n'),
  positionals: [
    { name: 'action', description: 'list, show, resume, delete or import' },
    { name: 'target', description: 'a runs folder (list) or a run folder or id', optional: true },
  ],
  options: [
    { name: 'dataset', type: 'string', valueName: 'FILE', description: 'import: the data file the run trained on, on this machine (default: the path its run.json records)' },
    { name: 'runs-dir', type: 'string', valueName: 'DIR', description: "import: the runs folder to import into (default: the dataset's)" },
  ],
  async run(args, context) {
    const [action, target] = args.positionals;
    const needRun = () => {
      if (!target) throw new CliUsageError(`runs ${action} needs a run folder or id.`, 'runs');
      return resolveRunDir(target, context.cwd);
    };
    switch (action) {
      case 'list': {
        const runsDir = listTarget(target, context.cwd);
        const runs = await listRuns(runsDir);
        if (context.json) {
          context.stdout(`${JSON.stringify(runs)}\n`);
        } else if (runs.length === 0) {
          context.stdout(`No runs in ${runsDir} (for the runs of a dataset: runs list path/to/train.jsonl)\n`);
        } else {
          for (const r of runs) {
            const best = r.bestAccuracy === undefined ? '' : `  best validation accuracy ${(r.bestAccuracy * 100).toFixed(1)}%`;
            // Why a run failed (or stopped) is the first thing to know about it; the whole message is in `runs show`.
            const why = r.message && r.state !== 'completed' ? `  ${oneLine(r.message)}` : '';
            context.stdout(`${r.runId}  ${r.state.padEnd(11)}${best}${why}\n`);
          }
          context.stdout(`(${runs.length} runs in ${runsDir})\n`);
        }
        return ExitCodes.ok;
      }
      case 'show': {
        const record = await readRun(needRun());
        // The state as it is (a run whose process died is interrupted), as `runs list` and the Runs tree show it.
        const state = effectiveRunState(record);
        context.stdout(`${JSON.stringify(state === record.state ? record : { ...record, state, recordedState: record.state }, null, 2)}\n`);
        return ExitCodes.ok;
      }
      case 'resume': {
        const printer = new TrainEventPrinter(context);
        return printer.finish(await resumeRun(needRun(), { signal: context.signal, onEvent: printer.onEvent }));
      }
      case 'delete': {
        const runDir = needRun();
        await deleteRun(runDir);
        if (!context.json) context.stdout(`Deleted ${runDir}\n`);
        return ExitCodes.ok;
      }
      case 'import': {
        if (!target) throw new CliUsageError('runs import needs the result folder of a run trained elsewhere.', 'runs');
        const option = (name: string) => (typeof args.options[name] === 'string' ? resolve(context.cwd, args.options[name] as string) : undefined);
        const result = await importRunFolder(resolve(context.cwd, target), { dataset: option('dataset'), runsDir: option('runs-dir') });
        if (context.json) context.stdout(`${JSON.stringify(result)}\n`);
        else context.stdout(`${result.inPlace ? 'Checked' : 'Imported'} run ${result.runId}: ${result.runDir}\n  the dataset fingerprint matches the data here (${result.fingerprint.slice(0, 12)}…)\n`);
        return ExitCodes.ok;
      }
      default:
        throw new CliUsageError(`Unknown action '${action}': use list, show, resume, delete or import.`, 'runs');
    }
  },
};

/** A runs folder as given, the runs folder of a dataset file, or the default of the working directory. */
function listTarget(target: string | undefined, cwd: string): string {
  if (!target) return cliRunsDir(cwd);
  const path = resolve(cwd, target);
  return existsSync(path) && statSync(path).isFile() ? defaultRunsDir(path) : path;
}

/** The first line of `message`, cut at 300 characters: one run per line in `runs list`. */
function oneLine(message: string): string {
  const line = message.split('\n')[0]!;
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}
