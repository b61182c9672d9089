// The data of a run, loaded by the one rule every consumer of a TrainConfig uses: the local run (`executeRun`), the
// exported job (`remoteJob/exportJob.ts`: its split files are these splits, written out) and the check of an
// imported result folder (`remoteJob/importRun.ts`: its fingerprint must be these splits' fingerprint).
import { join } from 'node:path';
import type { TrainConfig } from '../../protocol/train';
import { loadDatasetWithReport, type LoadedDataset } from '../data/loadDataset';
import { pickDatasetReadOptions } from '../data/pickDatasetReadOptions';
import { readConfigLabels } from '../models/nn/readConfigLabels';
import { pathExists } from '../pathExists';

/**
 * The splits, label map and fingerprint a run with `config` trains on, and the dataset report.
 * @param config a resolved config (`resolveTrainConfig`): dataset, read options, model, validationSplit, seed.
 * @throws EngineError (invalidDataset) naming file and line, as `loadDatasetWithReport`.
 */
export async function loadRunData(config: Pick<TrainConfig, 'dataset' | 'model' | 'validationSplit' | 'seed' | 'textField' | 'labelField' | 'labelNames' | 'chatContext'>): Promise<LoadedDataset> {
  const modelLabelNames = config.labelNames ? undefined : await namedLabelsOfModelFolder(config.model);
  return loadDatasetWithReport(config.dataset, { ...pickDatasetReadOptions(config), ...(modelLabelNames ? { modelLabelNames } : {}), validationSplit: config.validationSplit, seed: config.seed });
}

/**
 * The id2label names of a local fine-tuned classifier folder, which name integer labels in the data when no
 * label-names list is given (the one rule, `chooseLabelNaming`); undefined for ngram, scratch, hub ids, folders
 * without config.json and placeholder names (LABEL_0…).
 */
async function namedLabelsOfModelFolder(model: string): Promise<string[] | undefined> {
  if (model === 'ngram' || model === 'scratch' || !(await pathExists(join(model, 'config.json')))) return undefined;
  const config = await readConfigLabels(model);
  return config.placeholder ? undefined : config.labels;
}
