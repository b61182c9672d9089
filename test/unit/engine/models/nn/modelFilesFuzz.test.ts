// Bounded fuzz of config.json and tokenizer.json values (issue 17): a fixed number of seeded cases of random sizes
// and types, each of which must end in a result or a clear EngineError — never another exception, a crash, a hang
// or an out-of-memory abort. The cases run in a worker thread with a capped heap (256 MiB) and a watchdog
// (60 s without a finished case); both are bounds on failure, not speed targets: a passing case takes milliseconds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { sharedPath } from '../../../../helpers/requirements';
import type { CaseOutcome } from './modelFilesFuzz';

const SEED = 17;
const CONFIG_CASES = 120;
const TOKENIZER_CASES = 80;
const HEAP_MB = 256;
const WATCHDOG_MS = 60_000;

test(`config.json and tokenizer.json fuzz: ${CONFIG_CASES} + ${TOKENIZER_CASES} seeded cases, each a result or a clear EngineError within the heap and time bound`, { timeout: 600_000 }, async () => {
  const outcomes: CaseOutcome[] = [];
  let started = -1;
  const worker = new Worker(
    `require('tsx/cjs'); const { parentPort, workerData } = require('node:worker_threads');
     require(workerData.module).runModelFilesFuzz(workerData.seed, workerData.configCases, workerData.tokenizerCases, workerData.modelDir, (e) => parentPort.postMessage(e))
       .then(() => parentPort.postMessage({ finished: true }));`,
    {
      eval: true,
      workerData: { module: join(__dirname, 'modelFilesFuzz.ts'), seed: SEED, configCases: CONFIG_CASES, tokenizerCases: TOKENIZER_CASES, modelDir: sharedPath('models', 'bert-tiny-random') },
      resourceLimits: { maxOldGenerationSizeMb: HEAP_MB },
    },
  );
  const ended = await new Promise<string>((resolve) => {
    let watchdog = setTimeout(() => void worker.terminate().then(() => resolve(`case ${started} gave no answer within ${WATCHDOG_MS} ms`)), WATCHDOG_MS);
    worker.on('message', (event: { started: number } | { finished: true } | CaseOutcome) => {
      if ('started' in event) {
        started = event.started;
        clearTimeout(watchdog);
        watchdog = setTimeout(() => void worker.terminate().then(() => resolve(`case ${started} gave no answer within ${WATCHDOG_MS} ms`)), WATCHDOG_MS);
      } else if ('finished' in event) {
        clearTimeout(watchdog);
        resolve('finished');
      } else outcomes.push(event);
    });
    worker.on('error', (err) => { clearTimeout(watchdog); resolve(`case ${started} crashed the thread: ${err.message}`); });
    worker.on('exit', (code) => { clearTimeout(watchdog); resolve(`the thread exited (code ${code}) during case ${started}`); });
  });
  await worker.terminate();
  assert.equal(ended, 'finished', `${ended}; last outcome: ${JSON.stringify(outcomes.at(-1))}`);
  assert.equal(outcomes.length, CONFIG_CASES + TOKENIZER_CASES);
  // Clear: an EngineError (it names the file: see formatEngineError) that shows values, not "[object Object]".
  const unclear = outcomes.filter((o) => o.outcome === 'otherError' || (o.outcome === 'engineError' && (!/^EngineError: \/\S+: \S/.test(o.message) || /\[object /.test(o.message))));
  assert.deepEqual(unclear, [], 'cases that ended in an exception other than a clear EngineError');
  // The fuzz reaches both ends: some cases load, many are refused (a generator that only makes garbage, or only
  // valid files, would prove nothing).
  for (const kind of ['config', 'tokenizer'] as const) {
    const mine = outcomes.filter((o) => o.kind === kind);
    assert.ok(mine.some((o) => o.outcome === 'result'), `no ${kind} case loaded`);
    assert.ok(mine.some((o) => o.outcome === 'engineError'), `no ${kind} case was refused`);
  }
});
