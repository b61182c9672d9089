/**
 * The model `model/predict` answers with: loaded once by `model/setActive` in its own thread (`predictorThread.ts`),
 * so a model folder that makes loading or predicting fail, even by running out of memory, costs that thread only:
 * the engine, its queue and a training run keep going, and the request gets a clear error.
 */
import { isSameOrInside } from '../../common/isSameOrInside';
import { EngineErrorCodes } from '../../protocol/errors';
import type { ActiveModelInfo, ModelPredictParams, ModelPredictResult, TextPrediction } from '../../protocol/model';
import type { BackendName } from '../../protocol/train';
import { EngineError, toTextPrediction } from '../index';
import type { SerializedEngineError } from './rpcErrors';
import { startPredictorThread, type PredictorFailure, type PredictorModelInfo, type PredictorThread } from './predictorThread';

/** A loaded model and the predictions still using it (it is released only when they are done). */
interface Loaded {
  path: string;
  labels: string[];
  /** Multi-label models: per-label decision thresholds. */
  thresholds?: number[];
  /** A run's abstain threshold and per-class thresholds, when the user picked them. */
  uncertaintyThreshold?: number;
  uncertaintyThresholds?: number[];
  thread: PredictorThread;
  inUse: number;
  retired: boolean;
}

/** Starts the thread that loads and serves one model (tests pass a smaller heap cap). */
export type StartPredictor = (path: string, backend: 'auto' | BackendName) => PredictorThread;

/** Turns a predictor thread's failure into the error the request answers with. */
function toError(failure: PredictorFailure, path: string, doing: string): Error {
  if (failure.kind === 'died') {
    return new EngineError(EngineErrorCodes.invalidModel, `${doing} failed: ${failure.message}. The engine is still running; pick another model.`, { file: path });
  }
  const { code, message, data } = failure.error;
  // An EngineError (or InvalidParams) from the thread keeps its code and data; anything else stays internal.
  if (code === EngineErrorCodes.internal) return new Error(message);
  return Object.assign(new Error(message), { code, data }) as Error & SerializedEngineError;
}

export class ActiveModel {
  private current: Loaded | undefined;
  /** Bumped by every `set`, so a slow load that a later `set` overtook does not win. */
  private generation = 0;
  /** Set by `initialize`: the backend predictions use. */
  backend: 'auto' | BackendName = 'auto';

  constructor(private readonly start: StartPredictor = startPredictorThread, private readonly log: (message: string) => void = () => undefined) {}

  /** Load a run folder or model folder and make it the active model (the previous one is released). */
  async set(path: string): Promise<ActiveModelInfo> {
    const generation = ++this.generation;
    const thread = this.start(path, this.backend);
    let info: PredictorModelInfo;
    try {
      info = await thread.ready;
    } catch (failure) {
      thread.dispose();
      throw toError(failure as PredictorFailure, path, `Loading the model in ${path}`);
    }
    const { labels, thresholds, uncertaintyThreshold, uncertaintyThresholds } = info;
    const loaded: Loaded = { path, labels, thresholds, uncertaintyThreshold, uncertaintyThresholds, thread, inUse: 0, retired: false };
    if (generation !== this.generation) {
      this.retire(loaded);
      throw new EngineError(EngineErrorCodes.cancelled, `Loading ${path} was overtaken by a later "set active model".`, { file: path });
    }
    thread.onDeath((message) => {
      this.log(`the active model ${path} stopped: ${message}`);
      if (this.current === loaded) this.current = undefined;
    });
    if (this.current) this.retire(this.current);
    this.current = loaded;
    return {
      path, labels: [...labels], ...(thresholds ? { thresholds: [...thresholds] } : {}),
      ...(uncertaintyThreshold !== undefined ? { uncertaintyThreshold } : {}),
      ...(uncertaintyThresholds ? { uncertaintyThresholds: [...uncertaintyThresholds] } : {}),
    };
  }

  /**
   * Probabilities, top-k labels and the thresholded label for each text.
   * @throws EngineError(noActiveModel) before `set` succeeded, or after the model's thread died.
   */
  async predict(params: ModelPredictParams): Promise<ModelPredictResult> {
    const loaded = this.current;
    if (!loaded) throw new EngineError(EngineErrorCodes.noActiveModel, 'No active model: pick a run or model folder with "Set active model" first.');
    const labels = [...loaded.labels];
    const K = labels.length;
    const topK = Math.min(params.topK ?? 3, K);
    loaded.inUse++;
    let probs: Float32Array; // [texts × K]
    try {
      probs = await loaded.thread.predict(params.texts);
    } catch (failure) {
      throw toError(failure as PredictorFailure, loaded.path, `Predicting with ${loaded.path}`);
    } finally {
      loaded.inUse--;
      if (loaded.retired) this.retire(loaded);
    }
    const predictions: TextPrediction[] = params.texts.map((_, i) => toTextPrediction(probs.subarray(i * K, (i + 1) * K), labels, { topK, threshold: params.threshold, thresholds: loaded.thresholds }));
    return { model: loaded.path, labels, predictions, ...(loaded.thresholds ? { thresholds: [...loaded.thresholds] } : {}) };
  }

  /**
   * Releases the active model if it was loaded from `folder` or from inside it (its run is being deleted):
   * predictions then fail with noActiveModel instead of answering from a model that no longer exists.
   * @returns whether a model was released
   */
  releaseFrom(folder: string): boolean {
    const loaded = this.current;
    if (!loaded || !isSameOrInside(loaded.path, folder)) return false;
    this.generation++;
    this.current = undefined;
    this.retire(loaded);
    this.log(`the active model ${loaded.path} was released: its folder ${folder} is being deleted`);
    return true;
  }

  dispose(): void {
    if (this.current) this.retire(this.current);
    this.current = undefined;
  }

  /** Release a model once no prediction uses it any more (its weights must not vanish mid-predict). */
  private retire(loaded: Loaded): void {
    loaded.retired = true;
    if (loaded.inUse === 0) loaded.thread.dispose();
  }
}
