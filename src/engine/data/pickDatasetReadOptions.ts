// Copies the dataset-reading options out of a bigger object (a TrainConfig, request params), so every caller
// passes all of them, including ones added later, to the data layer.
import type { DatasetReadOptions } from '../../protocol/dataset';

/** The `DatasetReadOptions` fields of `source` that are set. */
export function pickDatasetReadOptions(source: DatasetReadOptions): DatasetReadOptions {
  const picked: DatasetReadOptions = {};
  if (source.textField !== undefined) picked.textField = source.textField;
  if (source.labelField !== undefined) picked.labelField = source.labelField;
  if (source.labelNames !== undefined) picked.labelNames = source.labelNames;
  if (source.chatContext !== undefined) picked.chatContext = source.chatContext;
  if (source.labelDelimiter !== undefined) picked.labelDelimiter = source.labelDelimiter;
  return picked;
}
