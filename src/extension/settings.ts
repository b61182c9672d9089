// Reads and normalises the `classifierWorkbench.*` settings. This is the only module that reads configuration;
// everything else receives a `WorkbenchSettings` and the engine gets the values as request parameters.
import * as vscode from 'vscode';
import type { BackendName, TrainMode } from '../protocol/train';
import type { DatasetReadOptions } from '../protocol/dataset';
import { chatContexts } from '../protocol/chatExample';

export const settingsSection = 'classifierWorkbench';
/** Runs folder used when the setting is empty, next to each dataset, as the CLI and engine do (DESIGN.md "Runs on disk"). */
export const defaultRunsFolder = '.classifier-workbench/runs';

/**
 * Hyperparameters a user may preset. `null` lets the engine pick per model and mode (the n-gram model scales its
 * epochs with the dataset size and uses large batches; transformers use 3 epochs, batch 16, lr 2e-5 for full).
 */
export interface HyperparameterDefaults {
  epochs: number | null;
  batchSize: number | null;
  learningRate: number | null;
  maxLength: number;
  patience: number;
  validationSplit: number;
  /** `none`, `balanced`, or the path of a JSON file of label → weight (relative paths: to the dataset's workspace folder). */
  classWeights: string;
}

export interface WorkbenchSettings {
  backend: 'auto' | BackendName;
  /** As written by the user; resolve with `resolveRunsFolder`. */
  runsFolder: string;
  defaultModel: string;
  defaultMode: TrainMode;
  hyperparameters: HyperparameterDefaults;
  hoverEnabled: boolean;
  hoverLanguages: string[];
  /** Predictions below this top-1 probability are shown as `UNCERTAIN`. */
  uncertaintyThreshold: number;
  /** Raise label issues as diagnostics even when the report says the out-of-fold model is too weak to judge. */
  raiseWeakLabelIssues: boolean;
  /** How datasets are read (`classifierWorkbench.dataset.*`), sent with every request that reads one; unset = detected. */
  dataset: DatasetReadOptions;
}

const backends = ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
const modes = ['full', 'feature-extraction', 'lora'] as const;

/** The values used when a setting is missing or holds junk; mirrors the defaults in package.json. */
export const defaultSettings: WorkbenchSettings = {
  backend: 'auto',
  runsFolder: '',
  defaultModel: 'ngram',
  defaultMode: 'full',
  hyperparameters: { epochs: null, batchSize: null, learningRate: null, maxLength: 128, patience: 2, validationSplit: 0.1, classWeights: 'none' },
  hoverEnabled: true,
  hoverLanguages: ['jsonl', 'plaintext', 'markdown'],
  uncertaintyThreshold: 0.5,
  raiseWeakLabelIssues: false,
  dataset: {},
};

/** Anything that answers `get(key)` like a `WorkspaceConfiguration`; lets tests pass a plain object. */
export interface ConfigurationReader {
  get<T>(key: string): T | undefined;
}

/**
 * Returns the current settings, each value checked and clamped, junk replaced by its default.
 * @param config the `classifierWorkbench` section; read from the workspace when omitted.
 */
export function readSettings(config: ConfigurationReader = vscode.workspace.getConfiguration(settingsSection)): WorkbenchSettings {
  const d = defaultSettings;
  const h = d.hyperparameters;
  return {
    backend: oneOf(config.get('engine.backend'), backends, d.backend),
    runsFolder: text(config.get('runsFolder'), d.runsFolder),
    defaultModel: text(config.get('defaultModel'), d.defaultModel) || d.defaultModel,
    defaultMode: oneOf(config.get('defaultMode'), modes, d.defaultMode),
    hyperparameters: {
      epochs: integerOrNull(config.get('training.epochs'), 1, 1000),
      batchSize: integerOrNull(config.get('training.batchSize'), 1, 4096),
      learningRate: positiveOrNull(config.get('training.learningRate')),
      maxLength: integer(config.get('training.maxLength'), 8, 8192, h.maxLength),
      patience: integer(config.get('training.patience'), 0, 1000, h.patience),
      // The test split gets the same fraction, so validation must stay below a half.
      validationSplit: fraction(config.get('training.validationSplit'), h.validationSplit, false, 0.5),
      classWeights: text(config.get('training.classWeights'), h.classWeights).trim() || h.classWeights,
    },
    hoverEnabled: typeof config.get('hover.enabled') === 'boolean' ? (config.get('hover.enabled') as boolean) : d.hoverEnabled,
    hoverLanguages: stringList(config.get('hover.languages'), d.hoverLanguages),
    uncertaintyThreshold: fraction(config.get('uncertaintyThreshold'), d.uncertaintyThreshold, true),
    raiseWeakLabelIssues: typeof config.get('labelIssues.raiseWhenWeak') === 'boolean' ? (config.get('labelIssues.raiseWhenWeak') as boolean) : d.raiseWeakLabelIssues,
    dataset: readDatasetOptions(config),
  };
}

