// bench:electra — ELECTRA discriminator training throughput at base shape (electra-base-discriminator: 12 layers, 768
// wide, 12 heads, feed-forward 3072, 30,522-token table; random weights, a WordPiece vocabulary trained on emotion),
// ours against the PyTorch reference (test/reference/torch_encoders.py) in one run on the same batches (see
// familyTrainingBench.ts).
// Usage: npm run bench:electra [-- --n 128 --batch 32] (the default; e.g. --n 16 --batch 8 for a quick run)
import { benchLabels, mainFamilyBench } from './familyTrainingBench';

mainFamilyBench({
  name: 'bench:electra', shape: 'ELECTRA-base shape', reference: 'torch_encoders.py', family: 'electra', cacheName: 'cw-electra-bench-base',
  makeArgs: ['--layers', '12', '--hidden', '768', '--heads', '12', '--intermediate', '3072', '--max-length', '512', '--vocab-size', '30522', '--labels', benchLabels.join(',')],
});
