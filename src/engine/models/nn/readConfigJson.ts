// Reads a model folder's config.json for any family: a regular file within its byte cap, JSON of bounded depth,
// an object. The family then validates its fields.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EngineError } from '../../errors';
import { EngineErrorCodes } from '../../../protocol/errors';
import { checkJsonDepth, readModelFileSync } from '../../boundedFile';

/**
 * @returns the parsed object and the file's path (for messages)
 * @throws EngineError(invalidModel) naming the file when it is missing, too large, not a regular file, not JSON or not an object
 */
export function readConfigJsonSync(dir: string): { raw: Record<string, unknown>; file: string } {
  const file = join(dir, 'config.json');
  if (!existsSync(file)) {
    throw new EngineError(EngineErrorCodes.invalidModel, `No config.json in the model folder. A Hugging Face model folder needs config.json, model.safetensors and tokenizer files.`, { file });
  }
  const text = readModelFileSync(file).toString('utf8');
  checkJsonDepth(text, file);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new EngineError(EngineErrorCodes.invalidModel, `config.json is not valid JSON (${(err as Error).message}).`, { file });
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new EngineError(EngineErrorCodes.invalidModel, 'config.json must hold a JSON object.', { file });
  return { raw: raw as Record<string, unknown>, file };
}
