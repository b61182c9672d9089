// The severity and the "what to do" advice of each dataset problem kind, in one table so every message reads alike.
import type { DatasetProblem, DatasetProblemKind, DatasetProblemSeverity } from '../../protocol/dataset';
import { optionHint } from '../../common/datasetProblemHints';

interface ProblemKindInfo {
  severity: DatasetProblemSeverity;
  hint: string;
}

/** The CLI wording of a hint whose fix is an option (the engine's problems carry it; VS Code rewords with `optionHint`). */
const cli = (kind: DatasetProblemKind): string => optionHint(kind, 'cli')!;

const catalog: Record<DatasetProblemKind, ProblemKindInfo> = {
  invalidUtf8: { severity: 'error', hint: 'Re-save the file as UTF-8 (it may be Latin-1 or Windows-1252), or remove the line.' },
  oversizedLine: { severity: 'error', hint: cli('oversizedLine') },
  blankLine: { severity: 'info', hint: 'Nothing to do: blank lines are skipped. Remove them to keep line numbers tidy.' },
  invalidJson: { severity: 'error', hint: 'Fix the JSON (often a missing quote, bracket or comma, a trailing comma, or an invisible character), or remove the line.' },
  notAnObject: { severity: 'error', hint: 'Write one JSON object per line, e.g. {"text": "...", "label": "..."}.' },
  missingText: { severity: 'error', hint: cli('missingText') },
  emptyText: { severity: 'error', hint: 'Fill in the text or remove the line.' },
  nonStringText: { severity: 'error', hint: 'Make the text a JSON string (quote numbers; replace null with the text).' },
  missingLabel: { severity: 'error', hint: cli('missingLabel') },
  emptyLabel: { severity: 'error', hint: 'Fill in the label or remove the line.' },
  nonScalarLabel: { severity: 'error', hint: 'Give the label as a string or an integer, or several labels as a list of them (["anger", "sadness"]).' },
  invalidLabel: { severity: 'error', hint: 'Use a string label or a non-negative integer class id.' },
  labelOutOfRange: { severity: 'error', hint: cli('labelOutOfRange') },
  mixedSchema: { severity: 'error', hint: cli('mixedSchema') },
  chatBadMessages: { severity: 'error', hint: 'Write "messages" as an array of {"role": "...", "content": "..."} objects.' },
  chatNoUserMessage: { severity: 'error', hint: 'Add a {"role": "user", "content": TEXT} message holding the text to classify.' },
  chatNoAssistantMessage: { severity: 'error', hint: 'Add a {"role": "assistant", "content": LABEL} message holding the label.' },
  mixedLabelTypes: { severity: 'warning', hint: 'Use either integer ids or label names throughout; both are read as strings, so 1 and "1" are the same class.' },
  rareClass: { severity: 'warning', hint: 'Add examples of this class (at least 2, ideally dozens) or merge it into another class.' },
  duplicate: { severity: 'warning', hint: 'Remove the repeated line: duplicates weigh an example twice and can leak into evaluation.' },
  conflictingLabels: { severity: 'warning', hint: 'Decide which label is right and make both lines agree (or remove one).' },
  sharedAcrossSplits: { severity: 'warning', hint: 'Remove the text from one of the splits: evaluating on training texts overstates accuracy.' },
  emptyFile: { severity: 'error', hint: 'Add examples: one JSON object per line with a text and a label.' },
  noExamples: { severity: 'error', hint: 'Fix the problems listed above; no line could be used as an example.' },
  singleClass: { severity: 'error', hint: 'Add examples of at least one other class: a classifier needs two or more labels.' },
  labelNotInTrain: { severity: 'warning', hint: 'Add training examples of this label, or fix the label if it is a typo. Until then these lines stay in evaluation and count as misclassified, and the class is listed with 0 training examples.' },
  tooManyLabels: { severity: 'error', hint: cli('tooManyLabels') },
  emptyLabelList: { severity: 'info', hint: 'Nothing to fix if the text really has none of the labels; otherwise add its labels to the list.' },
  duplicateLabelInList: { severity: 'warning', hint: 'Remove the repeated label from the list.' },
  mixedLabelShapes: { severity: 'warning', hint: 'Write every label field as a list (["a"]) in a multi-label file, or one label per line in a single-label file.' },
  classImbalance: { severity: 'warning', hint: cli('classImbalance') },
  byteOrderMark: { severity: 'warning', hint: 'Nothing breaks: the mark is ignored. Remove it (it usually comes from joining files that each start with one).' },
  uninformativeText: { severity: 'warning', hint: 'Write the text out, or remove the line: the model can only guess its label.' },
  truncatedText: { severity: 'info', hint: cli('truncatedText') },
  chatTurnsChosen: { severity: 'info', hint: cli('chatTurnsChosen') },
  malformedRecord: { severity: 'error', hint: 'In CSV/TSV, close the quote (a quote inside a quoted cell is written twice: ""); otherwise re-export the file from the tool that made it.' },
  rowShape: { severity: 'error', hint: 'Quote cells that hold the delimiter (or a line break), or fix the row to have one cell per header column.' },
  labelVariants: { severity: 'warning', hint: 'If they mean the same class, write one spelling on every line: labels are not merged for you.' },
  duplicateCheckLimited: { severity: 'info', hint: 'Nothing to fix: split the file (or deduplicate it with another tool) to check every line for duplicates.' },
};

/** Severity of a problem kind. */
export function problemSeverity(kind: DatasetProblemKind): DatasetProblemSeverity {
  return catalog[kind].severity;
}

/** Builds a problem with the catalogue's severity and advice. `message` says what is wrong on this line. */
export function makeProblem(
  kind: DatasetProblemKind,
  file: string,
  line: number,
  message: string,
  extra: { column?: number; related?: { file: string; line: number } } = {},
): DatasetProblem {
  const problem: DatasetProblem = { kind, severity: catalog[kind].severity, file, line, message, hint: catalog[kind].hint };
  if (extra.column !== undefined) problem.column = extra.column;
  if (extra.related) problem.related = extra.related;
  return problem;
}
