// The one resolver of the Hugging Face hub cache folder, for the engine (downloads, `models`, the default model)
// and the extension's model picker, so both look in the same place as Python's huggingface_hub.
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The hub cache folder, by huggingface_hub's rules (`huggingface_hub/constants.py`): `$HF_HUB_CACHE`, else the
 * legacy `$HUGGINGFACE_HUB_CACHE`, else `$HF_HOME/hub`, else `$XDG_CACHE_HOME/huggingface/hub`, else
 * `~/.cache/huggingface/hub`. A leading `~` is the home folder (huggingface_hub applies `expanduser`); a variable
 * set to the empty string counts as unset.
 * @param env the environment to read (default `process.env`)
 * @param home the home folder (default `os.homedir()`)
 */
export function hubCacheDir(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  const expand = (path: string) => (path === '~' ? home : path.startsWith('~/') || path.startsWith('~\\') ? join(home, path.slice(2)) : path);
  if (env.HF_HUB_CACHE) return expand(env.HF_HUB_CACHE);
  if (env.HUGGINGFACE_HUB_CACHE) return expand(env.HUGGINGFACE_HUB_CACHE);
  if (env.HF_HOME) return join(expand(env.HF_HOME), 'hub');
  return join(expand(env.XDG_CACHE_HOME || join(home, '.cache')), 'huggingface', 'hub');
}
