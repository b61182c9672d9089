/** `run/*` requests: a thin shell over the run queue and the library's run store. */
import { access } from 'node:fs/promises';
import { EngineErrorCodes } from '../../protocol/errors';
import { RunCancel, RunDelete, RunList, RunResume, RunSetUncertaintyThreshold, RunStart, type RunStartParams, type RunSummary } from '../../protocol/runs';
import { EngineError } from '../index';
import { isOrphanedRun } from './runOwner';
import { onRequest, type ServerContext } from './serverContext';
import { validateParams, type FieldSpec } from './validateParams';
import { datasetReadSpec } from './datasetReadSpec';

/** Types of the TrainConfig fields a client may send; ranges and meaning are checked by the library. */
export const trainConfigSpec: Record<string, FieldSpec> = {
  dataset: { kind: 'string', required: true },
  ...datasetReadSpec,
  model: { kind: 'string' },
  revision: { kind: 'string' },
  mode: { kind: 'string', oneOf: ['full', 'feature-extraction', 'lora'] },
  epochs: { kind: 'integer', min: 1 },
  batchSize: { kind: 'integer', min: 1 },
  learningRate: { kind: 'number', min: 0 },
  weightDecay: { kind: 'number', min: 0 },
  warmupRatio: { kind: 'number', min: 0, max: 1 },
  maxLength: { kind: 'integer', min: 2 },
  gradientAccumulation: { kind: 'integer', min: 1 },
  maxGradNorm: { kind: 'number', min: 0 },
  patience: { kind: 'integer', min: 0 },
  seed: { kind: 'integer' },
  validationSplit: { kind: 'number', min: 0, max: 1 },
  classWeights: { kind: 'string' },
  lora: { kind: 'object' },
  backend: { kind: 'string', oneOf: ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] },
  workers: { kind: 'integer', min: 0 },
  runsDir: { kind: 'string' },
};

export function registerRunHandlers(ctx: ServerContext): void {
  const { library } = ctx;
  onRequest(ctx, RunStart.type, { config: { kind: 'object', required: true } }, async (params: RunStartParams) => {
    const config = validateParams<RunStartParams['config']>(RunStart.method, params.config, trainConfigSpec, 'params.config');
    // Checked before the run folder is made beside it: a mistyped path must not leave folders behind.
    await access(config.dataset).catch(() => {
      throw new EngineError(EngineErrorCodes.invalidDataset, 'dataset file not found; check the path', { file: config.dataset });
    });
    const { runId, runDir } = await library.prepareRun(config, (event) => event.type === 'log' && ctx.log(event.level, event.message, event.runId));
    // The job trains the prepared run folder: the config was resolved and validated once, by prepareRun.
    return ctx.scheduler.enqueue(runId, runDir, { kind: 'train', runId, runDir });
  });

  onRequest(ctx, RunCancel.type, { runId: { kind: 'string', required: true } }, async ({ runId }) => ctx.scheduler.cancel(runId));

  onRequest(ctx, RunResume.type, { runDir: { kind: 'string', required: true } }, async ({ runDir }) => {
    if (ctx.scheduler.find(runDir)) throw new EngineError(EngineErrorCodes.runState, `The run in ${runDir} is already queued or training.`, { file: runDir });
    const { runId, state, hasCheckpoint } = await library.readRunState(runDir);
    if (state === 'completed') throw new EngineError(EngineErrorCodes.runState, `Run ${runId} has already completed; there is nothing to resume.`, { file: runDir });
    // `running` on disk but not training here: a previous engine died before it could say so.
    if (state === 'running' || state === 'queued') await library.markInterrupted(runDir, 'The engine that trained this run is gone.');
    // A run stopped before its first checkpoint has nothing to resume from: it starts again in its own folder.
    const job = hasCheckpoint ? { kind: 'resume' as const, runId, runDir } : { kind: 'train' as const, runId, runDir };
    return ctx.scheduler.enqueue(runId, runDir, job);
  });

  onRequest(ctx, RunList.type, { runsDir: { kind: 'string', required: true } }, async ({ runsDir }) => {
    const onDisk = await library.listRuns(runsDir);
    // The live state wins over run.json (which says `running` only after the worker wrote it).
    const live = new Map(ctx.scheduler.list().map((r) => [r.runDir, r]));
    for (const run of onDisk) {
      if ((run.state === 'running' || run.state === 'queued') && !live.has(run.runDir) && isOrphanedRun(run.runDir)) {
        const message = 'The engine that trained this run stopped without finishing it; resume it to continue.';
        await library.markInterrupted(run.runDir, message);
        Object.assign(run, { state: 'interrupted', message });
      }
    }
    const runs: RunSummary[] = onDisk.map((r) => (live.has(r.runDir) ? { ...r, state: live.get(r.runDir)!.state, message: undefined } : r));
    for (const r of live.values()) if (!onDisk.some((d) => d.runDir === r.runDir) && r.runDir.startsWith(runsDir)) runs.push({ ...r });
    return runs;
  });

  onRequest(ctx, RunSetUncertaintyThreshold.type, {
    runDir: { kind: 'string', required: true },
    threshold: { kind: 'number', required: true, min: 0, max: 1 },
    target: { kind: 'object' },
    perClass: { kind: 'number[]', min: 0, max: 1 },
  }, async ({ runDir, threshold, target, perClass }) => {
    if (ctx.scheduler.find(runDir)) throw new EngineError(EngineErrorCodes.runState, `The run in ${runDir} is queued or training; set its threshold once it has finished.`, { file: runDir });
    await library.setUncertaintyThreshold(runDir, threshold, target, perClass);
  });

  onRequest(ctx, RunDelete.type, { runDir: { kind: 'string', required: true } }, async ({ runDir }) => {
    if (ctx.scheduler.find(runDir)) throw new EngineError(EngineErrorCodes.runState, `The run in ${runDir} is queued or training; cancel it before deleting it.`, { file: runDir });
    // Not training here, whatever run.json says: the engine that ran it is gone.
    await library.markInterrupted(runDir, 'The engine that trained this run is gone.');
    // Hover must not keep predicting with a model whose run is gone.
    ctx.activeModel.releaseFrom(runDir);
    await library.deleteRun(runDir);
  });
}
