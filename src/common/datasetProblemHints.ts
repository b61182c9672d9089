// The advice of the dataset problems whose fix is an option: written once, worded per surface (the CLI names its
// flags, VS Code the settings and dialogue steps). The engine's problem catalogue takes the CLI wording; the Problems
// panel shows the VS Code one. Every other kind's advice needs no option and lives in the catalogue alone.
import type { DatasetProblemKind } from '../protocol/dataset';
import { option, type MessageSurface } from './optionWording';

const hints: Partial<Record<DatasetProblemKind, (s: MessageSurface) => string>> = {
  oversizedLine: (s) => (s === 'cli'
    ? 'Split or shorten the line, or raise the line-size limit if the text is really that long.'
    : 'Split or shorten the line: lines this long are skipped.'),
  missingText: (s) => (s === 'cli'
    ? `Add the text field to this line, or name the field with ${option('textField', s)}.`
    : `Add the text field to this line, or name the field that holds the text in ${option('textField', s)}.`),
  missingLabel: (s) => (s === 'cli'
    ? `Add a label to this line, or name the label field with ${option('labelField', s)}.`
    : `Add a label to this line, or name the field that holds the label in ${option('labelField', s)}.`),
  mixedSchema: (s) => (s === 'cli'
    ? `Use the same field names on every line (or pass ${option('textField', s)} / ${option('labelField', s)}).`
    : `Use the same field names on every line, or name the fields in ${option('textField', s)} and ${option('labelField', s)}.`),
  tooManyLabels: (s) => `Check that the label field is right (${s === 'cli' ? 'pass' : 'set'} ${option('labelField', s)}); an id or free-text field is not a label.`,
  labelOutOfRange: (s) => (s === 'cli'
    ? 'Use a label from the label-names list, or add this label to the list.'
    : `Use a label from the label names (${option('labelNames', s)}), or add this label to that list.`),
  classImbalance: (s) => (s === 'cli'
    ? `Train with class weights (${option('classWeights', s)} balanced, or the "Class weights" setting) so rare classes count, and judge the run by macro F1.`
    : `Train with class weights (balanced, in ${option('classWeights', s)}) so rare classes count, and judge the run by macro F1.`),
  truncatedText: (s) => `Nothing to fix if the start of the text decides its label; otherwise raise ${s === 'cli' ? 'max_length' : option('maxLength', s)} (up to the model's positions) or shorten the text.`,
  chatTurnsChosen: (s) => (s === 'cli'
    ? `Nothing to fix if that is the message to classify; to classify the whole conversation, include the earlier turns with ${option('chatContext', s)} allTurns.`
    : `Nothing to fix if that is the message to classify; to classify the whole conversation, set ${option('chatContext', s)} to allTurns.`),
};

/** The advice for a problem kind whose fix is an option, worded for `surface`; undefined for every other kind. */
export function optionHint(kind: DatasetProblemKind, surface: MessageSurface): string | undefined {
  return hints[kind]?.(surface);
}
