/**
 * Runs elsewhere: export the run `run/start` would make as a Hugging Face Trainer + accelerate job folder
 * (`job/export`), and bring a result folder trained elsewhere back as a run (`run/import`).
 */
import { RequestType } from 'vscode-jsonrpc';
import type { EngineErrorData } from './errors';
import type { TrainConfigInput } from './runs';

export interface JobExportParams {
  /** The run to export, as `run/start` takes it (its `runsDir` and `backend` do not matter to the job). */
  config: TrainConfigInput;
  /** The job folder to create: it must not exist, or be empty (nothing is overwritten). */
  outDir: string;
  /** GPUs per machine, 0 = CPU (default 1). */
  gpus?: number;
  /** Machines (default 1). */
  nodes?: number;
}

export interface JobExportResult {
  outDir: string;
  /** The id of the run the job will write. */
  runId: string;
  /** Where train.py writes the run folder by default: `<outDir>/results/<runId>`. */
  resultDir: string;
  /** The files written, relative to `outDir`. */
  files: string[];
  /** Processes the job starts: max(1, gpus) × nodes. */
  processes: number;
  counts: { train: number; validation: number; test: number };
}

export namespace JobExport {
  export const method = 'job/export' as const;
  export const type = new RequestType<JobExportParams, JobExportResult, EngineErrorData>(method);
}

export interface RunImportParams {
  /** A run folder trained elsewhere (an exported job's `results/<run id>`). */
  folder: string;
  /** The data file the run trained on, on this machine (default: the path its run.json records). */
  dataset?: string;
  /** The runs folder to import into (default: the dataset's). */
  runsDir?: string;
}

export interface RunImportResult {
  runId: string;
  runDir: string;
  /** True when the folder was already in the runs folder and was checked where it is. */
  inPlace: boolean;
  /** The dataset fingerprint both the run and the data here have. */
  fingerprint: string;
}

export namespace RunImport {
  export const method = 'run/import' as const;
  export const type = new RequestType<RunImportParams, RunImportResult, EngineErrorData>(method);
}
