// A quick, streaming count of a dataset file's examples and labels for the Datasets tree (JSONL here; CSV, TSV
// and Parquet in tabularSummary.ts). It runs in the extension
// host without the engine, so it only detects fields (DESIGN.md "Data") and counts; validation is the engine's
// `dataset/inspect`.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { cellDelimiter, datasetFormatOf, isDelimitedText } from '../../common/datasetFormat';
import { delimiterSampleBytes, readFileHead } from '../../common/fileHead';
import { summarizeDelimited, summarizeParquet } from './tabularSummary';

export interface DatasetSummary {
  bytes: number;
  /** Lines that hold a text and a label. */
  examples: number;
  /** Label → count, most frequent first (multi-label lines count once under each of their labels). */
  labels: [string, number][];
  /** Lines that are not JSON objects with a text and a label. */
  unreadableLines: number;
  /** Set when the file was too large to count here. */
  skippedReason?: string;
}

const textFields = ['text', 'sentence', 'content', 'input', 'prompt'];
const labelFields = ['label', 'labels', 'category', 'intent', 'class', 'completion'];
/** Counting is cheap but not free; larger files show their size only. */
export const maxSummaryBytes = 200 * 1024 * 1024;

/**
 * Counts examples and labels of a JSONL file (plain objects with detected text/label fields, or OpenAI chat lines),
 * or of a CSV, TSV or Parquet file (text and label columns).
 * @param path absolute file path.
 */
export async function summarizeDataset(path: string): Promise<DatasetSummary> {
  const { size } = await stat(path);
  if (size > maxSummaryBytes) return { bytes: size, examples: 0, labels: [], unreadableLines: 0, skippedReason: 'too large to count here' };
  const format = datasetFormatOf(path);
  if (format === 'parquet') return summarizeParquet(path, size, textFields, labelFields);
  if (format !== undefined && isDelimitedText(format)) {
    const { head, complete } = await readFileHead(path, delimiterSampleBytes);
    return summarizeDelimited(path, size, cellDelimiter(format, head.toString('utf8'), complete), textFields, labelFields);
  }
  const counts = new Map<string, number>();
  let examples = 0;
  let unreadableLines = 0;
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const raw of lines) {
    const line = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    if (!line.trim()) continue;
    const given = labelsOf(line);
    if (given === undefined) {
      unreadableLines++;
      continue;
    }
    examples++;
    for (const label of given) counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  const labels = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return { bytes: size, examples, labels, unreadableLines };
}

/**
 * The labels of one JSONL line as strings — one, or a multi-label list's distinct items (maybe none: "none of
 * these") — or undefined when the line has no usable text and label.
 */
export function labelsOf(line: string): string[] | undefined {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  if (Array.isArray(o.messages)) {
    const label = chatLabel(o.messages);
    return label === undefined ? undefined : [label];
  }
  if (!textFields.some((f) => typeof o[f] === 'string')) return undefined;
  const field = labelFields.find((f) => o[f] !== undefined && o[f] !== null);
  const label = field === undefined ? undefined : o[field];
  if (typeof label === 'string' || typeof label === 'number') return [String(label)];
  if (Array.isArray(label) && label.every((l) => typeof l === 'string' || typeof l === 'number')) return [...new Set(label.map((l) => String(l).trim()))];
  return undefined;
}

function chatLabel(messages: unknown[]): string | undefined {
  const roles = messages.filter((m): m is { role: string; content: unknown } => typeof m === 'object' && m !== null && 'role' in m);
  const answer = roles.find((m) => m.role === 'assistant');
  const hasUser = roles.some((m) => m.role === 'user' && typeof m.content === 'string');
  return hasUser && answer && typeof answer.content === 'string' ? answer.content.trim() : undefined;
}
