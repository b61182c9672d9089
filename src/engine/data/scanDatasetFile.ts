// One streaming pass over a JSONL dataset file: parses and validates every line, detects fields, gathers
// label counts, length statistics and duplicates, and hands each usable example to an optional callback.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { EngineError } from '../errors';
import { EngineErrorCodes } from '../../protocol/errors';
import type { DatasetFieldMapping } from '../../protocol/dataset';
import { datasetFormatOf, isDelimitedText } from '../../common/datasetFormat';
import { readerFor } from './readerFor';
import type { RecordSink } from './recordSource';
import { labelFromCell } from './labelFromCell';
import { detectFieldMapping, type FieldOptions } from './detectFieldMapping';
import { extractExample, type ExtractedExample, type LabelNaming } from './extractExample';
import { makeProblem } from './datasetProblemCatalog';
import type { ProblemCollector } from './problemCollector';
import { LengthStats } from './lengthStats';
import { estimateTokenCount } from './estimateTokenCount';
import { emptyForTokenizer, emptyForWords } from './textInformation';
import { quoteForMessage } from './quoteForMessage';
import { hashText, textHash } from './hashText';
import { TextHashTable } from './textHashTable';

/** Anything with an `encode` and special ids (the TextTokenizer fits): used for token-length statistics. */
export interface TokenCounter {
  /** Ids with the special tokens, truncated to `maxLength` (scans pass an unlimited length to get true lengths). */
  encode(text: string, maxLength?: number): ArrayLike<number>;
  readonly specialIds: { unk: number; cls: number; sep: number; pad: number };
}

export interface ScanOptions extends FieldOptions {
  /** Multi-label labels written as one delimited string (`DatasetReadOptions.labelDelimiter`). */
  labelDelimiter?: string;
  /** Names for integer labels (id → name); string labels must then be in this list. */
  labelNames?: readonly string[];
  /**
   * A model's `id2label`, naming integer labels when `labelNames` is not given (string labels are kept as they
   * are). See `chooseLabelNaming`.
   */
  modelLabelNames?: readonly string[];
  /** Lines longer than this are reported and skipped. Default 1 MiB. */
  maxLineBytes?: number;
  /** Token lengths come from this tokenizer when given, else from `estimateTokenCount`. */
  tokenizer?: TokenCounter;
  /**
   * Token budget per text (special tokens included): longer texts are reported as truncated, with the tokens
   * they lose. Default 128, the training default; measured in estimated tokens without a tokenizer.
   */
  maxLength?: number;
  /** Memory cap of the duplicate check, in hash-table slots (16 bytes each; power of two). Default 2^23. */
  maxDedupSlots?: number;
  /** Read-buffer size (default 1 MiB); small values exercise chunk boundaries in tests. */
  chunkBytes?: number;
  signal?: AbortSignal;
}

export interface FileScan {
  file: string;
  bytes: number;
  lines: number;
  mapping: DatasetFieldMapping | null;
  exampleCount: number;
  /** Examples per label and the first line of each label, in order of first appearance. */
  labelCounts: Map<string, number>;
  labelFirstLine: Map<string, number>;
  textLength: LengthStats;
  tokenLength: LengthStats;
  duplicateTexts: number;
  conflictingTexts: number;
  /** Hashes of every example text with its first line: used to find texts shared with other splits. */
  texts: TextHashTable;
  /** The first 200 characters of line 1, to recognise files that are not JSON Lines at all. */
  firstLineStart: string;
  /** Examples whose label was a list; any makes the dataset multi-label. */
  listLines: number;
  /** `labelsPerLine[n]` = examples with n distinct labels (a one-label line counts 1). */
  labelsPerLine: number[];
  /** Line of the first example with an empty label list, if any. */
  firstNoLabelLine?: number;
  /** Examples per unordered label pair, keyed `idA * 65536 + idB` (idA < idB, ids of `labelById`). */
  labelPairs: Map<number, number>;
  /** Label names by first-seen id (the keys of `labelPairs`). */
  labelById: string[];
  /** The token budget texts were checked against (`ScanOptions.maxLength`). */
  maxLength: number;
  /** Examples whose integer label was named through `labelNaming`. */
  namedIntegerLabels: number;
  /** The names integer labels were read through, if any. */
  labelNaming?: LabelNaming;
}

