// bench:roberta — RoBERTa training throughput at base shape (roberta-base: 12 layers, 768 wide, 12 heads, feed-forward
// 3072, 50,265-token table; random weights, a byte-level BPE tokenizer trained on emotion), ours against the PyTorch
// reference (test/reference/torch_encoders.py) in one run on the same batches (see familyTrainingBench.ts). XLM-R and
// CamemBERT are the same architecture (a larger table).
// Usage: npm run bench:roberta [-- --n 128 --batch 32] (the default; e.g. --n 16 --batch 8 for a quick run)
import { benchLabels, mainFamilyBench } from './familyTrainingBench';

mainFamilyBench({
  name: 'bench:roberta', shape: 'RoBERTa-base shape', reference: 'torch_encoders.py', family: 'roberta', cacheName: 'cw-roberta-bench-base',
  makeArgs: ['--layers', '12', '--hidden', '768', '--heads', '12', '--intermediate', '3072', '--max-length', '512', '--vocab-size', '50265', '--labels', benchLabels.join(',')],
});
