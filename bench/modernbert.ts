// bench:modernbert — ModernBERT training throughput at base shape (ModernBERT-base: 22 layers, 768 wide, 12 heads,
// GeGLU 1152, 50,368-token table, window 128, global every 3rd layer; random weights), ours against the PyTorch
// reference (test/reference/torch_modernbert.py) in one run on the same batches (see familyTrainingBench.ts).
// Usage: npm run bench:modernbert [-- --n 32 --batch 8]
import { benchLabels, mainFamilyBench } from './familyTrainingBench';

mainFamilyBench({
  name: 'bench:modernbert', shape: 'ModernBERT-base shape', reference: 'torch_modernbert.py', cacheName: 'cw-modernbert-bench-base',
  makeArgs: ['--layers', '22', '--hidden', '768', '--heads', '12', '--intermediate', '1152', '--vocab-size', '50368', '--window', '128', '--every', '3', '--labels', benchLabels.join(',')],
});