/**
 * Receives each usable example with its 1-based line; `labels` is present when the line's label was a list
 * (multi-label), `label` is then only a display string.
 */
export type ExampleSink = (text: string, label: string, line: number, labels?: string[]) => void;

/** Lines buffered before the field mapping is decided (fewer if they add up to `sampleBytes`). */
const sampleLines = 64;
const sampleBytes = 8 * 1024 * 1024;
/** The training default of max_length, used to report truncation when no other is given. */
export const defaultMaxLength = 128;
/** Encodes whole texts: inspect reports true lengths, not lengths capped at the model's positions. */
const untruncated = Number.MAX_SAFE_INTEGER;
/** Label ids are 16-bit in the duplicate table; more classes than this means a wrong label field. */
export const maxLabels = 65_535;
const flagDuplicateCounted = 1;
const flagConflictCounted = 2;

/**
 * Scans `file` once. Every problem goes to `problems`; every usable example to `onExample` with its 1-based
 * line. Never throws for bad content; throws EngineError only when the file cannot be read.
 */
export async function scanDatasetFile(
  file: string,
  options: ScanOptions,
  problems: ProblemCollector,
  onExample?: ExampleSink,
): Promise<FileScan> {
  problems.noteFile(file);
  const info = await stat(file).catch(() => undefined);
  if (info?.isDirectory()) {
    // A folder that holds dataset files (eval, suggest: they read one file) gets them named, not "a folder without…".
    const files = (await readdir(file).catch(() => [] as string[])).filter((n) => /\.(jsonl|csv|tsv|parquet)$/i.test(n)).sort();
    if (files.length) {
      const example = files.find((n) => /^test[._-]/i.test(n)) ?? files[0]!;
      throw new EngineError(EngineErrorCodes.invalidDataset, `this is a folder, not a file of labelled examples; it holds ${files.slice(0, 8).join(', ')}${files.length > 8 ? ', …' : ''}: pass one of them, e.g. ${join(file, example)}`, { file });
    }
    throw new EngineError(EngineErrorCodes.invalidDataset, 'This is a folder without a train.jsonl (or train.csv, train.tsv, train.parquet): give a dataset file (.jsonl, .csv, .tsv, .parquet), or a folder holding one of those.', { file });
  }
  const size = info?.size ?? 0;
  const format = datasetFormatOf(file);
  const naming = chooseLabelNaming(options);
  const maxLength = options.maxLength ?? defaultMaxLength;
  const scan: FileScan = {
    file, bytes: size, lines: 0, mapping: null, exampleCount: 0,
    labelCounts: new Map(), labelFirstLine: new Map(),
    textLength: new LengthStats(), tokenLength: new LengthStats(),
    duplicateTexts: 0, conflictingTexts: 0, texts: new TextHashTable(), firstLineStart: '', namedIntegerLabels: 0, maxLength,
    listLines: 0, labelsPerLine: [], labelPairs: new Map(), labelById: [],
  };
  if (naming) scan.labelNaming = naming;
  const labelIds = new Map<string, number>();
  const labelById = scan.labelById;
  // The duplicate check compares label *sets*: one id per distinct set (a one-label line is the set of one).
  const labelSetIds = new Map<string, number>();
  const labelSetById: string[] = [];
  let firstShapeWasList: boolean | undefined;
  // Counted by id on the hot path; turned into `scan.labelCounts` once at the end.
  const countById: number[] = [];
  let decided = false;
  let samples: { line: number; record: Record<string, unknown>; raw?: string }[] = [];
  let sampledBytes = 0;
  let firstLabelWasInteger: boolean | undefined;
  let mixedTypesReported = false;
  let dedupLimitReported = false;

  /** Fixes the mapping from `records`; the duplicate table is sized for `rows` or, unknown, from the average record. */
  const decideFrom = (records: Record<string, unknown>[], rows?: number): void => {
    scan.mapping = detectFieldMapping(records, options);
    // Size the duplicate table so a big file never resizes it.
    const avgLineBytes = samples.length > 0 ? Math.max(16, sampledBytes / samples.length) : 64;
    scan.texts = new TextHashTable(Math.ceil((rows ?? size / avgLineBytes) * 1.1), options.maxDedupSlots);
    decided = true;
    const buffered = samples;
    samples = [];
    for (const s of buffered) processRecord(s.record, s.raw, s.line);
  };
  let header: Record<string, unknown> | undefined;
  const decide = (): void => decideFrom(header ? [header] : samples.map((s) => s.record));

  const oneLabel: string[] = [''];
  const lineIds: number[] = [];
  const setIdOfLabelId: number[] = [];
  // Only lines with a problem need the label's column, so it is found then, not on every line.
  const labelColumn = (raw: string | undefined): { column?: number } => {
    const at = scan.mapping?.format === 'fields' && raw !== undefined ? raw.indexOf(`"${scan.mapping.labelField}"`) : -1;
    return at >= 0 ? { column: at + 1 } : {};
  };
  // Label-shape checks and list counting live outside `processRecord`, which runs on every line: while they were
  // inside, V8 stopped inlining hashText and estimateTokenCount into it (bench:data's inspect ran ~30 % slower).
  const checkLabelKinds = (ex: Extract<ExtractedExample, { ok: true }>, isList: boolean, raw: string | undefined, line: number): void => {
    if (ex.note !== undefined) problems.add(makeProblem('chatTurnsChosen', file, line, ex.note));
    if (ex.labelWasInteger && naming) scan.namedIntegerLabels++;
    if (!isList || ex.labels!.length > 0) {
      if (firstLabelWasInteger === undefined) firstLabelWasInteger = ex.labelWasInteger;
      else if (ex.labelWasInteger !== firstLabelWasInteger && !mixedTypesReported && !naming) {
        mixedTypesReported = true;
        problems.add(makeProblem('mixedLabelTypes', file, line,
          `This label is ${ex.labelWasInteger ? 'an integer' : 'a string'} but earlier labels are ${firstLabelWasInteger ? 'integers' : 'strings'}.`));
      }
    }
    if (firstShapeWasList === undefined) firstShapeWasList = isList;
    else if (isList !== firstShapeWasList) {
      problems.add(makeProblem('mixedLabelShapes', file, line, isList
        ? 'This label is a list but earlier lines have one label each; the file is read as multi-label, one-label lines as lists of one.'
        : 'This line has one label but earlier lines have label lists; it is read as a list of one label.', labelColumn(raw)));
    }
  };
  const countListLine = (ex: Extract<ExtractedExample, { ok: true }>, idCount: number, raw: string | undefined, line: number): void => {
    scan.listLines++;
    if (ex.labels!.length === 0) {
      scan.firstNoLabelLine ??= line;
      problems.add(makeProblem('emptyLabelList', file, line, 'The label list is empty: the text is read as having none of the labels.', labelColumn(raw)));
    }
    if (ex.repeatedLabels) {
      problems.add(makeProblem('duplicateLabelInList', file, line, `The label list repeats ${ex.repeatedLabels.map((l) => quoteForMessage(l)).join(', ')}; each label counts once.`, labelColumn(raw)));
    }
    const sorted = lineIds.slice(0, idCount).sort((a, b) => a - b);
    for (let a = 0; a < sorted.length; a++) {
      for (let b = a + 1; b < sorted.length; b++) {
        const key = sorted[a]! * 65536 + sorted[b]!;
        scan.labelPairs.set(key, (scan.labelPairs.get(key) ?? 0) + 1);
      }
    }
  };

  const cellsAreText = format !== undefined && isDelimitedText(format);
  const processRecord = (record: Record<string, unknown>, raw: string | undefined, line: number): void => {
    // A CSV/TSV cell is always a string: the label cell "3" is the integer label 3, "[...]" a label list.
    if (cellsAreText && scan.mapping?.format === 'fields') {
      const cell = record[scan.mapping.labelField];
      if (typeof cell === 'string') record[scan.mapping.labelField] = labelFromCell(cell);
    }
    const ex = extractExample(record, scan.mapping, naming, options.labelDelimiter);
    if (!ex.ok) {
      const at = ex.field === undefined || raw === undefined ? -1 : raw.indexOf(`"${ex.field}"`);
      problems.add(makeProblem(ex.kind, file, line, ex.message, at >= 0 ? { column: at + 1 } : {}));
      return;
    }
    const { text, label } = ex;
    const isList = ex.labels !== undefined;
    // One-label lines (the common case) keep to a fixed array, so the hot path allocates nothing per line.
    let lineLabels: readonly string[];
    if (isList) lineLabels = ex.labels!;
    else {
      oneLabel[0] = label;
      lineLabels = oneLabel;
    }
    checkLabelKinds(ex, isList, raw, line);
    let idCount = 0;
    for (const name of lineLabels) {
      let labelId = labelIds.get(name);
      if (labelId === undefined) {
        if (labelIds.size >= maxLabels) {
          problems.add(makeProblem('tooManyLabels', file, line, `Label ${quoteForMessage(name)} would be label number ${maxLabels + 1}; lines with further new labels are skipped.`));
          return;
        }
        labelId = labelIds.size;
        labelIds.set(name, labelId);
        labelById[labelId] = name;
        countById[labelId] = 0;
        scan.labelFirstLine.set(name, line);
      }
      lineIds[idCount++] = labelId;
    }
    for (let i = 0; i < idCount; i++) countById[lineIds[i]!]!++;
    if (isList) countListLine(ex, idCount, raw, line);
    scan.labelsPerLine[lineLabels.length] = (scan.labelsPerLine[lineLabels.length] ?? 0) + 1;
    // A set of one is keyed by its label itself (what the sort-and-join gives for one element), and its set id is
    // remembered per label id, so one-label lines look up no string key.
    let labelId = isList ? undefined : setIdOfLabelId[lineIds[0]!];
    const setKey = labelId !== undefined ? '' : isList ? [...lineLabels].sort().join('\u0001') : label;
    if (labelId === undefined) labelId = labelSetIds.get(setKey);
    if (labelId === undefined) {
      // Past the table's 16-bit ids, further sets share the last id: the conflict check then misses a few.
      labelId = Math.min(labelSetIds.size, maxLabels - 1);
      if (labelSetIds.size < maxLabels) {
        labelSetIds.set(setKey, labelId);
        labelSetById[labelId] = isList ? JSON.stringify([...lineLabels].sort()) : quoteForMessage(label);
      }
    }
    if (!isList) setIdOfLabelId[lineIds[0]!] = labelId;
    scan.exampleCount++;
    scan.textLength.add(text.length);
    let tokens: number;
    let empty: string | undefined;
    if (options.tokenizer) {
      const ids = options.tokenizer.encode(text, untruncated);
      tokens = ids.length;
      empty = emptyForTokenizer(ids, options.tokenizer.specialIds);
    } else {
      tokens = estimateTokenCount(text);
      empty = emptyForWords(text);
    }
    scan.tokenLength.add(tokens);
    if (empty !== undefined) problems.add(makeProblem('uninformativeText', file, line, empty));
    if (tokens > maxLength) {
      problems.add(makeProblem('truncatedText', file, line, `${tokens} tokens${options.tokenizer ? '' : ' (estimated)'}, over max_length ${maxLength}: the last ${tokens - maxLength} are cut off in training and prediction.`));
    }

    hashText(text);
    const visit = scan.texts.visit(textHash.hi, textHash.lo, line, labelId);
    if (visit.full && !dedupLimitReported) {
      dedupLimitReported = true;
      problems.add(makeProblem('duplicateCheckLimited', file, line,
        `From this line on, new texts are not checked for duplicates: the check holds at most ${scan.texts.size} distinct texts in memory.`));
    }
    if (visit.seen) {
      const slot = visit.slot;
      const flags = scan.texts.flags(slot);
      const firstLine = scan.texts.lineAt(slot);
      const related = { file, line: firstLine };
      if ((flags & flagConflictCounted) !== 0 || scan.texts.labelAt(slot) !== labelId) {
        if ((flags & flagConflictCounted) === 0) scan.conflictingTexts++;
        const firstLabel = labelSetById[scan.texts.labelAt(slot)];
        const message = scan.texts.labelAt(slot) === labelId
          ? `Same text and label as line ${firstLine}, but other lines give this text a different label.`
          : `Same text as line ${firstLine} (labelled ${firstLabel}), here labelled ${labelSetById[labelId]}.`;
        problems.add(makeProblem('conflictingLabels', file, line, message, { related }));
        scan.texts.setFlags(slot, flagConflictCounted);
      } else {
        problems.add(makeProblem('duplicate', file, line, `Same text and label as line ${firstLine}.`, { related }));
      }
      if ((flags & flagDuplicateCounted) === 0) {
        scan.duplicateTexts++;
        scan.texts.setFlags(slot, flagDuplicateCounted);
      }
    }
    onExample?.(text, label, line, ex.labels);
  };

  const sink: RecordSink = {
    columns: (names, rows) => {
      // The columns are known before any record: the mapping comes from them, and readers decode only the two
      // columns it names. With a row count (Parquet) the duplicate table is sized now; else after the samples.
      header = Object.fromEntries(names.map((n) => [n, true]));
      const mapping = detectFieldMapping([header], options);
      if (rows !== undefined) decideFrom([header], rows);
      return mapping?.format === 'fields' ? [mapping.textField, mapping.labelField] : undefined;
    },
    record: (record, line, bytes, raw) => {
      if (line === 1 && raw !== undefined) scan.firstLineStart = raw.slice(0, 200);
      if (decided) {
        processRecord(record, raw, line);
        return;
      }
      samples.push({ line, record, raw });
      sampledBytes += bytes;
      if (samples.length >= sampleLines || sampledBytes >= sampleBytes) decide();
    },
    problem: (kind, line, message, extra) => problems.add(makeProblem(kind, file, line, message, extra)),
  };
  const summary = await readerFor(file)(file, sink, { maxLineBytes: options.maxLineBytes, chunkBytes: options.chunkBytes, signal: options.signal });
  scan.firstLineStart ||= summary.firstLineStart;
  if (!decided) decide();
  labelById.forEach((label, id) => scan.labelCounts.set(label, countById[id]!));
  for (let n = 0; n < scan.labelsPerLine.length; n++) scan.labelsPerLine[n] ??= 0;
  scan.lines = summary.lines;
  scan.bytes = summary.bytes;
  return scan;
}

