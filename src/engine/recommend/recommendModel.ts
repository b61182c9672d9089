// Which base model "Start with defaults" proposes: a pretrained folder already here; else, when the Hub can be
// used, the largest recommended small encoder expected to train within the time budget on this data and this
// machine (its download size from the Hub's file listing, its time from its config and a measured product rate);
// else the built-in n-gram model, with the reason in one line. The RPC (`model/recommend`), the CLI
// (`classifier-workbench recommend`) and so the extension's defaults step all ask this one function.
import { availableParallelism, totalmem } from 'node:os';
import { basename, resolve } from 'node:path';
import type { ModelRecommendation, ModelRecommendParams, RecommendationData, RecommendationMachine, TrainingEstimate } from '../../protocol/modelRecommendation';
import { datasetFactsOf, describeDuration, type DatasetFacts } from '../../protocol/modelRecommendation';
import { recommendedModels, type RecommendedModel } from '../../protocol/recommendedModels';
import { TRANSFORMER_DEFAULTS } from '../../protocol/trainDefaults';
import { EngineErrorCodes } from '../../protocol/errors';
import type { TrainMode } from '../../protocol/train';
import { EngineError } from '../errors';
import { inspectDataset } from '../data/inspectDataset';
import { pickDatasetReadOptions } from '../data/pickDatasetReadOptions';
import { fetchRepoConfig, filesToDownload, HubUnavailable, listRepoFiles, offlineReason, type RepoFile } from '../hub/hubListing';
import { bertFamilyModelTypes, parseBertConfig, type BertConfig } from '../models/bert/bertConfig';
import { memoryBudget, planTrainingMemory, type MemoryPlan } from '../models/bert/memoryEstimate';
import { chooseDefaultModel } from '../train/chooseDefaultModel';
import { measureProductRate, type ProductRate } from './productRate';
import { expectedSeconds, runFlops, type EstimateData } from './trainingEstimate';

/** The RPC's parameters (protocol/modelRecommendation.ts, documented there) without the path, and what only callers in process pass. */
export interface RecommendOptions extends Omit<ModelRecommendParams, 'path'> {
  /** HF_ENDPOINT, HF_TOKEN, the offline variables and the hub cache; default process.env. */
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** The product-rate probe (tests may pass a fixed one); default `measureProductRate`. */
  measureRate?: typeof measureProductRate;
}

/** Epochs and batch size of a pretrained transformer come from the engine's one table (protocol/trainDefaults.ts). */
const defaults = { maxLength: 128, epochs: TRANSFORMER_DEFAULTS.epochs, batchSize: TRANSFORMER_DEFAULTS.batchSize, validationSplit: 0.1, timeoutMs: 3000, timeBudgetSeconds: 1200 };

/**
 * Candidates for the default, smallest first: the curated models the engine trains as published, of the BERT
 * encoder family (whose memory plan and FLOPs come from config.json alone), for English in general (the
 * tweet-tuned and multilingual ones are choices a user makes, not defaults).
 */
export function defaultCandidates(): RecommendedModel[] {
  const family = new Set(bertFamilyModelTypes());
  return recommendedModels.filter((m) => m.usable && family.has(m.modelType) && m.languages === 'English').sort((a, b) => a.parametersM - b.parametersM);
}

/**
 * The default model for training on `datasetPath` here. Never throws for network trouble: offline, unreachable
 * or slow Hubs give the n-gram model with the reason; at most ~4 × `timeoutMs` is spent on the network.
 * @throws EngineError(invalidDataset) when the file cannot be trained on (the reason from `inspect`), or
 *   cannot be read; (cancelled) when `signal` aborts
 */
