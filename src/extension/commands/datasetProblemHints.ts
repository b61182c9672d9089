// The advice shown in VS Code for a dataset problem: for kinds whose fix is an option, the same advice worded for the
// editor (the setting or dialogue step, never a command-line flag; src/common/datasetProblemHints.ts writes both
// wordings once); every other kind keeps the engine's hint.
import type { DatasetProblem } from '../../protocol/dataset';
import { optionHint } from '../../common/datasetProblemHints';

/** The hint to show in the editor for `problem`. */
export function editorHint(problem: Pick<DatasetProblem, 'kind' | 'hint'>): string {
  return optionHint(problem.kind, 'vscode') ?? problem.hint;
}
