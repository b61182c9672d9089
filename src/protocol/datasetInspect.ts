/**
 * The `dataset/inspect` request: validate a JSONL file and describe it (counts, labels, lengths, every problem
 * with file and line). The report type itself lives in dataset.ts.
 */
import { RequestType } from 'vscode-jsonrpc';
import type { DatasetReport } from './dataset';
import type { EngineErrorData } from './errors';

/** extension → engine: inspect a dataset file (and its sibling splits). */
export interface DatasetInspectParams {
  /** Absolute path of the JSONL file. */
  path: string;
  textField?: string;
  labelField?: string;
  /** Names for integer labels, index = label id. */
  labelNames?: string[];
  validationSplit?: number;
  seed?: number;
}

export namespace DatasetInspect {
  export const method = 'dataset/inspect' as const;
  export const type = new RequestType<DatasetInspectParams, DatasetReport, EngineErrorData>(method);
}
