// The "Fine-tune classifier" dialogue as a plain state machine: which step to show (a pick list or an input box),
// and where each answer leads. No vscode import, so tests drive it directly; `showFineTuneFlow.ts` renders it.
import type { TrainMode } from '../../protocol/train';
import { modelDefaults, NGRAM_DEFAULTS, type ModelDefaults } from '../../protocol/trainDefaults';
import { plural } from '../../common/plural';
import type { HyperparameterDefaults } from '../settings';

export type ModelGroup = 'recent' | 'workspace' | 'cache' | 'recommended' | 'builtin';

/** A model the user can pick: a local folder, a Hugging Face cache entry or hub id, or a built-in model. */
export interface ModelChoice {
  /** What goes into `TrainConfig.model`: a folder path, a hub id, `ngram` or `scratch`. */
  id: string;
  label: string;
  detail?: string;
  group: ModelGroup;
}

export interface FineTuneFlowInput {
  defaults: { model: string; mode: TrainMode; hyperparameters: HyperparameterDefaults };
  models: ModelChoice[];
  /** One line under "Start with defaults": the proposal's download size and expected time, or why it is what it is. */
  defaultsDetail?: string;
  /** Offer "Start with the built-in n-gram model" right after "Start with defaults" (which proposes a pretrained model). */
  ngramAlternative?: boolean;
  /** The dataset as the user knows it (a workspace-relative path): every step's title names it. */
  dataset?: string;
}

/** What the dialogue produces. */
export interface FineTuneChoice {
  model: string;
  /** For a typed Hub id `owner/name@revision`: the branch, tag, commit or `refs/pr/N`. */
  revision?: string;
  mode: TrainMode;
  hyperparameters: HyperparameterDefaults;
  /** False when the user took the one-key "Start with defaults". */
  customised: boolean;
  /** `elsewhere`: the user chose "Run elsewhere…" (export a Trainer + accelerate job) instead of training here; absent = here. */
  destination?: 'here' | 'elsewhere';
}

export interface PickItem {
  id: string;
  label: string;
  description?: string;
  detail?: string;
  /** A separator row with this label; not selectable. */
  separator?: boolean;
}

/** "Run elsewhere…": the same configuration as a Hugging Face Trainer + accelerate job, for a GPU host or cluster. */
const runElsewhereItem: PickItem = {
  id: 'elsewhere',
  label: '$(remote) Run elsewhere…',
  description: 'write a Hugging Face Trainer + accelerate job for a GPU host, cluster or notebook',
};

export type StepId = 'model' | 'mode' | 'review' | 'customise';
export type ParameterName = keyof HyperparameterDefaults;

export type FlowStep =
  | { kind: 'pick'; id: StepId; title: string; placeholder: string; items: PickItem[]; step: number; totalSteps: number }
  | { kind: 'input'; id: 'hubId' | ParameterName; title: string; prompt: string; value: string; validate: (text: string) => string | undefined }
  | { kind: 'browse'; title: string }
  | { kind: 'done'; result: FineTuneChoice };

const baseTitle = 'Fine-tune classifier';
/** Models that have no training modes (the n-gram model trains all of itself). */
const modelsWithoutModes = new Set(['ngram']);
const groupTitles: Record<ModelGroup, string> = { recent: 'Recent', workspace: 'Workspace folders', cache: 'Hugging Face cache', recommended: 'Recommended (downloaded on first use)', builtin: 'Built-in' };

export const modeChoices: { mode: TrainMode; label: string; detail: string }[] = [
  { mode: 'full', label: 'Full fine-tuning', detail: 'Trains every weight. Best accuracy, slowest.' },
  { mode: 'feature-extraction', label: 'Feature extraction', detail: 'Frozen encoder, embeddings computed once, only the head trains. Fast.' },
  { mode: 'lora', label: 'LoRA', detail: 'Low-rank adapters on attention; close to full accuracy with far fewer trained weights.' },
];

/** What a prompt may quote: the engine's defaults for the model and mode chosen so far. */
export interface PromptContext {
  model: string;
  mode: TrainMode;
  defaults: ModelDefaults;
}

