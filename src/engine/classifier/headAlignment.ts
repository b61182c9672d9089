// Matches a checkpoint's classification head to the labels it is used with, by name, for every model family:
// a fine-tuned folder's `id2label` names the rows of its head, and a run's labels are sorted (or in label-names
// order), so using rows by position silently swaps classes (case c10b_head_label_order). Rows are reordered to
// the run's labels, rows for labels the head lacks are initialised, and the mapping is said in one sentence.

/**
 * The head tensors whose first dimension is one row per label, by `model_type`, with Hugging Face names (a
 * family's `*ForSequenceClassification`). Families whose head ends in `classifier.out_proj` (RoBERTa, ELECTRA)
 * differ only in the names; a new family adds its `model_type` here and gets matching by name for free.
 */
const headOutputTensors: Record<string, readonly string[]> = {
  bert: ['classifier.weight', 'classifier.bias'],
  distilbert: ['classifier.weight', 'classifier.bias'],
  'deberta-v2': ['classifier.weight', 'classifier.bias'],
  modernbert: ['classifier.weight', 'classifier.bias'],
  roberta: ['classifier.out_proj.weight', 'classifier.out_proj.bias'],
  'xlm-roberta': ['classifier.out_proj.weight', 'classifier.out_proj.bias'],
  camembert: ['classifier.out_proj.weight', 'classifier.out_proj.bias'],
  electra: ['classifier.out_proj.weight', 'classifier.out_proj.bias'],
};

/** The per-label head tensors of `modelType` (the BERT names for a type not listed). */
export function headRowTensors(modelType: string): readonly string[] {
  return headOutputTensors[modelType] ?? headOutputTensors.bert!;
}

/** What a folder's config.json says about its labels. */
export interface ConfigLabels {
  /** `id2label` in id order, when it names every id 0..K-1. */
  labels?: string[];
  /** The names are Hugging Face's placeholders (`LABEL_0`, `LABEL_1`, ...): the head's rows have no real names. */
  placeholder: boolean;
  modelType: string;
}

/**
 * The labels of a parsed config.json.
 * @param raw the parsed config (its `model_type` is read here).
 * @param id2label its `id2label` in id order, already checked by the caller (`labelsFromId2label`), or undefined.
 */
export function configLabels(raw: Record<string, unknown>, id2label: string[] | undefined): ConfigLabels {
  const modelType = typeof raw.model_type === 'string' ? raw.model_type : 'bert';
  if (!id2label || id2label.length === 0) return { placeholder: false, modelType };
  return { labels: id2label, placeholder: id2label.every((l, i) => l === `LABEL_${i}`), modelType };
}

/** `LABEL_0` … `LABEL_{k-1}`: the names Hugging Face gives rows that have none. */
export function placeholderLabels(k: number): string[] {
  return Array.from({ length: k }, (_, i) => `LABEL_${i}`);
}

/** How a head's rows become the rows for `labels`. */
export interface HeadAlignment {
  /** For each label id, the checkpoint row it takes, or -1 for a new (initialised) row. Length = labels.length. */
  rowOf: Int32Array;
  /** `name`: matched by id2label name; `position`: the head's names are placeholders, rows kept in order. */
  by: 'name' | 'position';
  /** Labels with no row in the checkpoint (initialised). */
  added: string[];
  /** Checkpoint labels the run does not have (their rows are dropped). */
  dropped: string[];
  /** Whether any kept row moved. */
  reordered: boolean;
}

/**
 * Matches the rows of a head named `headLabels` (its id2label, in row order) to `labels`.
 * Placeholder names (`LABEL_i`) carry no meaning: rows are then kept by position when the counts agree, and the
 * whole head is new when they do not.
 */
export function alignHeadRows(headLabels: readonly string[], placeholder: boolean, labels: readonly string[]): HeadAlignment {
  const rowOf = new Int32Array(labels.length).fill(-1);
  if (placeholder) {
    if (headLabels.length === labels.length) rowOf.forEach((_, i) => { rowOf[i] = i; });
    return { rowOf, by: 'position', added: rowOf[0] === -1 ? [...labels] : [], dropped: [], reordered: false };
  }
  const rowByName = new Map(headLabels.map((l, i) => [l, i]));
  labels.forEach((l, i) => { rowOf[i] = rowByName.get(l) ?? -1; });
  const kept = new Set(labels);
  return {
    rowOf,
    by: 'name',
    added: labels.filter((_, i) => rowOf[i] === -1),
    dropped: headLabels.filter((l) => !kept.has(l)),
    reordered: labels.some((_, i) => rowOf[i] !== -1 && rowOf[i] !== i),
  };
}

