// Makes `import * as vscode from 'vscode'` resolve to fakeVscodeWebviews.ts; import it before the modules under test.
import Module from 'node:module';
import { join } from 'node:path';

type Resolve = (request: string, ...rest: unknown[]) => string;
const moduleWithResolve = Module as unknown as { _resolveFilename: Resolve };
const original = moduleWithResolve._resolveFilename;
const fakePath = join(__dirname, 'fakeVscodeWebviews.ts');
moduleWithResolve._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]) {
  return original.call(this, request === 'vscode' ? fakePath : request, ...rest);
};