export async function recommendModel(datasetPath: string, options: RecommendOptions = {}): Promise<ModelRecommendation> {
  const env = options.env ?? process.env;
  const local = await chooseDefaultModel(datasetPath, undefined, env);
  if (local.model !== 'ngram') return { model: local.model, source: 'local', mode: 'full', reason: local.reason };

  const offline = options.offline ? 'offline mode is on' : offlineReason(env);
  if (offline) return ngram(`offline (${offline}): the built-in n-gram model, which needs no download`);

  const maxLength = options.maxLength ?? defaults.maxLength;
  const facts = options.facts ? checkFacts(options.facts) : await inspectFacts(datasetPath, options, maxLength);
  const split = dataSplit(facts, options.validationSplit ?? defaults.validationSplit, maxLength);
  const data: RecommendationData = {
    examples: facts.examples, labels: facts.labels, trainExamples: split.trainExamples,
    evalExamples: split.validationExamples + split.testExamples, tokensPerText: split.tokensPerText,
  };
  const endpoint = (env.HF_ENDPOINT || 'https://huggingface.co').replace(/\/+$/, '');
  const token = env.HF_TOKEN || undefined;
  const timeoutMs = options.timeoutMs ?? defaults.timeoutMs;
  const budget = options.timeBudgetSeconds ?? defaults.timeBudgetSeconds;
  const epochs = options.epochs ?? defaults.epochs;
  const batchSize = options.batchSize ?? defaults.batchSize;
  const cores = availableParallelism();
  const memory = memoryBudget(totalmem(), env);
  const measure = options.measureRate ?? measureProductRate;
  const rates = new Map<string, ProductRate>();
  const deadline = Date.now() + 4 * timeoutMs;

  let best: ModelRecommendation | undefined;
  let stopped: string | undefined;
  let found = 0;
  for (const candidate of defaultCandidates()) {
    if (options.signal?.aborted) throw new EngineError(EngineErrorCodes.cancelled, 'model recommendation cancelled');
    if (Date.now() > deadline) break;
    const query = { endpoint, token, signal: anySignal(options.signal, AbortSignal.timeout(timeoutMs)) };
    let listing: RepoFile[] | undefined;
    let raw: Record<string, unknown> | undefined;
    try {
      listing = await listRepoFiles(candidate.id, query);
      raw = listing ? await fetchRepoConfig(candidate.id, { ...query, signal: anySignal(options.signal, AbortSignal.timeout(timeoutMs)) }) : undefined;
    } catch (err) {
      if (!(err instanceof HubUnavailable)) throw err;
      if (options.signal?.aborted) throw new EngineError(EngineErrorCodes.cancelled, 'model recommendation cancelled');
      // Whatever was found before the Hub stopped answering stands; with nothing, the Hub is the reason.
      if (best) break;
      return ngram(`the Hugging Face Hub cannot be used: ${err.message}; the built-in n-gram model needs no download`);
    }
    const files = listing ? filesToDownload(listing) : undefined;
    if (!files || !raw) continue;
    let cfg: BertConfig;
    try {
      cfg = parseBertConfig(raw, `${endpoint}/${candidate.id}/resolve/main/config.json`);
    } catch {
      continue;
    }
    found++;
    const tokens = Math.min(split.tokensPerText, cfg.maxPositions - cfg.positionOffset);
    const shape = `${cfg.hiddenSize}x${cfg.intermediateSize}`;
    // One probe per layer shape: small products run far below the rate of large ones.
    const rate = rates.get(shape) ?? (await measure(options.backend ?? 'auto', Math.min(batchSize, 16) * tokens, cfg.hiddenSize, cfg.intermediateSize));
    rates.set(shape, rate);
    const machine: RecommendationMachine = { cores, memoryBudgetBytes: memory, backend: rate.backend, nativeProducts: rate.nativeProducts };
    const sized = (mode: 'full' | 'feature-extraction') => {
      const plan = planTrainingMemory({
        cfg, numLabels: data.labels, mode, batchSize, maxLength: tokens, workers: 0, cores, nativeMatMul: rate.nativeProducts, budget: memory,
        wasmBackend: rate.backend === 'wasm' || rate.backend === 'cpu',
      });
      return { mode, plan, estimate: estimate(cfg, data.labels, mode, epochs, { ...split, tokensPerText: tokens }, rate, plan) };
    };
    const full = sized('full');
    const fits = (s: ReturnType<typeof sized>): boolean => !s.plan.refusal && s.estimate.seconds <= budget;
    const chosen = fits(full) ? full : best ? undefined : [sized('feature-extraction')].find(fits);
    if (!chosen) {
      stopped = full.plan.refusal
        ? `${candidate.id} does not fit in memory here (${full.plan.refusal})`
        : `${candidate.id} would take about ${describeDuration(full.estimate.seconds)} here, over the ${describeDuration(budget)} the defaults allow`;
      break;
    }
    best = {
      model: candidate.id, source: 'hub', mode: chosen.mode,
      reason: `recommended for ${data.examples.toLocaleString('en-US')} examples, ${data.labels} labels and ~${tokens} tokens per text on ${cores} cores (${machine.backend}${machine.nativeProducts ? ', native products' : ''}): ` +
        `${candidate.family}, ${candidate.parametersM}M parameters, expected to train in ${describeDuration(chosen.estimate.seconds)}${chosen.mode === 'full' ? '' : ` with ${chosen.mode}`}`,
      download: { bytes: files.reduce((a, f) => a + f.bytes, 0), files: files.map((f) => ({ path: f.path, bytes: f.bytes })), endpoint },
      estimate: chosen.estimate, data, machine,
    };
    // Larger candidates only take longer; once one does not fit, stop asking.
    if (chosen.mode !== 'full') break;
  }
  if (best) return best;
  if (stopped) return ngram(`no recommended model suits this machine: ${stopped}; the built-in n-gram model trains in seconds`, data);
  return ngram(`none of the recommended models (${defaultCandidates().map((c) => c.id).join(', ')}) ${found ? 'could be read' : 'was found'} at ${endpoint}${Date.now() > deadline ? ' in time' : ''}; the built-in n-gram model needs no download`, data);
}