interface ParameterSpec {
  label: string;
  /** The input box's prompt; quotes the engine default of the chosen model where the value may be left empty. */
  prompt(context: PromptContext): string;
  /** The value, or undefined when the text is not valid. */
  parse(text: string): number | string | null | undefined;
  rule: string;
}

const integerIn = (min: number, max: number) => (t: string) => {
  const v = Number(t.trim());
  return t.trim() !== '' && Number.isInteger(v) && v >= min && v <= max ? v : undefined;
};
/** Like `integerIn`, but an empty answer means "the engine's default for the model" (null). */
const integerInOrDefault = (min: number, max: number) => (t: string) => (t.trim() === '' ? null : integerIn(min, max)(t));

/** How each hyperparameter is asked for, parsed and checked. */
export const parameterSpecs: Record<ParameterName, ParameterSpec> = {
  epochs: {
    label: 'Epochs',
    prompt: ({ defaults }) => `Passes over the training data; leave empty for the engine default (${defaultText('epochs', defaults)})`,
    parse: integerInOrDefault(1, 1000),
    rule: 'a whole number from 1 to 1000, or empty for the default',
  },
  batchSize: {
    label: 'Batch size',
    prompt: ({ defaults }) => `Examples per optimiser step; leave empty for the engine default (${defaultText('batchSize', defaults)})`,
    parse: integerInOrDefault(1, 4096),
    rule: 'a whole number from 1 to 4096, or empty for the default',
  },
  learningRate: {
    label: 'Learning rate',
    prompt: ({ model, defaults }) => `${model === 'ngram' ? 'Starting SGD learning rate (decays to 0)' : 'Peak AdamW learning rate'}; leave empty for the engine default (${defaultText('learningRate', defaults)})`,
    parse: (t) => {
      if (t.trim() === '') return null;
      const v = Number(t.trim());
      return Number.isFinite(v) && v > 0 && v < 1 ? v : undefined;
    },
    rule: 'a number between 0 and 1 such as 2e-5, or empty for the default',
  },
  maxLength: { label: 'Max length', prompt: () => 'Tokens per text; longer texts are truncated', parse: integerIn(8, 8192), rule: 'a whole number from 8 to 8192' },
  patience: { label: 'Early-stopping patience', prompt: () => 'Epochs without validation-loss improvement before stopping (0 = off)', parse: integerIn(0, 1000), rule: 'a whole number from 0 to 1000' },
  validationSplit: {
    label: 'Validation split',
    prompt: () => 'Fraction held out for validation (and again for test) when no validation file sits next to the dataset',
    parse: (t) => {
      const v = Number(t.trim());
      return t.trim() !== '' && v > 0 && v < 0.5 ? v : undefined;
    },
    rule: 'a fraction above 0 and below 0.5, such as 0.1',
  },
  classWeights: {
    label: 'Class weights',
    prompt: () => 'none, balanced (rare classes weigh more; multi-label: a positive weight per label), or the path of a JSON file of label → weight',
    parse: (t) => (t.trim() === '' ? undefined : t.trim()),
    rule: 'none, balanced, or a file path',
  },
};

/**
 * Checks one typed hyperparameter value.
 * @returns an error message for the input box, or undefined when the text is valid.
 */
export function validateParameter(name: ParameterName, text: string): string | undefined {
  const spec = parameterSpecs[name];
  return spec.parse(text) === undefined ? `${spec.label} must be ${spec.rule}.` : undefined;
}

/**
 * A typed Hub model: `owner/name`, optionally `@revision` (a branch, tag, commit or `refs/pr/N`, as the Hub's
 * conversion bot leaves safetensors in a pull request).
 */
export function parseHubModel(text: string): { id: string; revision?: string } {
  const [id, revision] = text.trim().split('@', 2);
  return revision === undefined ? { id } : { id, revision };
}

