/**
 * Stable error codes that cross the JSON-RPC seam (as `ResponseError.code`) and the CLI (as messages).
 * Codes are in the JSON-RPC "server error" range reserved for implementations.
 */
export const EngineErrorCodes = {
  /** The dataset cannot be used as asked (file and line in the data). */
  invalidDataset: -32001,
  /** The model folder or hub id cannot be loaded (file in the data). */
  invalidModel: -32002,
  /** An option has a value outside what it accepts. */
  invalidOption: -32003,
  /** No run with that id, or the run is in a state that does not allow the request. */
  runNotFound: -32004,
  runState: -32005,
  /** No active model is set for prediction. */
  noActiveModel: -32006,
  /** The operation was cancelled by the caller. */
  cancelled: -32007,
  /** Extension and engine speak different protocol versions. */
  protocolMismatch: -32008,
  /** The file system refused (disk full, read-only, no permission, missing folder): the path and what to do, not a bug. */
  fileSystem: -32009,
  /** Anything else: a bug. The message says so and the log has the stack. */
  internal: -32099,
} as const;

export type EngineErrorCode = (typeof EngineErrorCodes)[keyof typeof EngineErrorCodes];

/** Where a problem is and what it is; every field but `detail` is optional. Lines and columns are 1-based. */
export interface EngineErrorData {
  file?: string;
  line?: number;
  column?: number;
  detail: string;
  /**
   * `detail` worded for the VS Code UI, when it points at an option: the setting or the Fine-tune dialogue's step
   * instead of a command-line flag (both built by one builder, src/common/optionWording.ts). Absent = `detail` reads
   * the same everywhere.
   */
  editorDetail?: string;
  /**
   * The option a bad value was given for, by its TrainConfig name (`batchSize`, `ngram.dim`, `gpus`), so a shell
   * can name it its own way (the CLI names the flag: `--batch`). `detail` then starts with `option <name>`.
   */
  option?: string;
}
