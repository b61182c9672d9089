// Whether a path is a folder or lies inside it, for "is the active model from this run?" in engine and extension.
import { isAbsolute, relative, resolve, sep } from 'node:path';

/** True when `path` is `folder` or inside it (both resolved; `/runs/a-long` is not inside `/runs/a`). */
export function isSameOrInside(path: string, folder: string): boolean {
  const child = relative(resolve(folder), resolve(path));
  return child === '' || (child !== '..' && !child.startsWith(`..${sep}`) && !isAbsolute(child));
}
