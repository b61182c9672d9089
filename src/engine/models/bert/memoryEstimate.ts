// BERT's (and its relatives') training-memory plan: the parameter counts from the config, planned by the shared
// encoder arithmetic (nn/trainingMemory.ts).
import type { BertConfig } from './bertConfig';
import { bertParamShapes, type LoraSettings } from './bertParams';
import { jsEmbeddings } from './bertCompute';
import { planEncoderMemory, type EncoderPlanInput, type MemoryPlan, type ParameterCounts, type TrainMode } from '../nn/trainingMemory';

export { describeMemoryPlan, memoryBudget, wasmHeapBudget, type MemoryPlan, type TrainMode } from '../nn/trainingMemory';

/** The shared plan's input (nn/trainingMemory.ts), with the config, label count and adapters to count parameters from. */
export interface MemoryPlanInput extends Omit<EncoderPlanInput, 'sizes'> {
  cfg: BertConfig;
  numLabels: number;
  lora?: LoraSettings;
}

/** Parameters of the model and of the part that trains in `mode`. */
export function countParameters(cfg: BertConfig, numLabels: number, mode: TrainMode, lora?: LoraSettings): ParameterCounts {
  const shapes = bertParamShapes(cfg, numLabels, mode === 'lora' ? lora : undefined);
  const size = (s: { shape: number[] }): number => s.shape.reduce((a, b) => a * b, 1);
  const isHead = (n: string): boolean => n.startsWith('classifier.');
  const trains = (n: string): boolean => (mode === 'full' ? !n.includes('lora_') : mode === 'lora' ? n.includes('lora_') || isHead(n) : isHead(n));
  let all = 0;
  let base = 0;
  let trainable = 0;
  let tfjs = 0;
  let layer = 0;
  for (const s of shapes) {
    const n = size(s);
    all += n;
    if (!s.name.includes('lora_')) base += n;
    if (trains(s.name)) trainable += n;
    if (!jsEmbeddings.has(s.name)) tfjs += n;
    if (s.name.startsWith('encoder.layer.0.')) layer += n;
  }
  return { all, base, trainable, tfjs, layer };
}

/** The memory plan of a BERT-family training run (nn/trainingMemory.ts); other modes are judged with `lora` or rank 8 on query and value. */
export function planTrainingMemory(input: MemoryPlanInput): MemoryPlan {
  const { cfg, numLabels } = input;
  const otherLora = input.lora ?? { rank: 8, alpha: 16, dropout: 0.1, targets: ['query', 'value'] };
  return planEncoderMemory({
    ...input,
    sizes: (mode) => ({
      numLayers: cfg.numLayers, hiddenSize: cfg.hiddenSize, numHeads: cfg.numHeads, params: countParameters(cfg, numLabels, mode, mode === input.mode ? input.lora : otherLora),
      // q, k, v, the attention output, the feed-forward's up and down products (encoder.ts `dense`).
      productFloatsPerToken: 5 * cfg.hiddenSize + cfg.intermediateSize,
    }),
  });
}
