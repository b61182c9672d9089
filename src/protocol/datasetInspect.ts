/**
 * The `dataset/inspect` request: validate a JSONL file and describe it (counts, labels, lengths, every problem
 * with file and line). The report type itself lives in dataset.ts.
 */
import { RequestType } from 'vscode-jsonrpc';
import type { DatasetReadOptions, DatasetReport } from './dataset';
import type { EngineErrorData } from './errors';

/** extension → engine: inspect a dataset file (and its sibling splits). */
export interface DatasetInspectParams extends DatasetReadOptions {
  /** Absolute path of the JSONL file. */
  path: string;
  validationSplit?: number;
  seed?: number;
}

export namespace DatasetInspect {
  export const method = 'dataset/inspect' as const;
  export const type = new RequestType<DatasetInspectParams, DatasetReport, EngineErrorData>(method);
}
