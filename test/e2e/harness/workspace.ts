// Builds the workspace the journey runs in: a few hundred emotion lines with validation and test files beside them,
// a copy of the bert-tiny-random model folder, a multi-label ticket file, a plain-text note for selection hovers,
// unlabeled emotion texts, a malformed JSONL, a CSV, and
// workspace settings that make "Start with defaults" a small, real BERT run.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { shared, sharedPath } from '../../helpers/requirements';

export const emotionDir = sharedPath('data', 'emotion');
export const bertTinyDir = sharedPath('models', 'bert-tiny-random');
export const bankingDir = sharedPath('data', 'banking77');
/** What the workspace is built from, for `needs()`. */
export const workspaceSources = [shared('data/emotion'), shared('data/banking77'), shared('models/bert-tiny-random')];

export interface E2eWorkspace {
  root: string;
  train: string;
  notes: string;
  malformed: string;
  /** Emotion texts without labels, one per line (lines the training file does not hold), for "Suggest lines to label". */
  unlabeled: string;
  model: string;
  /** A CSV dataset (`feedback/feedback.csv`, header text,label) with a quoted cell over two lines. */
  csv: string;
  /** The multi-label support-ticket file and its two known lines (1-based). */
  tickets: MultiLabelTickets;
}

export interface MultiLabelTickets {
  file: string;
  /** A line given both `billing` and `delivery`, told by its words: the hover should predict both. */
  bothLine: number;
  bothText: string;
  /** A line about billing and delivery given only `billing`: label-issue detection should say `delivery` is missing. */
  missingLine: number;
  missingText: string;
}

const ticketWords: Record<string, string[]> = {
  billing: ['invoice', 'charged', 'refund', 'payment', 'bill'],
  delivery: ['package', 'shipping', 'courier', 'parcel', 'tracking'],
  praise: ['thanks', 'great', 'helpful', 'excellent', 'wonderful'],
};
const ticketFiller = ['my', 'the', 'was', 'today', 'again', 'please', 'order', 'account', 'still', 'about'];

/**
 * A multi-label JSONL of support tickets (one file: the engine carves validation and test by iterative
 * stratification): each line carries 0–3 of billing/delivery/praise, told by its words, so an n-gram model learns
 * them in seconds. Two lines are placed on purpose (see `MultiLabelTickets`).
 */
function writeTickets(dir: string, count: number): MultiLabelTickets {
  mkdirSync(dir, { recursive: true });
  let seed = 12345;
  // A small LCG: the file must be the same on every run (its lines are asserted on).
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const lines = Array.from({ length: count }, (_, i) => {
    const labels = Object.keys(ticketWords).filter(() => random() < 0.4);
    // The ticket number keeps every text distinct (no duplicate-line warnings among the label issues).
    const words = [`#${10000 + i}`, pick(ticketFiller), ...labels.flatMap((l) => [pick(ticketWords[l]!), pick(ticketFiller)]), pick(ticketFiller)];
    return JSON.stringify({ text: words.join(' '), labels });
  });
  const bothText = 'charged twice for shipping and the courier lost my parcel';
  const missingText = 'the invoice is wrong and the package never came, tracking shows nothing';
  lines[1] = JSON.stringify({ text: bothText, labels: ['billing', 'delivery'] });
  lines[9] = JSON.stringify({ text: missingText, labels: ['billing'] });
  const file = join(dir, 'tickets.jsonl');
  writeFileSync(file, lines.join('\n') + '\n');
  return { file, bothLine: 2, bothText, missingLine: 10, missingText };
}

function firstLines(file: string, count: number): string {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).slice(0, count).join('\n') + '\n';
}

