/**
 * Binds the RPC shell's `EngineLibrary` to the real engine library. Only forwarding and light assembly of
 * library calls live here; anything a CLI would also need belongs in the library itself.
 */
import { selectBackendOrFallback, inspectDataset, findLabelIssuesInDataset, loadPredictor, existingFolder, exportRun, deleteRun, setUncertaintyThreshold, listRuns, markInterrupted, readRun, writeRun, prepareRun, resumeRun, trainPreparedRun, suggestLinesToLabel, exportTrainingJob, importRunFolder, recommendModel } from '../index';
import { join } from 'node:path';
import { runPaths } from '../../common/runFolder/runRecord';
import type { EngineLibrary } from './engineLibrary';
import packageJson from '../../../package.json';

export const engineLibrary: EngineLibrary = {
  engineVersion: packageJson.version,
  modelKinds: ['bert', 'distilbert', 'ngram'],
  modes: ['full', 'feature-extraction', 'lora'],

  selectBackend: async (requested) => {
    try {
      // An explicitly requested backend that cannot load must not keep the engine from serving.
      return await selectBackendOrFallback(requested, true);
    } catch (error) {
      return { name: 'none', note: error instanceof Error ? error.message : String(error) };
    }
  },

  prepareRun: async (config, onEvent) => {
    const { runId, runDir } = await prepareRun(config, { onEvent });
    return { runId, runDir };
  },
  trainPreparedRun: (runDir, { signal, onEvent }) => trainPreparedRun(runDir, { signal, onEvent }),
  resumeRun: (runDir, { signal, onEvent }) => resumeRun(runDir, { signal, onEvent }),
  readRunState: async (runDir) => {
    const { runId, state, config } = await readRun(runDir);
    return { runId, state, config, hasCheckpoint: (await existingFolder(runPaths(runDir).lastCheckpoint)) !== undefined };
  },
  listRuns,
  deleteRun,
  setUncertaintyThreshold,
  markInterrupted,
  markCancelled: async (runDir, message) => {
    const record = await readRun(runDir);
    if (record.state !== 'queued') return;
    record.state = 'cancelled';
    record.message = message;
    await writeRun(runDir, record);
  },

  loadPredictor,

  exportModel: exportRun,

  inspectDataset: ({ path, ...options }, signal) => inspectDataset(path, { ...options, signal }),

  recommendModel: ({ path, ...options }, signal) => recommendModel(path, { ...options, signal }),

  // The library's own entry point: judges every line of the file (all three splits of a single file) and writes
  // label-issues.json into runDir, exactly as the CLI does.
  findLabelIssues: (params, { signal, onProgress }) => findLabelIssuesInDataset(params, { signal, onProgress }),

  suggestLabels: (params, signal) => suggestLinesToLabel(params, { signal }),

  exportJob: async ({ config, outDir, gpus, nodes }) => {
    const { outDir: dir, job, files } = await exportTrainingJob(config, { out: outDir, topology: { gpus, nodes } });
    return { outDir: dir, runId: job.runId, resultDir: join(dir, 'results', job.runId), files, processes: job.topology.processes, counts: job.dataset.counts };
  },
  importRun: ({ folder, dataset, runsDir }) => importRunFolder(folder, { dataset, runsDir }),
};
