// bench:deberta — DeBERTa-v3 training throughput at base shape (deberta-v3-base: 12 layers, 768 wide, 12 heads,
// feed-forward 3072, 128,100-token table, 256 position buckets, shared attention keys, no absolute positions;
// random weights, the tiny Unigram tokenizer), ours against the PyTorch reference (test/reference/torch_deberta.py)
// in one run on the same batches (see familyTrainingBench.ts).
// Usage: npm run bench:deberta [-- --n 128 --batch 32] (the default; e.g. --n 16 --batch 8 for a quick run)
import { benchLabels, mainFamilyBench } from './familyTrainingBench';

mainFamilyBench({
  name: 'bench:deberta', shape: 'DeBERTa-v3-base shape', reference: 'torch_deberta.py', cacheName: 'cw-deberta-bench-base',
  makeArgs: ['--layers', '12', '--hidden', '768', '--heads', '12', '--intermediate', '3072', '--vocab-size', '128100', '--buckets', '256', '--max-relative', '512', '--initializer-range', '0.02', '--labels', benchLabels.join(',')],
});
