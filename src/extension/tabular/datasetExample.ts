// The example a label issue points at, read from the file's current text by its format: one JSONL line, or the
// CSV/TSV record that starts on the line (it may span several). Parquet files are not text: nothing is read there.
import { datasetFormatOf, delimiterOfLines, isDelimitedText } from '../../common/datasetFormat';
import type { DatasetFieldMapping } from '../../protocol/dataset';
import { readJsonlExample } from '../hover/jsonlExample';
import { findLabelListSpan, findLabelValueSpan, labelFieldNames } from '../diagnostics/labelValueSpan';
import { maxRecordLines, positionIn, readCsvRecord } from './csvRecord';

const textFieldNames: readonly string[] = ['text', 'sentence', 'content', 'input', 'prompt'];

export interface TextPosition {
  /** 0-based line and character, as VS Code counts them. */
  line: number;
  character: number;
}

export interface LocatedExample {
  text: string;
  /** The given label as a string (a label list: its items joined by ", "). */
  label?: string;
  labels?: string[];
  /** Where the label value sits (a quoted CSV cell: with its quotes), when it can be edited in place. */
  labelRange?: { start: TextPosition; end: TextPosition };
}

/** The fields a label-issue report says the file uses (`LabelIssueReport` has them). */
export interface ExampleFields {
  textField?: string;
  labelField?: string;
  fieldMapping?: DatasetFieldMapping;
}

/**
 * The example at 1-based `line` of `file`, whose current text is `lines` (split at line breaks), or undefined when
 * nothing readable is there (a Parquet file, a line that is no longer an example, a record that does not parse).
 * @param delimiter a CSV's cell delimiter when the caller has it already (once per file, not per example); else it
 *   is guessed from `lines`, which must then be the whole file
 */
export function locateExample(file: string, lines: readonly string[], line: number, fields: ExampleFields = {}, delimiter?: string): LocatedExample | undefined {
  const format = datasetFormatOf(file);
  if (format === 'parquet') return undefined;
  if (format !== undefined && isDelimitedText(format)) return locateCsvExample(lines, line, delimiter ?? delimiterOfLines(format, lines, true), fields);
  const text = lines[line - 1];
  if (text === undefined) return undefined;
  const example = readJsonlExample(text, fields);
  if (!example) return undefined;
  const source = fields.fieldMapping ?? fields.labelField;
  const span = findLabelValueSpan(text, source) ?? findLabelListSpan(text, source);
  return {
    ...example,
    ...(span ? { labelRange: { start: { line: line - 1, character: span.start }, end: { line: line - 1, character: span.end } } } : {}),
  };
}

/** The text and label columns of a header: the report's fields when known, else the usual names in detection order. */
export function csvColumns(header: readonly string[], fields: ExampleFields): { text: number; label: number } {
  const mapping = fields.fieldMapping?.format === 'fields' ? fields.fieldMapping : undefined;
  const textName = mapping?.textField ?? fields.textField ?? textFieldNames.find((n) => header.includes(n));
  const labelName = mapping?.labelField ?? fields.labelField ?? labelFieldNames.find((n) => n !== textName && header.includes(n));
  return { text: textName === undefined ? -1 : header.indexOf(textName), label: labelName === undefined ? -1 : header.indexOf(labelName) };
}

/** The header's column names (line 1), trimmed as the engine trims them. */
export function csvHeader(firstLine: string | undefined, delimiter: string): string[] | undefined {
  return firstLine === undefined ? undefined : readCsvRecord(firstLine, delimiter)?.cells.map((c) => c.trim());
}

function locateCsvExample(lines: readonly string[], line: number, delimiter: string, fields: ExampleFields): LocatedExample | undefined {
  if (line < 2) return undefined;
  const header = csvHeader(lines[0], delimiter);
  if (!header) return undefined;
  const columns = csvColumns(header, fields);
  const record = readCsvRecord(lines.slice(line - 1, line - 1 + maxRecordLines).join('\n'), delimiter);
  const text = record?.cells[columns.text];
  if (!record || text === undefined || text.trim() === '') return undefined;
  const cell = record.cells[columns.label];
  if (cell === undefined) return { text };
  const span = record.spans[columns.label]!;
  const at = (offset: number): TextPosition => {
    const p = positionIn(record.raw, offset);
    return { line: line - 1 + p.line, character: p.character };
  };
  const labelRange = { start: at(span.start), end: at(span.end) };
  const list = labelList(cell);
  if (list) return { text, label: list.join(', '), labels: list, labelRange };
  return { text, label: cell.trim(), labelRange };
}

/** A cell holding a JSON list of labels (the engine's `labelFromCell` reads it the same way). */
function labelList(cell: string): string[] | undefined {
  const t = cell.trim();
  if (!t.startsWith('[') || !t.endsWith(']')) return undefined;
  try {
    const value: unknown = JSON.parse(t);
    return Array.isArray(value) ? [...new Set(value.map((v) => String(v).trim()))] : undefined;
  } catch {
    return undefined;
  }
}

/** The same example: texts compared with line breaks normalised (an editor's lines lose a quoted cell's CRLF). */
export function sameText(a: string, b: string): boolean {
  return a === b || a.replace(/\r\n?/g, '\n') === b.replace(/\r\n?/g, '\n');
}
