// What the defaults step shows for the engine's `model/recommend` answer: the model and mode "Start with defaults"
// trains, one line under it (download size and expected time before anything is downloaded, or why the n-gram
// model), and whether the n-gram model is offered as a second one-click start. No vscode import: tests use it as is.
import { describeDownloadSize, describeDuration, type ModelRecommendation } from '../../protocol/modelRecommendation';
import type { TrainMode } from '../../protocol/train';

/** The defaults step's proposal, in the flow's terms. */
export interface DefaultsProposal {
  model: string;
  mode: TrainMode;
  /** One line under "Start with defaults". */
  detail: string;
  /** Offer "Start with the built-in n-gram model" beside it (the proposal is a pretrained model). */
  ngramAlternative: boolean;
}

/** The proposal for an engine recommendation. */
export function proposalFrom(r: ModelRecommendation): DefaultsProposal {
  if (r.source === 'hub') {
    const parts = [
      r.download ? `$(cloud-download) ${describeDownloadSize(r.download.bytes)} download` : undefined,
      r.estimate ? `training ≈ ${describeDuration(r.estimate.seconds)} here (estimate)` : undefined,
      r.data ? `sized for ${r.data.examples.toLocaleString('en-US')} examples, ${r.data.labels} labels, ~${r.data.tokensPerText} tokens` : undefined,
      r.machine ? `${r.machine.cores} cores, ${r.machine.backend}` : undefined,
    ].filter((p): p is string => p !== undefined);
    return { model: r.model, mode: r.mode, detail: `Recommended: ${parts.join(' · ')}. Nothing is downloaded until you start.`, ngramAlternative: true };
  }
  if (r.source === 'local') return { model: r.model, mode: r.mode, detail: `$(folder) ${capitalise(r.reason)}; no download.`, ngramAlternative: true };
  return { model: r.model, mode: r.mode, detail: `$(info) ${capitalise(r.reason)}.`, ngramAlternative: false };
}

/** The proposal when the engine could not be asked: the configured defaults, and why there is no recommendation. */
export function proposalWithout(model: string, mode: TrainMode, why: string): DefaultsProposal {
  return { model, mode, detail: `$(info) ${capitalise(why)}.`, ngramAlternative: false };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
