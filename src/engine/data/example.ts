import type { SplitSource } from '../../common/runFolder/runRecord';

/** One labelled text, with where it came from so every view can jump back to it. */
export interface Example {
  text: string;
  /**
   * The label as a string (integer labels are mapped through the label-names list, or stringified). In a
   * multi-label dataset this is only for display (the names joined by ", "): read `labels`.
   */
  label: string;
  /** Multi-label datasets only: the example's distinct labels (maybe none). Absent in single-label datasets. */
  labels?: string[];
  /** Absolute path of the source file. */
  file: string;
  /** 1-based line number in that file. */
  line: number;
}

export type SplitName = 'train' | 'validation' | 'test';

/** A dataset ready for training: three splits and the label map shared by all of them. */
export interface DatasetSplits {
  train: Example[];
  validation: Example[];
  test: Example[];
  /** The stable label map: index = label id. Sorted, or the given label-names order. */
  labels: string[];
  /** True when the label field holds lists: every example then has `labels`, and models use sigmoid outputs. Absent = single-label. */
  multiLabel?: boolean;
  /** How the splits were obtained: sibling files, or a stratified split of one file (seed). */
  splitSource: SplitSource;
  /** A content hash of all splits (texts, labels, order): keys caches and goes into run.json. */
  fingerprint: string;
  /** Why a carved split's sizes differ from the asked fractions (`describeSplitShortfall`), when they do. */
  splitNote?: string;
}

/** The labels of `example`: its list in a multi-label dataset, else its one label. */
export function exampleLabels(example: Pick<Example, 'label' | 'labels'>): readonly string[] {
  return example.labels ?? [example.label];
}
