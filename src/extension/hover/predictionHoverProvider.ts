// The hover: the active model's prediction for a JSONL line, a selection or a paragraph. Asks the engine
// (`model/predict`) only on a cache miss, passes VS Code's cancellation through so a stale hover's request is
// cancelled in the engine too, and never throws into the editor.
import * as vscode from 'vscode';
import type { ModelPredictParams, ModelPredictResult, TextPrediction } from '../../protocol/model';
import { EngineErrorCodes } from '../../protocol/errors';
import { findHoverTarget, isDelimitedDocument, isJsonlDocument } from './hoverTarget';
import { PredictionCache } from './predictionCache';
import { renderPredictionMarkdown } from './hoverMarkdown';

/** The one engine call the hover needs; `EngineClient` satisfies it. */
export interface Predictor {
  predict(params: ModelPredictParams, token?: vscode.CancellationToken): Promise<ModelPredictResult>;
}

/** Which model is active, loading it in the engine when needed; `ActiveModelState` satisfies it. */
export interface ActiveModelSource {
  readonly current: { path: string; name: string } | undefined;
  ensureLoaded(): Promise<{ labels: string[]; uncertaintyThresholds?: number[] } | undefined>;
  invalidateEngineCopy(): void;
}

/** Notes about a JSONL line from label-issue detection (1-based line); `LabelIssueDiagnostics` provides them. */
export type LineNotes = (file: string, line: number) => string[];

export interface HoverSettings {
  hoverEnabled: boolean;
  hoverLanguages: string[];
  uncertaintyThreshold: number;
}

/** Labels shown in the bar chart. */
const topK = 5;

export class PredictionHoverProvider implements vscode.HoverProvider {
  readonly cache = new PredictionCache();

  constructor(
    private readonly predictor: Predictor,
    private readonly activeModel: ActiveModelSource,
    private readonly settings: () => HoverSettings,
    /** The active editor's selection in `document`, if the user has one (injected so tests need no editor). */
    private readonly selectionIn: (document: vscode.TextDocument) => vscode.Selection | undefined = (document) => {
      const editor = vscode.window.activeTextEditor;
      return editor && editor.document === document ? editor.selection : undefined;
    },
    private readonly lineNotes: LineNotes = () => [],
  ) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const settings = this.settings();
    const model = this.activeModel.current;
    if (!settings.hoverEnabled || !model) return undefined;
    // Restricted Mode: predicting loads the model's files, which "Set active model" refuses there; a model chosen
    // while the workspace was trusted waits until it is again.
    if (!vscode.workspace.isTrusted) return undefined;
    if (!isJsonlDocument(document) && !isDelimitedDocument(document) && !settings.hoverLanguages.includes(document.languageId)) return undefined;
    const target = findHoverTarget(document, position, this.selectionIn(document));
    if (!target) return undefined;
    try {
      let info = await this.activeModel.ensureLoaded();
      let labels = info?.labels;
      if (!labels || token.isCancellationRequested) return undefined;
      let prediction: TextPrediction | undefined;
      try {
        prediction = await this.predictCached(model.path, target.text, token);
      } catch (error) {
        // A restarted engine has no model loaded: load it again and retry once.
        if (!isNoActiveModel(error)) throw error;
        this.activeModel.invalidateEngineCopy();
        info = await this.activeModel.ensureLoaded();
        labels = info?.labels;
        if (!labels || token.isCancellationRequested) return undefined;
        prediction = await this.predictCached(model.path, target.text, token);
      }
      if (!prediction || token.isCancellationRequested) return undefined;
      const markdown = new vscode.MarkdownString(
        renderPredictionMarkdown({
          prediction, threshold: abstainThreshold(info?.uncertaintyThresholds, labels, prediction, settings.uncertaintyThreshold), givenLabel: target.givenLabel, givenLabels: target.givenLabels, topK, modelName: model.name, labels,
          notes: target.line !== undefined ? this.lineNotes(document.uri.fsPath, target.line) : [],
        }),
        true,
      );
      return new vscode.Hover(markdown, target.range);
    } catch (error) {
      // A hover must never surface an error popup; the next hover tries again.
      if (isNoActiveModel(error)) this.activeModel.invalidateEngineCopy();
      return undefined;
    }
  }

  /** Registered for every file; `provideHover` filters by the current language setting, so no re-registration is needed. */
  static readonly documentSelector: vscode.DocumentSelector = [{ scheme: 'file' }, { scheme: 'untitled' }];

  private async predictCached(model: string, text: string, token: vscode.CancellationToken): Promise<TextPrediction | undefined> {
    const hit = this.cache.get(model, text);
    if (hit) return hit;
    // Threshold 0: the cache holds raw predictions; UNCERTAIN is applied when rendering, so changing the
    // threshold setting needs no new request.
    const result = await this.predictor.predict({ texts: [text], topK, threshold: 0 }, token);
    const prediction = result.predictions[0];
    if (prediction) this.cache.set(model, text, prediction);
    return prediction;
  }
}

function isNoActiveModel(error: unknown): boolean {
  return !!error && typeof error === 'object' && (error as { code?: unknown }).code === EngineErrorCodes.noActiveModel;
}

/**
 * The abstain threshold of one hover: the active run's threshold for the predicted class when it was picked per class
 * (dashboard, "per class"), else the `uncertaintyThreshold` setting (which follows the active run's single threshold).
 */
export function abstainThreshold(perClass: readonly number[] | undefined, labels: readonly string[], prediction: TextPrediction, setting: number): number {
  if (!perClass) return setting;
  const top = prediction.top[0]?.label;
  const c = top === undefined ? -1 : labels.indexOf(top);
  return c >= 0 && perClass[c] !== undefined ? perClass[c]! : setting;
}
