// The engine library's public API: what the RPC binding (rpc/), the CLI (cli/) and the benches import; everything
// else is internal. test/unit/architecture.test.ts checks that the shells reach the library only through this file.

// Errors
export { EngineError, formatEngineError } from './errors';
export { asEngineError } from './fileSystemError';
export { existingFolder, writeFileAtomic, writeJsonAtomic } from './atomicWrite';
export { mulberry32 } from './seededRandom';

// Data
export { loadDataset } from './data/loadDataset';
export { inspectDataset, type InspectOptions } from './data/inspectDataset';
export { readJsonlLines } from './data/jsonlLineReader';
export { exampleLabels, type Example } from './data/example';

// Tokenizers, backends, models and the Hub
export { loadTokenizer } from './tokenizer/loadTokenizer';
export { selectBackend, selectBackendOrFallback } from './backend/selectBackend';
export { enableNativeMatMul } from './backend/nativeMatMul';
export { listCachedModels } from './hub/hfCache';
export { resolveModel } from './hub/modelSource';
export { validateModelFolder } from './hub/modelFolder';
export { readSafetensorsHeader } from './tensorFiles/safetensors';
export { readPytorchBin } from './tensorFiles/pytorchBin';
export { readHeadInfo, type HeadInfo } from './classifier/headAlignment';
export { readConfigLabels } from './models/nn/readConfigLabels';
export { checkEncoderConfig, createClassifier, supportedModelTypes } from './classifier/createClassifier';
export type { TrainableClassifier, ModelDescription } from './classifier/trainableClassifier';
export { createBertClassifier } from './models/bert/bertClassifier';
export { createNgramClassifier, DEFAULT_NGRAM_OPTIONS } from './models/ngram/ngramClassifier';
export { NgramModel } from './models/ngram/ngramModel';

// Training runs
export { trainRun, trainPreparedRun, resumeRun, prepareRun, type RunOptions, type RunResult, type RunMetricsFile } from './train/runTraining';
export { resolveTrainConfig, defaultNgramEpochs } from './train/resolveTrainConfig';
export { chooseDefaultModel, type DefaultModelChoice } from './train/chooseDefaultModel';
export { defaultRunsDir } from './train/runId';
export { loadRunData } from './train/loadRunData';

// The default model a dataset gets here: a local pretrained folder, a recommended Hub model sized for the data and
// the machine (download size and expected time before any download), or n-gram with the reason
export { recommendModel, defaultCandidates, type RecommendOptions } from './recommend/recommendModel';
export { offlineReason, listRepoFiles, fetchRepoConfig, filesToDownload, HubUnavailable } from './hub/hubListing';

// Runs elsewhere: a training job for Hugging Face Trainer + accelerate, and its result folder brought back
export { exportTrainingJob, splitFileText, type ExportJobOptions, type ExportedJob, type JobDescription, type JobTopology } from './remoteJob/exportJob';
export { importRunFolder, type ImportRunOptions, type ImportedRun } from './remoteJob/importRun';

// Runs on disk
export { listRuns, readRun, writeRun, deleteRun, markInterrupted, setUncertaintyThreshold, summarizeRun, effectiveRunState } from './runs/runStore';
export { runPaths, type RunRecord, type EpochSummary } from '../common/runFolder/runRecord';
export { exportRun, type ExportRunOptions } from './runs/exportRun';

// Metrics and reports
export { computeMetrics } from './metrics/classificationMetrics';
export { labelWithThreshold, UNCERTAIN } from './metrics/uncertainLabel';
export { THRESHOLD_GRID } from './metrics/multiLabelMetrics';
export { formatClassRates, formatMetricsTable } from './report/formatMetricsTable';

// Prediction
export { loadPredictor } from './predict/loadPredictor';
export { predictTexts, toTextPrediction } from './predict/predictTexts';
export { evaluateFile, type FileEvaluation } from './predict/evaluateFile';
export { evaluationOverlap, type EvaluationOverlap } from './train/evaluationOverlap';
export { runAbstainThreshold, type Predictor } from './predict/predictor';

// Label issues (confident learning on out-of-fold probabilities)
export { findLabelIssuesInDataset, defaultRepeats, type FindLabelIssuesInDatasetOptions } from './labelIssues/findLabelIssuesInDataset';
export { detectLabelIssues, type DetectLabelIssuesOptions } from './labelIssues/detectLabelIssues';
export { findLabelIssues, type FilterBy, type FindLabelIssuesOptions, type LabelIssueCandidate } from './labelIssues/findIssues';
export { computeOutOfFoldProbs, type FoldClassifierFactory, type OutOfFoldOptions, type OutOfFoldProgress, type OutOfFoldResult } from './labelIssues/outOfFoldProbs';
export { createFoldClassifierFactory } from './labelIssues/foldClassifierFactory';
export { createEncoderJudge, type EncoderJudge, type EncoderJudgeOptions } from './labelIssues/encoderJudge';
export { EmbeddingHeadClassifier, defaultEmbeddingHeadSettings, type EmbeddingHeadSettings, type TextVectors } from './labelIssues/embeddingHead';
export { computeConfidentJoint, computeClassThresholds, type ConfidentJoint } from './labelIssues/confidentJoint';
export { assessReliability, reliabilityBar } from './labelIssues/reliability';
export { computeLabelQualityScores, type RankBy } from './labelIssues/scores';
export { findDuplicateGroups, normalizeText, type DuplicateGroup } from './labelIssues/duplicates';
export { findMultiLabelIssues, multiLabelFilterRules, type FindMultiLabelIssuesOptions, type MultiLabelFilterBy, type MultiLabelIssueCandidate } from './labelIssues/multiLabel/findMultiLabelIssues';
export { detectMultiLabelIssues, keyedByRarestLabel, type DetectMultiLabelIssuesOptions } from './labelIssues/multiLabel/detectMultiLabelIssues';
export { assessMultiLabelReliability } from './labelIssues/multiLabel/multiLabelReliability';

// Active learning (what to label next)
export { uncertaintyScores, uncertaintyMeasures, type UncertaintyMeasure } from './activeLearning/uncertainty';
export { selectBatch, kCenterGreedy, type SelectBatchOptions } from './activeLearning/selectBatch';
export { suggestLinesToLabel, DEFAULT_SUGGESTIONS } from './activeLearning/suggestLines';
export { readUnlabeledTexts, type UnlabeledPool, type UnlabeledText } from './activeLearning/readUnlabeledTexts';
