/**
 * The model `model/predict` answers with: loaded once by `model/setActive`, kept on the RPC thread so
 * predictions answer promptly while training runs in a worker.
 */
import { EngineErrorCodes } from '../../protocol/errors';
import type { ActiveModelInfo, ModelPredictParams, ModelPredictResult, TextPrediction } from '../../protocol/model';
import { EngineError } from '../errors';
import { labelWithThreshold } from '../metrics/uncertainLabel';
import type { ActivePredictor, EngineLibrary } from './engineLibrary';

/** A loaded predictor and the predictions still using it (it is released only when they are done). */
interface Loaded {
  path: string;
  predictor: ActivePredictor;
  inUse: number;
  retired: boolean;
}

export class ActiveModel {
  private current: Loaded | undefined;
  /** Bumped by every `set`, so a slow load that a later `set` overtook does not win. */
  private generation = 0;

  constructor(private readonly library: EngineLibrary) {}

  /** Load a run folder or model folder and make it the active model (the previous one is released). */
  async set(path: string): Promise<ActiveModelInfo> {
    const generation = ++this.generation;
    const predictor = await this.library.loadPredictor(path);
    const loaded: Loaded = { path, predictor, inUse: 0, retired: false };
    if (generation !== this.generation) {
      this.retire(loaded);
      throw new EngineError(EngineErrorCodes.cancelled, `Loading ${path} was overtaken by a later "set active model".`, { file: path });
    }
    if (this.current) this.retire(this.current);
    this.current = loaded;
    return { path, labels: [...predictor.labels] };
  }

  /**
   * Probabilities, top-k labels and the thresholded label for each text.
   * @throws EngineError(noActiveModel) before `set` succeeded.
   */
  async predict(params: ModelPredictParams): Promise<ModelPredictResult> {
    const loaded = this.current;
    if (!loaded) throw new EngineError(EngineErrorCodes.noActiveModel, 'No active model: pick a run or model folder with "Set active model" first.');
    const labels = [...loaded.predictor.labels];
    const K = labels.length;
    const topK = Math.min(params.topK ?? 3, K);
    loaded.inUse++;
    let probs: Float32Array; // [texts × K]
    try {
      probs = await loaded.predictor.predictProbs(params.texts);
    } finally {
      loaded.inUse--;
      if (loaded.retired) this.retire(loaded);
    }
    const predictions: TextPrediction[] = params.texts.map((_, i) => {
      const row = Array.from(probs.subarray(i * K, (i + 1) * K));
      const order = row.map((p, c) => ({ label: labels[c]!, probability: p })).sort((a, b) => b.probability - a.probability);
      return {
        label: labelWithThreshold(row, labels, params.threshold ?? 0),
        confidence: order[0]?.probability ?? 0,
        top: order.slice(0, topK),
        probabilities: row,
      };
    });
    return { model: loaded.path, labels, predictions };
  }

  dispose(): void {
    if (this.current) this.retire(this.current);
    this.current = undefined;
  }

  /** Release a predictor once no prediction uses it any more (tfjs weights must not vanish mid-predict). */
  private retire(loaded: Loaded): void {
    loaded.retired = true;
    if (loaded.inUse === 0) loaded.predictor.dispose?.();
  }
}