/** One sentence for the run's log, or undefined when the head is used as it is. */
export function describeHeadAlignment(a: HeadAlignment, labels: readonly string[]): string | undefined {
  const identity = !a.reordered && a.added.length === 0 && a.dropped.length === 0 && a.rowOf.length > 0 && a.rowOf[0] !== -1;
  if (identity) return undefined;
  if (a.added.length === labels.length) return `The checkpoint's classifier head has no rows for these labels: a new head is initialised for ${labels.join(', ')}.`;
  const parts: string[] = [];
  if (a.by === 'name') parts.push(`Classifier head matched to the labels by name (id2label): ${labels.map((l, i) => (a.rowOf[i]! >= 0 ? `${l} ← row ${a.rowOf[i]}` : `${l} ← new row`)).join(', ')}`);
  if (a.added.length > 0) parts.push(`new rows initialised for ${a.added.join(', ')}`);
  if (a.dropped.length > 0) parts.push(`rows of ${a.dropped.join(', ')} (not in the data) dropped`);
  return `${parts.join('; ')}.`;
}

/** A tensor as Hugging Face stores it: row-major data, PyTorch shape (`[out, in]` for a linear weight). */
export interface RowTensor {
  shape: number[];
  data: Float32Array;
}

/**
 * Rewrites the per-label head tensors in `tensors` (in place) to the rows of `alignment`: kept rows are copied
 * from their checkpoint row, new rows of a weight are drawn from N(0, `std`²) (`normal`: a seeded standard normal)
 * and new bias entries are 0, as Hugging Face's `_init_weights` does for a new Linear (std = `initializer_range`).
 * @returns false when a tensor's first dimension does not match the head's label count (a head of another
 * shape: the caller reports it), true otherwise.
 */
export function remapHeadRows(tensors: Map<string, RowTensor>, names: readonly string[], headRows: number, alignment: HeadAlignment, std: number, normal: () => number): boolean {
  for (const name of names) {
    const t = tensors.get(name);
    if (!t) continue;
    if (t.shape[0] !== headRows) return false;
    const rowSize = t.data.length / headRows;
    const out = new Float32Array(alignment.rowOf.length * rowSize);
    alignment.rowOf.forEach((row, i) => {
      if (row >= 0) out.set(t.data.subarray(row * rowSize, (row + 1) * rowSize), i * rowSize);
      else if (t.shape.length > 1) for (let j = 0; j < rowSize; j++) out[i * rowSize + j] = std * normal();
    });
    tensors.set(name, { shape: [alignment.rowOf.length, ...t.shape.slice(1)], data: out });
  }
  return true;
}

/** What a model folder's weights and config say about its classification head. */
export interface HeadInfo {
  /** The head's row tensor (e.g. `classifier.weight`) is in the weights. */
  hasHead: boolean;
  /** Rows of that tensor (labels the head was trained for), when present. */
  rows?: number;
  /** Label names in row order: id2label, or `LABEL_i` placeholders when it has none. */
  labels: string[];
  /** The names are placeholders (`LABEL_i`, written or implied). */
  placeholder: boolean;
  /** The head's tensor name looked for. */
  tensor: string;
}

/**
 * Describes the head of a model from headers only (its config labels, its weights' tensor shapes).
 * @param weightFiles the folder's safetensors files (`validateModelFolder(dir).weightFiles`).
 * @param readTensorShapes tensor name → shape of one weights file (a safetensors header reader).
 */
export async function readHeadInfo(config: ConfigLabels, weightFiles: readonly string[], readTensorShapes: (file: string) => Promise<Map<string, { shape: number[] }>>): Promise<HeadInfo> {
  const tensor = headRowTensors(config.modelType)[0]!;
  let rows: number | undefined;
  for (const file of weightFiles) {
    const found = (await readTensorShapes(file)).get(tensor);
    if (found) rows = found.shape[0];
  }
  const labels = config.labels ?? (rows === undefined ? [] : placeholderLabels(rows));
  return { hasHead: rows !== undefined, ...(rows === undefined ? {} : { rows }), labels, placeholder: config.labels === undefined || config.placeholder, tensor };
}
