/**
 * The model `model/predict` answers with: loaded once by `model/setActive`, kept on the RPC thread so
 * predictions answer promptly while training runs in a worker.
 */
import { EngineErrorCodes } from '../../protocol/errors';
import type { ActiveModelInfo, ModelPredictParams, ModelPredictResult, TextPrediction } from '../../protocol/model';
import { EngineError } from '../errors';
import { labelWithThreshold } from '../metrics/uncertainLabel';
import type { ActivePredictor, EngineLibrary } from './engineLibrary';

export class ActiveModel {
  private current: { path: string; predictor: ActivePredictor } | undefined;

  constructor(private readonly library: EngineLibrary) {}

  /** Load a run folder or model folder and make it the active model (the previous one is released). */
  async set(path: string): Promise<ActiveModelInfo> {
    const predictor = await this.library.loadPredictor(path);
    this.current?.predictor.dispose?.();
    this.current = { path, predictor };
    return { path, labels: [...predictor.labels] };
  }

  get info(): ActiveModelInfo | undefined {
    return this.current && { path: this.current.path, labels: [...this.current.predictor.labels] };
  }

  /**
   * Probabilities, top-k labels and the thresholded label for each text.
   * @throws EngineError(noActiveModel) before `set` succeeded.
   */
  async predict(params: ModelPredictParams): Promise<ModelPredictResult> {
    if (!this.current) throw new EngineError(EngineErrorCodes.noActiveModel, 'No active model: pick a run or model folder with "Set active model" first.');
    const { path, predictor } = this.current;
    const labels = [...predictor.labels];
    const K = labels.length;
    const topK = Math.min(params.topK ?? 3, K);
    const probs = await predictor.predictProbs(params.texts); // [texts × K]
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
    return { model: path, labels, predictions };
  }

  dispose(): void {
    this.current?.predictor.dispose?.();
    this.current = undefined;
  }
}