/** Writes the workspace under `root` (which must exist and be empty). */
export function createWorkspace(root: string, opts: { trainLines: number; evalLines: number }): E2eWorkspace {
  const data = join(root, 'emotion');
  mkdirSync(data, { recursive: true });
  const train = join(data, 'train.jsonl');
  writeFileSync(train, firstLines(join(emotionDir, 'train.jsonl'), opts.trainLines));
  writeFileSync(join(data, 'validation.jsonl'), firstLines(join(emotionDir, 'validation.jsonl'), opts.evalLines));
  writeFileSync(join(data, 'test.jsonl'), firstLines(join(emotionDir, 'test.jsonl'), opts.evalLines));

  const unlabeled = join(data, 'unlabeled.txt');
  const beyondTrain = readFileSync(join(emotionDir, 'train.jsonl'), 'utf8').split('\n').filter((l) => l.trim()).slice(opts.trainLines, opts.trainLines + 40);
  writeFileSync(unlabeled, beyondTrain.map((l) => (JSON.parse(l) as { text: string }).text).join('\n') + '\n');

  const model = join(root, 'models', 'bert-tiny-random');
  cpSync(bertTinyDir, model, { recursive: true });

  const tickets = writeTickets(join(root, 'tickets'), 1500);

  const notes = join(root, 'notes.txt');
  writeFileSync(notes, 'Customer feedback, week 47\n\ni am so happy with how this turned out and i feel wonderful today\n\n' +
    'i feel so sad and lonely since everyone left\n');

  // No line is usable (broken JSON on lines 1-2, no label on 3, no text on 4): training must be refused, by line.
  const broken = join(root, 'broken');
  mkdirSync(broken);
  const malformed = join(broken, 'broken.jsonl');
  writeFileSync(malformed, '{"text": "i feel fine", "label": }\n{"text": "i feel awful", "label": \n{"text": "no label here"}\n{"label": "joy"}\n');

  // The same kind of data as a CSV export from a spreadsheet: a header, quoted cells, one cell spanning two lines.
  const feedback = join(root, 'feedback');
  mkdirSync(feedback);
  const rows = readFileSync(join(emotionDir, 'train.jsonl'), 'utf8').split('\n').filter((l) => l.trim()).slice(0, 200).map((l) => JSON.parse(l) as { text: string; label: string });
  rows[4] = { ...rows[4]!, text: `${rows[4]!.text},\n"quoted", on a second line` };
  const csv = join(feedback, 'feedback.csv');
  writeFileSync(csv, stringify([['text', 'label'], ...rows.map((r) => [r.text, r.label])]));

  mkdirSync(join(root, '.vscode'));
  writeFileSync(join(root, '.vscode', 'settings.json'), JSON.stringify({
    // "Start with defaults" trains this folder's BERT, small enough for CI: two short epochs.
    'classifierWorkbench.defaultModel': model,
    'classifierWorkbench.defaultMode': 'full',
    'classifierWorkbench.training.epochs': 2,
    'classifierWorkbench.training.batchSize': 16,
    'classifierWorkbench.training.maxLength': 64,
    'classifierWorkbench.training.learningRate': 0.001,
  }, null, 2));
  return { root, train, notes, malformed, unlabeled, model, tickets, csv };
}

/**
 * Adds `banking/train.jsonl` to the workspace: 30 banking77 intents of each of its first 10 labels, interleaved — a
 * second dataset with the same file name as `emotion/train.jsonl`, which the trees must tell apart. Added late in
 * the journey, so that the earlier scenarios find one `train.jsonl`.
 * @returns the file's path
 */
export function addSecondTrainFile(root: string): string {
  const byLabel = new Map<string, string[]>();
  for (const line of readFileSync(join(bankingDir, 'train.jsonl'), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const { label } = JSON.parse(line) as { label: string };
    if (!byLabel.has(label) && byLabel.size === 10) continue;
    byLabel.set(label, [...(byLabel.get(label) ?? []), line]);
  }
  const groups = [...byLabel.values()].map((lines) => lines.slice(0, 30));
  const lines = groups[0]!.flatMap((_, i) => groups.map((g) => g[i]).filter((l): l is string => l !== undefined));
  const dir = join(root, 'banking');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'train.jsonl');
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}
