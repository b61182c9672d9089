// Makes `import * as vscode from 'vscode'` resolve to fakeVscode.ts in unit tests. Import this module first
// in a test file (before any module under test) or preload it with `--import`.
import Module from 'node:module';
import { join } from 'node:path';

const fakePath = join(__dirname, 'fakeVscode.ts');
type Resolve = (request: string, ...rest: unknown[]) => string;
const moduleWithResolve = Module as unknown as { _resolveFilename: Resolve };
const original = moduleWithResolve._resolveFilename;
if (!(original as { fakeVscode?: boolean }).fakeVscode) {
  const patched: Resolve = function (this: unknown, request, ...rest) {
    return original.call(this, request === 'vscode' ? fakePath : request, ...rest);
  };
  (patched as { fakeVscode?: boolean }).fakeVscode = true;
  moduleWithResolve._resolveFilename = patched;
}