/** `classifierWorkbench.dataset.*`: empty strings and lists mean "detect", so they are left out. */
function readDatasetOptions(config: ConfigurationReader): DatasetReadOptions {
  const options: DatasetReadOptions = {};
  const textField = text(config.get('dataset.textField'), '');
  const labelField = text(config.get('dataset.labelField'), '');
  const names = stringList(config.get('dataset.labelNames'), []).map((n) => n.trim()).filter((n) => n !== '');
  const chatContext = oneOf(config.get('dataset.chatContext'), chatContexts, 'lastUser');
  const labelDelimiter = text(config.get('dataset.labelDelimiter'), '');
  if (textField) options.textField = textField;
  if (labelField) options.labelField = labelField;
  if (names.length > 0 && new Set(names).size === names.length) options.labelNames = names;
  if (chatContext !== 'lastUser') options.chatContext = chatContext;
  if (labelDelimiter) options.labelDelimiter = labelDelimiter;
  return options;
}

/**
 * Whether the user set `classifierWorkbench.defaultModel` (user, workspace or folder settings). When they did,
 * "Start with defaults" trains that model as it is; when not, the engine proposes one (`model/recommend`).
 */
export function isDefaultModelSet(config: Pick<vscode.WorkspaceConfiguration, 'inspect'> = vscode.workspace.getConfiguration(settingsSection)): boolean {
  const set = config.inspect<unknown>('defaultModel');
  return set !== undefined && [set.globalValue, set.workspaceValue, set.workspaceFolderValue].some((v) => v !== undefined);
}

/**
 * Absolute runs folder for a workspace folder: the setting if absolute, else joined to the folder; undefined when
 * the setting is empty (then each dataset keeps its runs beside it, see `runsFolderForDataset`).
 * @param workspaceFolderPath file-system path of the workspace folder that owns the runs.
 */
export function resolveRunsFolder(settings: Pick<WorkbenchSettings, 'runsFolder'>, workspaceFolderPath: string): string | undefined {
  const folder = settings.runsFolder.trim();
  if (!folder) return undefined;
  if (folder.startsWith('/') || /^[A-Za-z]:[\\/]/.test(folder)) return folder;
  return `${workspaceFolderPath.replace(/[\\/]$/, '')}/${folder.replace(/^\.\//, '')}`;
}

/**
 * Where a run on this dataset is stored: the configured folder (relative to the dataset's workspace folder), or by
 * default `.classifier-workbench/runs` next to the dataset — the folder the CLI uses, so both see the same runs.
 */
export function runsFolderForDataset(settings: Pick<WorkbenchSettings, 'runsFolder'>, datasetPath: string, workspaceFolderPath?: string): string {
  const datasetFolder = datasetPath.replace(/[\\/][^\\/]*$/, '');
  return resolveRunsFolder(settings, workspaceFolderPath ?? datasetFolder) ?? `${datasetFolder}/${defaultRunsFolder}`;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}
function text(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value.trim() : fallback;
}
function integer(value: unknown, min: number, max: number, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : fallback;
}
function integerOrNull(value: unknown, min: number, max: number): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : null;
}
function positiveOrNull(value: unknown): number | null {
  return typeof value === 'number' && value > 0 && value < 1 ? value : null;
}
function fraction(value: unknown, fallback: number, inclusive = false, below = 1): number {
  if (typeof value !== 'number' || Number.isNaN(value)) return fallback;
  return (inclusive ? value >= 0 && value <= below : value > 0 && value < below) ? value : fallback;
}
function stringList(value: unknown, fallback: string[]): string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? [...value] : [...fallback];
}
