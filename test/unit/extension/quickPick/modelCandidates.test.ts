import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hubCacheDir, listCachedModels, listModelFolders, rememberModel } from '../../../../src/extension/quickPick/modelCandidates';

test('hub cache folder follows HF_HUB_CACHE, HF_HOME, XDG_CACHE_HOME, then ~/.cache', () => {
  assert.equal(hubCacheDir({ HF_HUB_CACHE: '/c/hub', HF_HOME: '/h' }, '/home/u'), '/c/hub');
  assert.equal(hubCacheDir({ HF_HOME: '/h' }, '/home/u'), '/h/hub');
  assert.equal(hubCacheDir({ XDG_CACHE_HOME: '/x' }, '/home/u'), '/x/huggingface/hub');
  assert.equal(hubCacheDir({}, '/home/u'), '/home/u/.cache/huggingface/hub');
});

test('lists cached models that have a snapshot with config.json, as hub ids', async () => {
  const cache = mkdtempSync(join(tmpdir(), 'cw-hf-'));
  try {
    const snap = join(cache, 'models--google--bert_uncased_L-2_H-128_A-2', 'snapshots', 'abc123');
    mkdirSync(snap, { recursive: true });
    writeFileSync(join(snap, 'config.json'), '{}');
    mkdirSync(join(cache, 'models--bert-base-uncased', 'snapshots', 'def'), { recursive: true }); // download never finished
    mkdirSync(join(cache, 'datasets--dair-ai--emotion', 'snapshots', 'x'), { recursive: true });
    assert.deepEqual(await listCachedModels(cache), ['google/bert_uncased_L-2_H-128_A-2']);
    assert.deepEqual(await listCachedModels(join(cache, 'missing')), []);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});

test('a workspace folder with config.json counts as a model only with weights or a tokenizer', async () => {
  const root = mkdtempSync(join(tmpdir(), 'cw-models-'));
  try {
    for (const [dir, files] of [['bert', ['config.json', 'model.safetensors']], ['tok', ['config.json', 'vocab.txt']], ['app', ['config.json']]] as const) {
      mkdirSync(join(root, dir));
      for (const f of files) writeFileSync(join(root, dir, f), '{}');
    }
    const configs = ['bert', 'tok', 'app'].map((d) => join(root, d, 'config.json'));
    assert.deepEqual(await listModelFolders(configs), [join(root, 'bert'), join(root, 'tok')]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('recent models: newest first, no duplicates, bounded', () => {
  assert.deepEqual(rememberModel(['a', 'b', 'c'], 'b'), ['b', 'a', 'c']);
  assert.deepEqual(rememberModel(['a', 'b', 'c', 'd', 'e'], 'f'), ['f', 'a', 'b', 'c', 'd']);
});
