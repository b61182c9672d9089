// The curated base models the fine-tune picker and `models --recommended` offer: the checkpoints people fine-tune
// for text classification, with what a user weighs before a download. Shared by the extension (picker) and the
// engine (CLI); `usable` is checked against the engine's supported model types by a unit test, so it cannot drift.

export interface RecommendedModel {
  /** Hub id. */
  id: string;
  /** config.json `model_type`. */
  modelType: string;
  /** The architecture family, as users name it. */
  family: string;
  /** Parameters of the encoder and embeddings (millions), as the model card states them. */
  parametersM: number;
  /** Approximate download: the float32 weights, 4 bytes a parameter (plus tokenizer files, which are small). */
  downloadMB: number;
  languages: string;
  /** One line: what it is good for. */
  note: string;
  /** True when the engine loads this checkpoint as published (its family and files are implemented). */
  usable: boolean;
  /** Why not, when not usable. */
  notUsableBecause?: string;
}

const entry = (id: string, modelType: string, family: string, parametersM: number, languages: string, note: string, notUsableBecause?: string): RecommendedModel => ({
  id, modelType, family, parametersM, downloadMB: Math.round(parametersM * 4), languages, note, usable: notUsableBecause === undefined,
  ...(notUsableBecause ? { notUsableBecause } : {}),
});

/** Smallest first within each purpose; the first usable one is a sensible first try on a laptop. */
export const recommendedModels: readonly RecommendedModel[] = [
  entry('google/bert_uncased_L-2_H-128_A-2', 'bert', 'BERT', 4.4, 'English', 'tiny (2 layers, 128 wide): seconds per epoch, for trying the workflow'),
  entry('sentence-transformers/all-MiniLM-L6-v2', 'bert', 'BERT (MiniLM)', 22.7, 'English', 'small and fast; strong sentence embeddings, good with feature extraction'),
  entry('distilbert-base-uncased', 'distilbert', 'DistilBERT', 66, 'English', 'the classic fast baseline: 40% smaller than BERT-base, ~97% of its accuracy'),
  entry('distilroberta-base', 'roberta', 'RoBERTa', 82, 'English', 'distilled RoBERTa: cased, fast'),
  entry('bert-base-uncased', 'bert', 'BERT', 110, 'English', 'the reference base model'),
  entry('google/electra-base-discriminator', 'electra', 'ELECTRA', 110, 'English', 'BERT-size discriminator; often ahead of BERT-base on GLUE'),
  entry('roberta-base', 'roberta', 'RoBERTa', 125, 'English', 'robustly trained BERT; a strong base for most English tasks'),
  entry('cardiffnlp/twitter-roberta-base-sentiment-latest', 'roberta', 'RoBERTa', 125, 'English (tweets)', 'already a sentiment classifier (negative/neutral/positive) on tweets'),
  entry('cardiffnlp/twitter-roberta-base-emotion', 'roberta', 'RoBERTa', 125, 'English (tweets)', 'already an emotion classifier on tweets (pytorch_model.bin, read safely)'),
  entry('microsoft/deberta-v3-small', 'deberta-v2', 'DeBERTa-v3', 141, 'English', 'the accuracy leader on classification benchmarks, small (tokenizer from spm.model)'),
  entry('answerdotai/ModernBERT-base', 'modernbert', 'ModernBERT', 149, 'English (and code)', 'current generation: 8k context, rotary, GeGLU'),
  entry('microsoft/deberta-v3-base', 'deberta-v2', 'DeBERTa-v3', 184, 'English', 'the accuracy leader on classification benchmarks (tokenizer from spm.model)'),
  entry('xlm-roberta-base', 'xlm-roberta', 'RoBERTa (XLM-R)', 278, '100 languages', 'multilingual; its SentencePiece tokenizer runs from tokenizer.json'),
];
