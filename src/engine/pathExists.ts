// Whether a file or folder exists, for the engine's "use X when present" choices (Node has no async exists).
import { stat } from 'node:fs/promises';

/** True when `path` exists (file or folder); false when it does not or cannot be reached. */
export async function pathExists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}
