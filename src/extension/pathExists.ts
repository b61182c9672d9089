// Whether a file or folder exists, for the extension's plain-Node readers (Node has no async exists). The engine has
// its own copy (src/engine/pathExists.ts): activation must load no engine module.
import { stat } from 'node:fs/promises';

/** True when `path` exists (file or folder); false when it does not or cannot be reached. */
export async function pathExists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}
