// `classifier-workbench models`: list the HF cache, download by id from HF_ENDPOINT (a local server), check a folder.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../../src/engine/cli/runCli';
import { commands } from '../../../../src/engine/cli/commands';
import { startHubServer } from '../../../helpers/hubServer';
import { shared, sharedPath, testsNeeding } from '../../../helpers/requirements';

const modelDir = sharedPath('models', 'bert-tiny-random');
const test = testsNeeding(shared('models/bert-tiny-random'));

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, commands, {
    stdout: (t) => { out += t; },
    stderr: (t) => { err += t; },
    cwd: process.cwd(),
    signal: new AbortController().signal,
    version: '0.0.0',
  });
  return { code, out, err };
}

test('models: empty cache, download with progress, listing, folder check, bad folder exit 2', async (t) => {
  const home = mkdtempSync(join(tmpdir(), 'cw-hfhome-cli-'));
  const hub = await startHubServer({ modelDir, repo: 'org/tiny' });
  const saved = { HF_HOME: process.env.HF_HOME, HF_ENDPOINT: process.env.HF_ENDPOINT, HF_HUB_CACHE: process.env.HF_HUB_CACHE };
  t.after(async () => {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
    await hub.close();
    rmSync(home, { recursive: true, force: true });
  });
  delete process.env.HF_HUB_CACHE;
  process.env.HF_HOME = home;
  process.env.HF_ENDPOINT = hub.url;

  const empty = await cli(['models']);
  assert.equal(empty.code, 0);
  assert.match(empty.out, /No models in .*hub/);

  const fetched = await cli(['models', 'org/tiny']);
  assert.equal(fetched.code, 0, fetched.err);
  assert.match(fetched.out, /org\/tiny \(downloaded\)\n {2}folder: +.*models--org--tiny\/snapshots\/[0-9a-f]{40}\n {2}type: +bert\n {2}weights: +1 safetensors file\n {2}tokenizer: tokenizer\.json/);
  assert.match(fetched.err, /downloading org\/tiny: 100%/);

  const listed = await cli(['models', '--json']);
  const models = (JSON.parse(listed.out) as { models: { id: string; revision: string; hasSafetensors: boolean; sizeBytes: number }[] }).models;
  assert.deepEqual(models.map((m) => [m.id, m.revision, m.hasSafetensors]), [['org/tiny', 'main', true]]);
  assert.ok(models[0].sizeBytes > 17_000_000);

  const local = await cli(['models', modelDir, '--json']);
  assert.equal(local.code, 0);
  assert.equal(JSON.parse(local.out).source, 'folder');

  const bad = await cli(['models', home]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /config\.json is missing/);
});
