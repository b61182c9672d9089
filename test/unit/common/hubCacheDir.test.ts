// The one hub cache resolver (engine downloads and the extension's model picker), against huggingface_hub's rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { hubCacheDir } from '../../../src/common/hubCacheDir';

const home = '/home/u';

test('precedence: HF_HUB_CACHE, HUGGINGFACE_HUB_CACHE, HF_HOME/hub, XDG_CACHE_HOME/huggingface/hub, ~/.cache/huggingface/hub', () => {
  const all = { HF_HUB_CACHE: '/a', HUGGINGFACE_HUB_CACHE: '/legacy', HF_HOME: '/h', XDG_CACHE_HOME: '/x' };
  assert.equal(hubCacheDir(all, home), '/a');
  assert.equal(hubCacheDir({ ...all, HF_HUB_CACHE: undefined }, home), '/legacy');
  assert.equal(hubCacheDir({ HF_HOME: '/h', XDG_CACHE_HOME: '/x' }, home), join('/h', 'hub'));
  assert.equal(hubCacheDir({ XDG_CACHE_HOME: '/x' }, home), join('/x', 'huggingface', 'hub'));
  assert.equal(hubCacheDir({}, home), join(home, '.cache', 'huggingface', 'hub'));
});

test('the cases the engine and the model picker disagreed on: the legacy variable and XDG_CACHE_HOME under HF_HOME', () => {
  // The picker ignored HUGGINGFACE_HUB_CACHE; the default-model search ignored XDG_CACHE_HOME.
  assert.equal(hubCacheDir({ HUGGINGFACE_HUB_CACHE: '/legacy', HF_HOME: '/h' }, home), '/legacy');
  assert.equal(hubCacheDir({ XDG_CACHE_HOME: '/x', HF_HOME: '' }, home), join('/x', 'huggingface', 'hub'));
});

test('an empty variable counts as unset, and a leading ~ is the home folder', () => {
  assert.equal(hubCacheDir({ HF_HUB_CACHE: '', HF_HOME: '/h' }, home), join('/h', 'hub'));
  assert.equal(hubCacheDir({ HF_HUB_CACHE: '~/models/hub' }, home), join(home, 'models', 'hub'));
  assert.equal(hubCacheDir({ HF_HOME: '~' }, home), join(home, 'hub'));
});