/**
 * The one rule for integer labels, used by every command that reads labels: the user's `labelNames` when given,
 * else a model's `id2label` (`modelLabelNames`) when a model is involved, else none (ids stay "0", "1", ...).
 */
export function chooseLabelNaming(options: Pick<ScanOptions, 'labelNames' | 'modelLabelNames'>): LabelNaming | undefined {
  if (options.labelNames) return { names: options.labelNames, source: 'labelNames' };
  // A model trained on integer ids has labels "0", "2", ...: its ids match by value, so naming by position would be wrong.
  if (options.modelLabelNames && !options.modelLabelNames.every((n) => /^\d+$/.test(n))) return { names: options.modelLabelNames, source: 'model' };
  return undefined;
}

/** One sentence saying that integer labels were named, and through what, for the output of every command. */
export function describeLabelNaming(scan: Pick<FileScan, 'labelNaming' | 'namedIntegerLabels'>): string | undefined {
  if (!scan.labelNaming || scan.namedIntegerLabels === 0) return undefined;
  const { names, source } = scan.labelNaming;
  const shown = names.slice(0, 6).map((n, i) => `${i} = ${n}`).join(', ') + (names.length > 6 ? ', …' : '');
  const through = source === 'labelNames' ? 'the label-names list' : "the model's id2label";
  return `Integer labels on ${scan.namedIntegerLabels} line${scan.namedIntegerLabels === 1 ? '' : 's'} were read as names through ${through} (${shown}).`;
}
