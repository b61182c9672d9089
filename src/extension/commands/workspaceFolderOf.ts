// Which workspace folder holds a path: settings paths are relative to it, and new files go in it.
import * as vscode from 'vscode';
import { sep } from 'node:path';

/** The workspace folder holding `path`, or undefined when none does. */
export function workspaceFolderOf(path: string): string | undefined {
  return vscode.workspace.workspaceFolders?.map((f) => f.uri.fsPath).find((folder) => path === folder || path.startsWith(folder.endsWith(sep) ? folder : folder + sep));
}