/** A Hugging Face Hub id such as `bert-base-uncased` or `google/bert_uncased_L-2_H-128_A-2`, optionally `@revision`. */
export function validateHubId(text: string): string | undefined {
  if (!text.trim()) return 'Type a model id such as google/bert_uncased_L-2_H-128_A-2 (add @refs/pr/1 or @v1.0 for another revision).';
  const { id, revision } = parseHubModel(text);
  if (!(/^[A-Za-z0-9][\w.-]*(\/[A-Za-z0-9][\w.-]*)?$/.test(id) && !id.includes('..'))) return `"${id}" is not a Hub id: use owner/name with letters, digits, '-', '_' and '.'.`;
  // The engine checks the exact form again; here the common mistakes get a message before anything starts.
  if (revision !== undefined && !(/^[\w.-]+(\/[\w.-]+)*$/.test(revision) && !revision.split('/').includes('..'))) {
    return `"${revision}" is not a revision: use a branch, tag, commit hash or refs/pr/N after the @.`;
  }
  return undefined;
}

/** The text an input box starts with: empty for an engine default, so accepting it keeps the default. */
function inputValue(value: number | string | null): string {
  return value === null ? '' : String(value);
}

/** The engine's default of `epochs`, `batchSize` or `learningRate` as a prompt quotes it: `0.2`, `32`, `8 to 50, scaled to the data`. */
export function defaultText(name: 'epochs' | 'batchSize' | 'learningRate', defaults: ModelDefaults): string {
  const value = defaults[name];
  if (value === 'scaled') return `${NGRAM_DEFAULTS.minEpochs} to ${NGRAM_DEFAULTS.maxEpochs}, scaled to the data`;
  if (name !== 'learningRate') return String(value);
  return defaults.multiLabelLearningRate !== undefined ? `${formatRate(value)}; ${formatRate(defaults.multiLabelLearningRate)} for multi-label data` : formatRate(value);
}

/** Learning rates read better as 2e-5 than 0.00002. */
function formatRate(rate: number): string {
  return rate !== 0 && Math.abs(rate) < 1e-3 ? rate.toExponential() : String(rate);
}

/** A value as the customise list shows it; `null` (left to the engine) shows the engine's default when known. */
export function formatParameter(name: ParameterName, value: number | string | null, defaults?: ModelDefaults): string {
  if (value === null) {
    if (name !== 'learningRate' && name !== 'epochs' && name !== 'batchSize') return '';
    return defaults ? `engine default (${defaultText(name, defaults)})` : 'engine default';
  }
  return String(value);
}

/**
 * The state machine. Call `current()` for the step to show, then `pick(id)`, `input(text)`, `browsed(path)` or
 * `back()`; repeat until `current().kind === 'done'` (or the user dismissed the UI).
 */
export class FineTuneFlow {
  private stack: FlowStep[] = [];
  private model: string;
  private revision?: string;
  private mode: TrainMode;
  private hyperparameters: HyperparameterDefaults;
  private finished: FineTuneChoice | undefined;

  constructor(private readonly setup: FineTuneFlowInput) {
    this.model = setup.defaults.model;
    this.mode = setup.defaults.mode;
    this.hyperparameters = { ...setup.defaults.hyperparameters };
    this.stack.push(this.modelStep());
  }

  current(): FlowStep {
    return this.finished ? { kind: 'done', result: this.finished } : this.stack[this.stack.length - 1];
  }

  get canGoBack(): boolean {
    return this.stack.length > 1 && !this.finished;
  }

  /**
   * Escape in the current step: in a value box (a hyperparameter, a Hub id) it goes back one step, keeping every
   * value entered so far; in a pick list it ends the dialogue.
   * @returns true when the dialogue ended (the caller stops showing steps).
   */
  escape(): boolean {
    if (this.current().kind === 'input' && this.canGoBack) {
      this.back();
      return false;
    }
    return true;
  }

  back(): void {
    if (this.canGoBack) this.stack.pop();
    // Re-render the step we return to, so it shows values changed since it was first built.
    this.stack[this.stack.length - 1] = this.rebuild(this.stack[this.stack.length - 1]);
  }

