// Decisions the user took on label issues (accepted = relabelled, dismissed = the label is right), kept in the
// run's reviews.json so they survive reloads and never require editing the data silently. Written atomically.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export type ReviewDecision = 'accepted' | 'dismissed';

/** Which issue a review is about: the file, and the example's text and label (line numbers shift as files are edited). */
export interface ReviewSubject {
  file: string;
  line: number;
  text: string;
  givenLabel: string;
}

export interface LabelReview extends ReviewSubject {
  decision: ReviewDecision;
  /** The label written by an accepted relabel. */
  newLabel?: string;
  /** ISO time of the decision. */
  at: string;
}

export interface ReviewsFile {
  version: 1;
  reviews: LabelReview[];
}

export class ReviewStore {
  private reviews = new Map<string, LabelReview>();

  /** @param path the reviews.json file (usually `<runDir>/reviews.json`). */
  constructor(readonly path: string) {}

  /** Reads the file; a missing file is an empty store. A corrupt file is an error: it is never overwritten blindly. */
  async load(): Promise<void> {
    let raw: string;
    try {
      raw = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') { this.reviews.clear(); return; }
      throw error;
    }
    const parsed = JSON.parse(raw) as Partial<ReviewsFile>;
    if (parsed.version !== 1 || !Array.isArray(parsed.reviews)) throw new Error(`${this.path}: not a reviews file (version 1 with a "reviews" list).`);
    this.reviews = new Map(parsed.reviews.map((r) => [reviewKey(r), r]));
  }

  isReviewed(subject: ReviewSubject): boolean {
    return this.reviews.has(reviewKey(subject));
  }

  /** The decision taken on `subject`, if any. */
  decisionFor(subject: ReviewSubject): ReviewDecision | undefined {
    return this.reviews.get(reviewKey(subject))?.decision;
  }

  get all(): LabelReview[] {
    return [...this.reviews.values()];
  }

  /** Records a decision and writes the file (temp file + rename, so a crash never leaves half a file). */
  async record(subject: ReviewSubject, decision: ReviewDecision, newLabel?: string): Promise<LabelReview> {
    const review: LabelReview = { file: subject.file, line: subject.line, text: subject.text, givenLabel: subject.givenLabel, decision, newLabel, at: new Date().toISOString() };
    this.reviews.set(reviewKey(subject), review);
    const body: ReviewsFile = { version: 1, reviews: this.all };
    await mkdir(dirname(this.path), { recursive: true });
    const temp = `${this.path}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temp, `${JSON.stringify(body, null, 2)}\n`, 'utf8');
    await rename(temp, this.path);
    return review;
  }
}

function reviewKey(subject: ReviewSubject): string {
  return JSON.stringify([subject.file, subject.text, subject.givenLabel]);
}