function ngram(reason: string, data?: RecommendationData): ModelRecommendation {
  return { model: 'ngram', source: 'builtin', mode: 'full', reason, ...(data ? { data } : {}) };
}

function estimate(cfg: BertConfig, labels: number, mode: TrainMode, epochs: number, data: EstimateData, rate: ProductRate, plan: MemoryPlan): TrainingEstimate {
  const flops = runFlops(cfg, labels, mode, epochs, data);
  return {
    seconds: expectedSeconds(flops, rate.gflops, rate.nativeProducts, plan.replicas),
    epochs,
    flops,
    measuredGflops: rate.gflops,
    memoryBytes: plan.estimatedBytes,
    basis: `${(flops / 1e12).toFixed(2)} TFLOP (Kaplan et al. 2020: 6 × encoder weights per trained token, 2 per evaluated one) at ${rate.gflops.toFixed(1)} GFLOP/s measured here just now, products being ~60% of a step (docs/performance.md)`,
  };
}

/**
 * Examples per split and tokens per text. Sibling split files (validation.jsonl, test.jsonl, ...) are the
 * evaluation sets when present, else the file is split by `validationSplit` twice, as training splits it. Texts
 * are padded to the longest of their batch, but batches are drawn from length-sorted buckets (models/nn/batchPlan.ts),
 * so padding is small and a text costs about its own length: the estimate uses the mean, within maxLength
 * (docs/performance.md, "Expected training time": the 95th percentile overestimated real runs 1.4–3×).
 */
function dataSplit(facts: DatasetFacts, validationSplit: number, maxLength: number): EstimateData {
  const tokensPerText = Math.max(3, Math.min(maxLength, Math.ceil(facts.tokensMean)));
  const siblings = Object.entries(facts.siblingExampleCounts ?? {});
  if (siblings.length > 0) {
    const isTest = (file: string): boolean => /^test\./i.test(basename(file));
    return {
      trainExamples: facts.examples,
      validationExamples: siblings.filter(([f]) => !isTest(f)).reduce((a, [, n]) => a + n, 0),
      testExamples: siblings.filter(([f]) => isTest(f)).reduce((a, [, n]) => a + n, 0),
      tokensPerText,
    };
  }
  const held = Math.round(facts.examples * validationSplit);
  return { trainExamples: Math.max(1, facts.examples - 2 * held), validationExamples: held, testExamples: held, tokensPerText };
}

/** Inspects the file (streaming, bounded memory) and refuses one that cannot be trained on. */
async function inspectFacts(datasetPath: string, options: RecommendOptions, maxLength: number): Promise<DatasetFacts> {
  const report = await inspectDataset(resolve(datasetPath), { ...pickDatasetReadOptions(options), maxLength, signal: options.signal, checkSiblings: true });
  if (!report.trainable) {
    throw new EngineError(EngineErrorCodes.invalidDataset, `cannot recommend a model: ${report.notTrainableReason ?? 'the dataset cannot be trained on'}`, { file: report.file });
  }
  return datasetFactsOf(report);
}

/** Facts from a caller, checked: counts are whole and positive, the length a finite non-negative number. */
function checkFacts(facts: DatasetFacts): DatasetFacts {
  const whole = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 1;
  const counts = Object.values(facts.siblingExampleCounts ?? {});
  if (!whole(facts.examples) || !whole(facts.labels) || !(Number.isFinite(facts.tokensMean) && facts.tokensMean >= 0) || !counts.every((n) => Number.isSafeInteger(n) && n >= 0)) {
    throw new EngineError(EngineErrorCodes.invalidOption, 'facts must hold whole positive examples and labels counts, a non-negative tokensMean and whole sibling counts');
  }
  return facts;
}

function anySignal(a: AbortSignal | undefined, b: AbortSignal): AbortSignal {
  return a ? AbortSignal.any([a, b]) : b;
}
