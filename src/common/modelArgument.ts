// How a model value a person typed (CLI --model, $CLASSIFIER_WORKBENCH_MODEL, the defaultModel setting, the model
// picker) is read before the engine resolves it: a path, made absolute against the folder it was typed relative to
// so that run.json names a folder that works from anywhere, or a Hugging Face id, kept as typed.
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';

/** True for a Hub model id such as `bert-base-uncased` or `google/bert_uncased_L-2_H-128_A-2`. */
export function isRepoId(value: string): boolean {
  return /^(?:[A-Za-z0-9][\w.-]{0,95}\/)?[A-Za-z0-9][\w.-]{0,95}$/.test(value) && !value.includes('..') && !value.includes('--');
}

/** True for what can only be a path (absolute, `./`, `~`, a backslash, or more than one `/`), never a Hub id. */
export function looksLikePath(value: string): boolean {
  return isAbsolute(value) || value.startsWith('.') || value.startsWith('~') || value.includes('\\') || value.split('/').length > 2;
}

/**
 * A model value as the engine's `resolveModel` should see it: an existing path (against `base`) made absolute;
 * otherwise a value that reads as a Hugging Face id (`org/name`, or a legacy bare name) kept as typed, so it reaches
 * the Hub cache and the Hub instead of being taken for a missing folder under `base`; anything else (`./x`, `/x`,
 * `a/b/c`, `my model`) made absolute, for an error naming it. `ngram`, `scratch` and `~/x` (expanded by
 * `resolveModel`) stay as typed.
 * @param base the folder a relative value is read against (the CLI's working directory, the workspace folder)
 */
export function absoluteModelArgument(value: string, base: string): string {
  if (value === 'ngram' || value === 'scratch' || value.startsWith('~')) return value;
  const asPath = resolve(base, value);
  if (existsSync(asPath)) return asPath;
  return !looksLikePath(value) && isRepoId(value) ? value : asPath;
}
