// The "Inspect dataset" report as Markdown: counts, label distribution, lengths, duplicates and problems with
// their lines. Shown read-only in the Markdown preview through `DatasetReportDocuments`.
import { markdownText as escape } from '../../protocol/markdownText';
import type { DatasetReport, LengthHistogram } from '../../protocol/dataset';
import { describeChatFormat } from '../../protocol/chatExample';

/**
 * Renders the report; dataset text never appears in it, only counts, labels and positions.
 * @param options.trainingAllowed false in Restricted Mode: a trainable dataset is then not "ready to train" (the
 *   fine-tune command is off), and the report says what would turn training on. Default true.
 */
export function datasetReportMarkdown(report: DatasetReport, options: { trainingAllowed?: boolean } = {}): string {
  const name = report.file.split(/[\\/]/).pop();
  const out: string[] = [`# ${escape(name ?? report.file)}`, ''];
  out.push(report.trainable ? trainableLine(options.trainingAllowed ?? true) : `**Training is refused:** ${escape((report.notTrainableReason ?? 'no usable examples').replace(/\.$/, ''))}.`, '');
  const fields = report.fields === null ? 'not detected'
    : report.fields.format === 'chat' ? describeChatFormat(report.fields.context)
      : `text \`${report.fields.textField}\`, label \`${report.fields.labelField}\`${report.fields.detected ? ' (detected)' : ''}`;
  out.push('| | |', '|---|---|',
    `| Examples | ${report.exampleCount.toLocaleString('en-US')} of ${report.lines.toLocaleString('en-US')} lines |`,
    `| Labels | ${report.labels.length} |`,
    `| Fields | ${fields} |`,
    `| Size | ${(report.bytes / 1024).toFixed(1)} KB, read in ${report.elapsedMs.toFixed(0)} ms |`,
    `| Text length (characters) | ${lengthLine(report.textLength)} |`,
    `| Text length (tokens${report.tokenLengthSource === 'wordEstimate' ? ', estimated' : ''}) | ${lengthLine(report.tokenLength)} |`,
    `| Duplicated texts | ${report.duplicateTexts}, of which ${report.conflictingTexts} with conflicting labels |`);
  if (report.siblingFiles.length) out.push(`| Other splits | ${report.siblingFiles.map((f) => escape(f.split(/[\\/]/).pop() ?? f)).join(', ')} |`);
  out.push('', '## Labels', '', '| Label | Examples | Share |', '|---|---:|---:|');
  const total = report.labelCounts.reduce((a, b) => a + b, 0) || 1;
  report.labels.forEach((label, i) => out.push(`| ${escape(label)} | ${report.labelCounts[i]} | ${((100 * report.labelCounts[i]) / total).toFixed(1)}% |`));
  if (report.labelNaming) out.push('', escape(report.labelNaming));
  out.push('', '## Problems', '');
  if (!report.problemCounts.length) out.push('None found.');
  else {
    out.push('| Severity | Kind | Count | First lines |', '|---|---|---:|---|');
    for (const c of report.problemCounts) {
      const lines = report.problems.filter((p) => p.kind === c.kind).slice(0, 5).map((p) => `${escape(p.file.split(/[\\/]/).pop() ?? '')}:${p.line}`);
      out.push(`| ${c.severity} | ${c.kind} | ${c.count} | ${lines.join(', ')}${c.count > lines.length ? ', …' : ''} |`);
    }
    out.push('', 'Every problem is also listed in the Problems panel with its line.');
  }
  return out.join('\n') + '\n';
}

function lengthLine(h: LengthHistogram): string {
  return `median ${h.p50}, 95th percentile ${h.p95}, max ${h.max}`;
}


/** The verdict for a trainable dataset: ready, or (Restricted Mode) ready once the workspace is trusted. */
function trainableLine(trainingAllowed: boolean): string {
  return trainingAllowed ? '**Ready to train.**'
    : '**Trainable, but training is off in Restricted Mode:** fine-tuning loads model files and trains on data from this workspace, which you have not marked as trusted. Trust the workspace (Manage Workspace Trust) to fine-tune on it.';
}
