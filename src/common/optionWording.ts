// How a message names an option it tells the user to change, on each surface: the CLI names its flag
// (`--text-field`), VS Code names the setting or the step of the Fine-tune dialogue. Messages are written once, with
// `option(name, surface)` where they point at an option, so the two wordings cannot drift apart.

/** Who reads a message: a terminal user of the CLI, or a user of the VS Code extension. */
export type MessageSurface = 'cli' | 'vscode';

/** The options messages point at. */
export type OptionName = 'textField' | 'labelField' | 'labelNames' | 'chatContext' | 'classWeights' | 'backend' | 'model' | 'modelFolder' | 'maxLength' | 'mode' | 'batchSize' | 'jobFolder' | 'runsDir';

const setting = (title: string) => `the "Classifier Workbench › ${title}" setting`;

const names: Record<OptionName, Record<MessageSurface, string>> = {
  textField: { cli: '--text-field', vscode: setting('Dataset: Text Field') },
  labelField: { cli: '--label-field', vscode: setting('Dataset: Label Field') },
  labelNames: { cli: '--label-names', vscode: setting('Dataset: Label Names') },
  chatContext: { cli: '--chat-context', vscode: setting('Dataset: Chat Context') },
  classWeights: { cli: '--class-weights', vscode: '"Class weights" in the Fine-tune dialogue\'s "Customise hyperparameters…" step' },
  backend: { cli: '--backend', vscode: setting('Engine: Backend') },
  model: { cli: '--model', vscode: 'the base model in the Fine-tune dialogue' },
  modelFolder: { cli: 'the folder\'s path', vscode: '"Browse for a model folder…" in the Fine-tune dialogue' },
  maxLength: { cli: '--max-length', vscode: '"Max length" in the Fine-tune dialogue\'s "Customise hyperparameters…" step' },
  mode: { cli: '--mode', vscode: 'the training mode in the Fine-tune dialogue' },
  batchSize: { cli: '--batch', vscode: '"Batch size" in the Fine-tune dialogue\'s "Customise hyperparameters…" step' },
  jobFolder: { cli: '--out', vscode: 'the job folder of "Run elsewhere…"' },
  runsDir: { cli: '--runs-dir', vscode: setting('Runs Folder') },
};

/** How `surface` names `name`: `--label-field`, or `the "Classifier Workbench › Dataset: Label Field" setting`. */
export function option(name: OptionName, surface: MessageSurface): string {
  return names[name][surface];
}

/**
 * The advice to give an option a value, as a clause: `use --backend auto or wasm` on the CLI,
 * `set the "Classifier Workbench › Engine: Backend" setting to auto or wasm` in VS Code.
 */
export function useOption(name: OptionName, value: string, surface: MessageSurface): string {
  return surface === 'cli' ? `use ${names[name].cli} ${value}` : `set ${names[name].vscode} to ${value}`;
}

/** The way out of a model the engine cannot train: the built-in n-gram model (`use --model ngram`). */
export function useNgramModel(surface: MessageSurface): string {
  return surface === 'cli' ? 'use --model ngram' : 'pick "Built-in n-gram model" in the Fine-tune dialogue';
}

/** The way to an export without ONNX: `export without --onnx` on the CLI, the "Hugging Face folder" choice of Export in VS Code. */
export function exportWithoutOnnx(surface: MessageSurface): string {
  return surface === 'cli' ? 'export without --onnx' : 'export again and choose "Hugging Face folder"';
}

/** The clause with a capital first letter, to start a sentence. */
export function sentence(clause: string): string {
  return clause.charAt(0).toUpperCase() + clause.slice(1);
}

/** A message in both wordings, from one builder: what `EngineError` carries (`detail` and `editorDetail`). */
export function bothWordings(build: (surface: MessageSurface) => string): { cli: string; vscode: string } {
  return { cli: build('cli'), vscode: build('vscode') };
}
