// writeExportFolder's transaction survives a kill at every step: the process is SIGKILLed (no cleanup runs) while it
// stages and before each rename; the user's files are never touched, the earlier export is always in the folder or
// in <folder>.old, and the next export rolls the killed one back (or completes it, once the marker was in) before it
// writes its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { EXPORT_MARKER_FILE, readMarker, recoverExportFolder, writeExportFolder } from '../../../../src/engine/runs/exportFolder';
import { filesUnder } from '../../../../src/engine/filesUnder';

const child = join(__dirname, 'killedExportChild.ts');
const v1 = { 'config.json': 'v1 config', 'model.safetensors': 'v1 weights', 'onnx/model.onnx': 'v1 graph' };
const v2 = { 'config.json': 'v2 config', 'model.safetensors': 'v2 weights', 'tokenizer.json': 'v2 tokenizer' };
const v3 = { 'config.json': 'v3 config', 'model.safetensors': 'v3 weights' };
const user = { 'README.md': '# My model card\n', '.git/HEAD': 'ref: refs/heads/main\n', 'onnx/NOTES.md': 'my notes on the graph' };

async function write(dir: string, files: Record<string, string>): Promise<void> {
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, rel)), { recursive: true });
    await writeFile(join(dir, rel), text);
  }
}

function exportOf(files: Record<string, string>) {
  return { runId: 'test', isRunModel: false, fill: (dir: string) => write(dir, files) };
}

/** Every file under `dir` (the marker excepted) with its content. */
async function contents(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of await filesUnder(dir)) if (f !== EXPORT_MARKER_FILE) out[f] = readFileSync(join(dir, f), 'utf8');
  return out;
}

test('the marker records each exported file\'s size and SHA-256, and only those', async () => {
  const root = await mkdtemp(join(tmpdir(), 'export-folder-'));
  try {
    const out = join(root, 'out');
    const written = await writeExportFolder(out, exportOf(v1));
    assert.deepEqual(written, { files: Object.keys(v1).sort(), kept: [] });
    const marker = await readMarker(join(out, EXPORT_MARKER_FILE));
    assert.equal(marker?.version, 2);
    assert.deepEqual(marker?.files, Object.fromEntries(Object.entries(v1).map(([rel, text]) => [rel, { size: Buffer.byteLength(text), sha256: createHash('sha256').update(text).digest('hex') }])));
    // A destination given as a link to a folder is that folder: exported into, the user's files there kept.
    const linked = join(root, 'linked');
    await symlink(out, linked);
    await writeFile(join(out, 'README.md'), 'card');
    assert.deepEqual(await writeExportFolder(linked, exportOf(v3)), { files: Object.keys(v3).sort(), kept: ['README.md'] });
    assert.deepEqual(await contents(out), { ...v3, 'README.md': 'card' });
    await writeExportFolder(out, exportOf(v1));
    const marker2 = await readMarker(join(out, EXPORT_MARKER_FILE));
    // A marker path that leaves the folder makes the list unusable (the files are then the user's), never a target.
    await writeFile(join(out, EXPORT_MARKER_FILE), JSON.stringify({ ...marker2, files: { '../victim.txt': { size: 1, sha256: 'x' } } }));
    assert.equal((await readMarker(join(out, EXPORT_MARKER_FILE)))?.files, undefined);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('an export killed at any step loses neither the earlier export nor the user\'s files; the next export recovers', async () => {
  const root = await mkdtemp(join(tmpdir(), 'export-killed-'));
  try {
    // Steps: 3 files aside, 3 in, the marker (the commit), cleanup; -1 = killed while staging.
    for (let killAt = -1; killAt <= 7; killAt++) {
      const out = join(root, `out${killAt + 1}`);
      await writeExportFolder(out, exportOf(v1));
      await write(out, user);
      const ran = spawnSync(process.execPath, ['--import', 'tsx', child, out, String(killAt), JSON.stringify(v2)], { encoding: 'utf8' });
      assert.equal(ran.signal, 'SIGKILL', `step ${killAt}: ${ran.stdout}${ran.stderr}`);
      const steps = ran.stdout.trim().split('\n').filter(Boolean);
      if (killAt >= 0) assert.equal(steps.length, killAt + 1, ran.stdout);
      const committed = steps.at(-1)?.endsWith('cleanup') ?? false;

      // Right after the kill: the user's files are as they were, and every file of the earlier export is in the
      // folder or in the aside folder.
      const now = await contents(out);
      for (const [rel, text] of Object.entries(user)) assert.equal(now[rel], text, `step ${killAt}: ${rel}`);
      const aside = existsSync(`${out}.old`) ? await contents(join(`${out}.old`, 'files')).catch(() => ({})) : {};
      if (!committed) for (const [rel, text] of Object.entries(v1)) assert.ok(now[rel] === text || (aside as Record<string, string>)[rel] === text, `step ${killAt}: ${rel} is kept`);

      // The next export into the folder first rolls back (or, committed, completes) the killed one.
      await recoverExportFolder(out, false);
      assert.deepEqual(await contents(out), { ...(committed ? v2 : v1), ...user }, `step ${killAt}`);
      assert.ok(!existsSync(`${out}.old`), `step ${killAt}: no aside folder is left`);
      const third = await writeExportFolder(out, exportOf(v3));
      assert.deepEqual(third, { files: Object.keys(v3).sort(), kept: ['.git', 'README.md', 'onnx'] });
      assert.deepEqual(await contents(out), { ...v3, ...user }, `step ${killAt}`);
    }
    // Nothing but the destinations is left beside them (the killed exports' staging folders were removed).
    assert.deepEqual((await readdir(root)).filter((n) => n.startsWith('.')), []);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
