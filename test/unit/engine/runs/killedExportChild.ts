// Child process for exportFolder.test.ts: exports `files` into `target` and kills itself with SIGKILL (no cleanup
// runs, as with kill -9 or a power cut) at step `killAt` of the transaction, or inside the staging when it is -1.
// argv: target, killAt, files as JSON ({ "relative/path": "content" }).
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeExportFolder } from '../../../../src/engine/runs/exportFolder';

const [target, killAtText, filesJson] = process.argv.slice(2) as [string, string, string];
const killAt = Number(killAtText);
const files = JSON.parse(filesJson) as Record<string, string>;
let step = 0;
void writeExportFolder(target, {
  runId: 'killed',
  isRunModel: false,
  fill: async (dir) => {
    for (const [rel, text] of Object.entries(files)) {
      await mkdir(dirname(join(dir, rel)), { recursive: true });
      await writeFile(join(dir, rel), text);
    }
    if (killAt === -1) process.kill(process.pid, 'SIGKILL');
  },
  onStep: (name) => {
    process.stdout.write(`${step} ${name}\n`);
    if (step++ === killAt) process.kill(process.pid, 'SIGKILL');
  },
}).then(() => process.stdout.write('done\n'));
