// The engine library's public API: what the RPC server, the CLI and scripts call. Everything else is internal.
// Others add their export lines here as their modules land.

// Training runs
export { trainRun, resumeRun, prepareRun, type RunOptions, type RunResult, type RunMetricsFile } from './train/runTraining';
export { resolveTrainConfig, defaultNgramEpochs } from './train/resolveTrainConfig';
export { chooseDefaultModel, type DefaultModelChoice } from './train/chooseDefaultModel';
export { createClassifier } from './classifier/createClassifier';
export type { TrainableClassifier, ModelDescription } from './classifier/trainableClassifier';

// Runs on disk
export { listRuns, readRun, writeRun, deleteRun, markInterrupted, summarizeRun } from './runs/runStore';
export { runPaths, type RunRecord, type EpochSummary } from '../common/runFolder/runRecord';
export { exportRun } from './runs/exportRun';
export { writeFileAtomic, writeJsonAtomic } from './atomicWrite';

// Metrics
export { computeMetrics } from './metrics/classificationMetrics';
export { labelWithThreshold, UNCERTAIN } from './metrics/uncertainLabel';

// Prediction
export { loadPredictor } from './predict/loadPredictor';
export { predictTexts } from './predict/predictTexts';
export { evaluateFile, type FileEvaluation } from './predict/evaluateFile';
export type { Predictor } from './predict/predictor';

// The built-in n-gram model
export { createNgramClassifier, DEFAULT_NGRAM_OPTIONS } from './models/ngram/ngramClassifier';
export { NgramModel } from './models/ngram/ngramModel';

// Label issues (confident learning on out-of-fold probabilities)
export { findLabelIssuesInDataset, type FindLabelIssuesInDatasetOptions } from './labelIssues/findLabelIssuesInDataset';
export { detectLabelIssues, type DetectLabelIssuesOptions } from './labelIssues/detectLabelIssues';
export { findLabelIssues, type FilterBy, type FindLabelIssuesOptions, type LabelIssueCandidate } from './labelIssues/findIssues';
export { computeOutOfFoldProbs, type FoldClassifierFactory, type OutOfFoldOptions, type OutOfFoldProgress, type OutOfFoldResult } from './labelIssues/outOfFoldProbs';
export { createFoldClassifierFactory } from './labelIssues/foldClassifierFactory';
export { computeConfidentJoint, computeClassThresholds, type ConfidentJoint } from './labelIssues/confidentJoint';
export { computeLabelQualityScores, type RankBy } from './labelIssues/scores';
export { findDuplicateGroups, normalizeText, type DuplicateGroup } from './labelIssues/duplicates';

// Data
export { loadDataset } from './data/loadDataset';
export { inspectDataset } from './data/inspectDataset';
export { EngineError } from './errors';
