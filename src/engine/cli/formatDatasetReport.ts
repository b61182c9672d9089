// The human summary `inspect` prints: counts, label table, length stats, problems grouped by kind.
import { datasetFormatOf } from '../../common/datasetFormat';
import { terminalText } from './terminalText';
import { relative, isAbsolute } from 'node:path';
import type { DatasetProblem, DatasetReport, LengthHistogram, MultiLabelStats } from '../../protocol/dataset';
import { describeChatFormat } from '../../protocol/chatExample';
import { formatTable } from './formatTable';

export interface ReportFormatOptions {
  /** Paths are shown relative to this folder when that is shorter. */
  cwd: string;
  /** Problems listed per kind before "… and N more". */
  problemsPerKind: number;
}

/** Labels listed in the table; more would scroll the problems out of sight. */
const maxLabelRows = 100;

/** Renders `report` as plain text (no colours, so it reads the same in a log file). */
export function formatDatasetReport(report: DatasetReport, options: ReportFormatOptions): string {
  const show = (file: string): string => displayPath(file, options.cwd);
  const out: string[] = [];
  const fields = report.fields === null ? 'no text field found'
    : report.fields.format === 'chat' ? describeChatFormat(report.fields.context)
      : `text "${report.fields.textField}", label "${report.fields.labelField}"${report.fields.detected ? ' (detected)' : ''}`;
  out.push(`Dataset  ${show(report.file)}`);
  out.push(`         ${report.exampleCount} examples from ${report.lines} ${datasetFormatOf(report.file) === 'parquet' ? 'rows' : 'lines'} · ${formatSize(report.bytes)} · ${fields} · read in ${(report.elapsedMs / 1000).toFixed(2)} s`);
  const siblings = report.siblingFiles.map((f) => `${show(f)}${report.siblingExampleCounts?.[f] === undefined ? '' : ` (${report.siblingExampleCounts[f]} examples)`}`);
  if (siblings.length > 0) out.push(`Splits   ${siblings.join(', ')}: checked for texts shared with this file`);

  if (report.labels.length > 0) {
    const total = report.exampleCount || 1;
    const maxCount = Math.max(...report.labelCounts, 1);
    const rows = report.labels.slice(0, maxLabelRows).map((label, id) => {
      const count = report.labelCounts[id];
      return [String(id), label, String(count), `${((100 * count) / total).toFixed(1)}%`, '█'.repeat(Math.round((20 * count) / maxCount))];
    });
    const title = report.multiLabel ? `Labels (${report.labels.length}; multi-label: share = of examples carrying the label)` : `Labels (${report.labels.length})`;
    out.push('', title, formatTable(['id', 'label', 'count', 'share', ''], rows, [0, 2, 3]));
    if (report.labels.length > maxLabelRows) out.push(`  … and ${report.labels.length - maxLabelRows} more labels (--json lists all)`);
    if (report.labelNaming) out.push(`  ${report.labelNaming}`);
  }
  if (report.multiLabel) out.push('', ...formatMultiLabel(report.multiLabel, report.exampleCount));
  if (report.imbalance) {
    const i = report.imbalance;
    out.push('', `Balance  largest class "${terminalText(i.majority)}" ${i.majorityCount} examples, smallest "${terminalText(i.minority)}" ${i.minorityCount}: ratio ${i.ratio.toFixed(1)}`);
  }
  if (report.exampleCount > 0) {
    const tokenSource = report.tokenLengthSource === 'tokenizer' ? 'tokenizer' : 'word estimate';
    out.push('', formatTable(['', '', '', '', '', '', ''], [
      lengthRow('Text length (chars)', report.textLength),
      lengthRow(`Token length (${tokenSource})`, report.tokenLength),
    ], [1, 2, 3, 4, 5]).split('\n').slice(1).join('\n').replace(/^ {2}/gm, ''));
  }
  if (report.truncation && report.truncation.lines > 0) {
    const t = report.truncation;
    out.push(`Over max_length ${t.maxLength}: ${t.lines} text${plural(t.lines)} lose ${t.tokensLost} token${plural(t.tokensLost)} in all${report.tokenLengthSource === 'tokenizer' ? '' : ' (estimated)'}`);
  }
  if (report.duplicateTexts > 0) {
    out.push('', `Duplicates  ${report.duplicateTexts} text${plural(report.duplicateTexts)} repeated; ${report.conflictingTexts} text${plural(report.conflictingTexts)} with conflicting labels`);
  }

  const total = report.problemCounts.reduce((n, c) => n + c.count, 0);
  out.push('', total === 0 ? 'Problems  none' : `Problems (${total})`);
  for (const { kind, severity, count } of report.problemCounts) {
    const listed = report.problems.filter((p) => p.kind === kind).slice(0, options.problemsPerKind);
    out.push(`  ${severity} ${kind} ×${count}`);
    for (const p of listed) out.push(`    ${location(p, show)}  ${p.message}`);
    if (count > listed.length) out.push(`    … and ${count - listed.length} more${options.problemsPerKind < report.problemLimitPerKind ? ' (--limit N or --json to see more)' : ''}`);
    if (listed[0]) out.push(`    → ${listed[0].hint}`);
  }
  out.push('');
  out.push(report.trainable
    ? `Trainable: ${report.exampleCount} examples in ${report.labelCounts.filter((c) => c > 0).length} ${report.multiLabel ? 'labels (multi-label)' : 'classes'}.`
    : `Not trainable: ${report.notTrainableReason}`);
  return `${out.join('\n')}\n`;
}

function formatMultiLabel(stats: MultiLabelStats, examples: number): string[] {
  const perLine = stats.labelsPerLine.map((count, n) => `${n}: ${count}`).join(' · ');
  const out = [
    `Multi-label  ${stats.meanLabelsPerLine.toFixed(2)} labels per example on average; examples with n labels  ${perLine}`,
    `             ${stats.noLabelLines} example${plural(stats.noLabelLines)} with no label (${((100 * stats.noLabelLines) / (examples || 1)).toFixed(1)}%, allowed: "none of these")`,
  ];
  if (stats.topPairs.length > 0) {
    out.push('Labels that occur together (top pairs)');
    out.push(formatTable(['pair', '', 'examples'], stats.topPairs.map((p) => [p.labels[0], p.labels[1], String(p.count)]), [2]));
  }
  return out;
}

function lengthRow(title: string, h: LengthHistogram): string[] {
  return [title, `min ${h.min}`, `median ${h.p50}`, `mean ${h.mean.toFixed(1)}`, `p95 ${h.p95}`, `max ${h.max}`, sparkline(h.counts)];
}

/** The histogram as one line of block characters. */
export function sparkline(counts: readonly number[]): string {
  const blocks = '▁▂▃▄▅▆▇█';
  const max = Math.max(...counts, 1);
  return counts.map((c) => (c === 0 ? ' ' : blocks[Math.min(7, Math.floor((c / max) * 7.999))])).join('');
}

function location(p: DatasetProblem, show: (file: string) => string): string {
  return `${show(p.file)}:${p.line}${p.column ? `:${p.column}` : ''}`;
}

function displayPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel !== '' && !isAbsolute(rel) && rel.length < file.length ? rel : file;
}

function formatSize(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}

function plural(n: number): string {
  return n === 1 ? '' : 's';
}