  /** The user picked the item with this id in the current pick step. */
  pick(itemId: string): void {
    const step = this.current();
    if (step.kind !== 'pick') throw new Error(`pick() in a ${step.kind} step`);
    if (!step.items.some((i) => i.id === itemId && !i.separator)) throw new Error(`no item ${itemId} in step ${step.id}`);
    switch (step.id) {
      case 'model':
        if (itemId === 'defaults') return this.finish(false);
        if (itemId === 'defaults-ngram') return this.finishWithNgram();
        if (itemId === 'hub') return this.push({ kind: 'input', id: 'hubId', title: this.title, prompt: 'Hugging Face Hub model id, optionally @revision (branch, tag, commit or refs/pr/N); downloaded once into the HF cache', value: '', validate: validateHubId });
        if (itemId === 'browse') return this.push({ kind: 'browse', title: this.title });
        return this.chooseModel(itemId.replace(/^model:/, ''));
      case 'mode':
        this.mode = itemId as TrainMode;
        return this.push(this.reviewStep());
      case 'review':
      case 'customise':
        if (itemId === 'start') return this.finish(true);
        if (itemId === 'elsewhere') return this.finish(true, 'elsewhere');
        if (itemId === 'customise') return this.push(this.customiseStep());
        return this.push(this.parameterStep(itemId as ParameterName));
    }
  }

  /** The user accepted text in the current input step (the driver already showed `validate` errors). */
  input(text: string): void {
    const step = this.current();
    if (step.kind !== 'input') throw new Error(`input() in a ${step.kind} step`);
    const error = step.validate(text);
    if (error) throw new Error(error);
    if (step.id === 'hubId') {
      const { id, revision } = parseHubModel(text);
      return this.chooseModel(id, revision);
    }
    const parsed = parameterSpecs[step.id].parse(text);
    this.hyperparameters = { ...this.hyperparameters, [step.id]: parsed } as HyperparameterDefaults;
    this.stack.pop();
    this.stack[this.stack.length - 1] = this.customiseStep();
  }

  /** The folder picked in the browse step, or undefined when the dialog was dismissed (goes back). */
  browsed(folder: string | undefined): void {
    if (this.current().kind !== 'browse') throw new Error('browsed() outside the browse step');
    if (folder === undefined) return this.back();
    this.chooseModel(folder);
  }

  private chooseModel(model: string, revision?: string): void {
    this.model = model;
    this.revision = revision;
    if (modelsWithoutModes.has(model)) {
      this.mode = 'full';
      return this.push(this.reviewStep());
    }
    this.push(this.modeStep());
  }

  private finish(customised: boolean, destination: FineTuneChoice['destination'] = 'here'): void {
    const { defaults } = this.setup;
    this.finished = customised
      ? { model: this.model, ...(this.revision ? { revision: this.revision } : {}), mode: this.mode, hyperparameters: { ...this.hyperparameters }, customised, destination }
      : { model: defaults.model, mode: modelsWithoutModes.has(defaults.model) ? 'full' : defaults.mode, hyperparameters: { ...defaults.hyperparameters }, customised, destination };
  }

  /** The one-click alternative to a pretrained proposal: the n-gram model with the default hyperparameters. */
  private finishWithNgram(): void {
    this.finished = { model: 'ngram', mode: 'full', hyperparameters: { ...this.setup.defaults.hyperparameters }, customised: false, destination: 'here' };
  }

  /** `Fine-tune classifier: data/emotion/train.jsonl`, so a dialogue started from the palette says which file it trains on. */
  private get title(): string {
    return this.setup.dataset ? `${baseTitle}: ${this.setup.dataset}` : baseTitle;
  }

  /** What the prompts quote: the engine's defaults for the model and mode chosen so far. */
  private get promptContext(): PromptContext {
    return { model: this.model, mode: this.mode, defaults: modelDefaults(this.model, this.mode) };
  }

  private push(step: FlowStep): void {
    this.stack.push(step);
  }

  private rebuild(step: FlowStep): FlowStep {
    if (step.kind !== 'pick') return step;
    if (step.id === 'review') return this.reviewStep();
    if (step.id === 'customise') return this.customiseStep();
    return step;
  }

