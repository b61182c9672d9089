// Label corrections as a CSV file: how fixes reach data the editor cannot edit in place (Parquet is read-only
// here), and a record of review decisions for any format. Written by csv-stringify; the user's dataset is never touched.
import { rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { LabelIssueReport } from '../../protocol/labelIssueReport';
import type { LabelReview, ReviewDecision, ReviewSubject } from '../diagnostics/reviewStore';

/** The columns of a corrections file, in order. `line` is the 1-based row of a Parquet file, else its line. */
export const correctionColumns = ['file', 'line', 'text', 'given_label', 'suggested_label', 'suggested_probability', 'decision', 'corrected_label'] as const;

export interface ReviewLookup {
  decisionFor(subject: ReviewSubject): ReviewDecision | undefined;
  readonly all: readonly LabelReview[];
}

/**
 * One row per label issue of `report`, ranked: its decision (`accepted`, `dismissed` or `open`) and, when
 * accepted, the label it gets (the reviewer's new label, else the suggestion).
 */
export function correctionsCsv(report: LabelIssueReport, reviews: ReviewLookup | undefined): string {
  const rows = report.issues.map((issue) => {
    const subject: ReviewSubject = { file: issue.file, line: issue.line, text: issue.text, givenLabel: issue.givenLabel };
    const decision = reviews?.decisionFor(subject);
    const review = decision ? reviews?.all.find((r) => r.file === subject.file && r.text === subject.text && r.givenLabel === subject.givenLabel) : undefined;
    const corrected = decision === 'accepted' ? review?.newLabel ?? issue.suggestedLabel : '';
    return [issue.file, String(issue.line), issue.text, issue.givenLabel, issue.suggestedLabel, issue.suggestedProbability.toFixed(4), decision ?? 'open', corrected];
  });
  return stringify([[...correctionColumns], ...rows]);
}

/** Where a dataset's corrections go by default: `<name>.label-corrections.csv` beside it. */
export function defaultCorrectionsPath(dataset: string): string {
  return join(dirname(dataset), `${basename(dataset).replace(/\.[^.]+$/, '')}.label-corrections.csv`);
}

/** Writes `text` to `path` atomically (temp file + rename), so a crash never leaves half a file. */
export async function writeCorrections(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, text, 'utf8');
  await rename(temp, path);
}
