// Child process for the SIGKILL resume test: trains (or resumes) a run, prints every event as a JSON line, and
// at the progress step named by KILL_AT_EPOCH/KILL_AT_STEP prints READY_TO_DIE and blocks until it is killed.
import { writeSync } from 'node:fs';
import { resumeRun, trainRun } from '../../src/engine/train/runTraining';
import type { TrainEvent } from '../../src/protocol/train';

const [command, arg] = process.argv.slice(2);
const killEpoch = Number(process.env.KILL_AT_EPOCH ?? -1);
const killStep = Number(process.env.KILL_AT_STEP ?? -1);

function onEvent(e: TrainEvent): void {
  writeSync(1, `${JSON.stringify(e)}\n`);
  if (e.type === 'progress' && e.epoch === killEpoch && e.step === killStep) {
    writeSync(1, 'READY_TO_DIE\n');
    // Block the thread (no more steps, no more writes) until the parent's SIGKILL arrives.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
    process.exit(3);
  }
}

async function main(): Promise<void> {
  const result = command === 'resume' ? await resumeRun(arg!, { onEvent, progressIntervalMs: 0 }) : await trainRun(JSON.parse(arg!), { onEvent, progressIntervalMs: 0 });
  writeSync(1, `RESULT ${JSON.stringify({ runDir: result.runDir, state: result.state })}\n`);
}
void main();