  private modelStep(): FlowStep {
    const { defaults, models } = this.setup;
    const items: PickItem[] = [{
      id: 'defaults',
      label: '$(rocket) Start with defaults',
      description: `${defaults.model} · ${modelsWithoutModes.has(defaults.model) ? 'built-in' : modeLabel(defaults.mode)} · ${summarise(defaults.hyperparameters)}`,
      ...(this.setup.defaultsDetail ? { detail: this.setup.defaultsDetail } : {}),
    }];
    if (this.setup.ngramAlternative && defaults.model !== 'ngram') {
      items.push({ id: 'defaults-ngram', label: '$(zap) Start with the built-in n-gram model', description: 'no download · a strong baseline in seconds' });
    }
    for (const group of ['recent', 'workspace', 'cache', 'recommended', 'builtin'] as const) {
      const inGroup = models.filter((m) => m.group === group);
      if (!inGroup.length) continue;
      items.push({ id: `sep:${group}`, label: groupTitles[group], separator: true });
      for (const m of inGroup) items.push({ id: `model:${m.id}`, label: m.label, detail: m.detail });
    }
    items.push({ id: 'sep:other', label: 'Other', separator: true });
    items.push({ id: 'hub', label: '$(cloud-download) Enter a Hugging Face Hub id…' });
    items.push({ id: 'browse', label: '$(folder-opened) Browse for a model folder…' });
    return { kind: 'pick', id: 'model', title: this.title, placeholder: 'Pick a base model (Enter starts with the defaults)', items, step: 1, totalSteps: 3 };
  }

  private modeStep(): FlowStep {
    const ordered = [...modeChoices].sort((a, b) => Number(b.mode === this.mode) - Number(a.mode === this.mode));
    return {
      kind: 'pick', id: 'mode', title: this.title, step: 2, totalSteps: 3,
      placeholder: `How to train ${this.model}`,
      items: ordered.map((m) => ({ id: m.mode, label: m.label, description: m.mode === this.setup.defaults.mode ? 'default' : undefined, detail: m.detail })),
    };
  }

  private reviewStep(): FlowStep {
    return {
      kind: 'pick', id: 'review', title: this.title, step: 3, totalSteps: 3,
      placeholder: `${this.model} · ${modeLabel(this.mode)}`,
      items: [
        { id: 'start', label: '$(play) Start training', description: summarise(this.hyperparameters, this.promptContext.defaults) },
        { id: 'customise', label: '$(settings-gear) Customise hyperparameters…', description: 'epochs, batch size, learning rate, max length, patience, validation split, class weights' },
        runElsewhereItem,
      ],
    };
  }

  private customiseStep(): FlowStep {
    const context = this.promptContext;
    const items: PickItem[] = [{ id: 'start', label: '$(play) Start training', description: summarise(this.hyperparameters, context.defaults) }];
    for (const name of Object.keys(parameterSpecs) as ParameterName[]) {
      items.push({ id: name, label: parameterSpecs[name].label, description: formatParameter(name, this.hyperparameters[name], context.defaults), detail: parameterSpecs[name].prompt(context) });
    }
    items.push(runElsewhereItem);
    return { kind: 'pick', id: 'customise', title: this.title, placeholder: 'Pick a value to change, or start', items, step: 3, totalSteps: 3 };
  }

  private parameterStep(name: ParameterName): FlowStep {
    const spec = parameterSpecs[name];
    return { kind: 'input', id: name, title: `${this.title} · ${spec.label}`, prompt: spec.prompt(this.promptContext), value: inputValue(this.hyperparameters[name]), validate: (t) => validateParameter(name, t) };
  }
}

function modeLabel(mode: TrainMode): string {
  return modeChoices.find((m) => m.mode === mode)?.label ?? mode;
}

/**
 * `3 epochs · batch 16 · lr 2e-5 · max length 128` (`1 epoch`); a value left to the engine shows the engine's
 * default for the model when `defaults` is given (`epochs 8 to 50, scaled to the data`), else `default`.
 */
export function summarise(h: HyperparameterDefaults, defaults?: ModelDefaults): string {
  const engine = (name: 'epochs' | 'batchSize' | 'learningRate') => (defaults ? defaultText(name, defaults) : 'default');
  const epochs = h.epochs !== null ? plural(h.epochs, 'epoch')
    : !defaults ? 'default epochs'
    : defaults.epochs === 'scaled' ? `epochs ${engine('epochs')}` : plural(defaults.epochs, 'epoch');
  return `${epochs} · batch ${h.batchSize ?? engine('batchSize')} · lr ${h.learningRate !== null ? formatRate(h.learningRate) : engine('learningRate')} · max length ${h.maxLength}${h.classWeights !== 'none' ? ` · class weights ${h.classWeights}` : ''}`;
}
