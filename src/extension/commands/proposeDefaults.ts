// The model "Start with defaults" proposes for a dataset: the configured `defaultModel` when the user set one,
// else the engine's recommendation (`model/recommend`: a local pretrained model, a recommended Hub model with its
// download size and expected training time, or the n-gram model with the reason). The engine decides; this only
// asks, with a cancellable progress notification, and turns a failure into the configured defaults plus why.
import * as vscode from 'vscode';
import type { DatasetReport } from '../../protocol/dataset';
import { datasetFactsOf, ModelRecommend } from '../../protocol/modelRecommendation';
import { proposalFrom, proposalWithout, type DefaultsProposal } from '../quickPick/defaultsProposal';
import { isDefaultModelSet, type WorkbenchSettings } from '../settings';
import type { WorkbenchServices } from './workbenchServices';

/**
 * @returns the proposal, or undefined when the user configured the default model (it is used as it is)
 */
export async function proposeDefaults(s: WorkbenchServices, uri: vscode.Uri, settings: WorkbenchSettings, report: DatasetReport, configured = isDefaultModelSet()): Promise<DefaultsProposal | undefined> {
  if (configured) return undefined;
  const h = settings.hyperparameters;
  try {
    const recommendation = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Choosing a default model (asking the Hugging Face Hub)…'), cancellable: true },
      (_progress, token) => s.engine.request(ModelRecommend.type, {
        // The file was inspected just before: the engine gets what it found rather than reading the file again.
        path: uri.fsPath, ...settings.dataset, facts: datasetFactsOf(report), maxLength: h.maxLength, validationSplit: h.validationSplit, backend: settings.backend,
        ...(h.epochs !== null ? { epochs: h.epochs } : {}), ...(h.batchSize !== null ? { batchSize: h.batchSize } : {}),
      }, token),
    );
    return proposalFrom(recommendation);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return proposalWithout(settings.defaultModel, settings.defaultMode, `no recommendation (${detail.split('\n')[0]}): the configured default model`);
  }
}
