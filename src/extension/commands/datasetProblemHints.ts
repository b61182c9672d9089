// The advice shown in VS Code for dataset problems whose engine hint names a command-line flag: in the editor
// the user sets a setting instead, so the hint names the setting (DatasetReadOptions ↔ classifierWorkbench.dataset.*).
import type { DatasetProblem, DatasetProblemKind } from '../../protocol/dataset';

const textFieldSetting = 'the "Classifier Workbench › Dataset: Text Field" setting';
const labelFieldSetting = 'the "Classifier Workbench › Dataset: Label Field" setting';

/** Hints for the kinds whose engine hint mentions CLI options; every other kind keeps the engine's hint. */
const editorHints: Partial<Record<DatasetProblemKind, string>> = {
  missingText: `Add the text field to this line, or name the field that holds the text in ${textFieldSetting}.`,
  missingLabel: `Add a label to this line, or name the field that holds the label in ${labelFieldSetting}.`,
  mixedSchema: `Use the same field names on every line, or name the fields in ${textFieldSetting} and ${labelFieldSetting}.`,
  tooManyLabels: `Check that the label field is right (set ${labelFieldSetting}); an id or free-text field is not a label.`,
  chatTurnsChosen: 'Nothing to fix if that is the message to classify; to classify the whole conversation, set "Classifier Workbench › Dataset: Chat Context" to allTurns.',
  labelOutOfRange: 'Use a label from the label names ("Classifier Workbench › Dataset: Label Names" setting), or add this label to that list.',
  oversizedLine: 'Split or shorten the line: lines this long are skipped.',
  classImbalance: 'Train with class weights so rare classes count, and judge the run by macro F1.',
};

/** The hint to show in the editor for `problem`: the engine's, unless it names a command-line flag. */
export function editorHint(problem: Pick<DatasetProblem, 'kind' | 'hint'>): string {
  return editorHints[problem.kind] ?? problem.hint;
}
