// "Next / previous label issue" (keyboard review): steps through the Label issues list in its order, the ranked
// review queue, starting from the issue under the cursor, else the one these commands opened last, else the list's
// start (or end). Pure, so tests need no editor.
import { resolve } from 'node:path';

/** A place in a dataset: the file and its 1-based line (a review subject's `line`). */
export interface IssuePosition {
  file: string;
  line: number;
}

/**
 * The issue to open next, wrapping around at either end.
 * @param items the open issues in list order (`LabelIssueDiagnostics.openItems()`)
 * @param direction 1 for next, -1 for previous
 * @param at the editor's file and 1-based cursor line, when an editor is active
 * @param last the issue these commands opened last
 * @returns undefined when the list is empty
 */
export function stepLabelIssue<T extends { subject: IssuePosition }>(items: readonly T[], direction: 1 | -1, at?: IssuePosition, last?: IssuePosition): T | undefined {
  if (!items.length) return undefined;
  const indexOf = (p: IssuePosition | undefined) =>
    p ? items.findIndex((item) => item.subject.line === p.line && resolve(item.subject.file) === resolve(p.file)) : -1;
  const from = indexOf(at) >= 0 ? indexOf(at) : indexOf(last);
  if (from < 0) return direction === 1 ? items[0] : items[items.length - 1];
  return items[(from + direction + items.length) % items.length];
}
