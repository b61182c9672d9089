// Renders a prediction as hover Markdown: the verdict, the given label and whether the model agrees, and a
// small monospace bar chart of the top-k probabilities (Unicode blocks render everywhere hovers do).
import { markdownCodeText } from '../../protocol/markdownText';
import type { TextPrediction } from '../../protocol/model';

export interface HoverContent {
  prediction: TextPrediction;
  /** Below this top-1 probability the verdict is `UNCERTAIN`. */
  threshold: number;
  givenLabel?: string;
  topK: number;
  modelName: string;
  /** The model's label map (the order of `prediction.probabilities`). */
  labels: readonly string[];
  /** Markdown lines about this line from label-issue detection, shown under the verdict. */
  notes?: string[];
}

const barWidth = 20;

/** The Markdown body of the hover (to be wrapped in a `MarkdownString`; no command links, so it needs no trust). */
export function renderPredictionMarkdown({ prediction, threshold, givenLabel, topK, modelName, labels, notes = [] }: HoverContent): string {
  const top = prediction.top[0];
  const uncertain = prediction.confidence < threshold;
  const verdict = uncertain ? `\`UNCERTAIN\` (best guess \`${code(top.label)}\`)` : `\`${code(top.label)}\``;
  const lines = [`**Prediction:** ${verdict} — confidence ${percent(prediction.confidence)}${uncertain ? ` < threshold ${percent(threshold)}` : ''}`];
  if (givenLabel !== undefined) {
    const agrees = givenLabel === top.label;
    lines.push('', `**Given label:** \`${code(givenLabel)}\` — ${agrees ? '$(check) model agrees' : `$(warning) model disagrees (p(\`${code(givenLabel)}\`) = ${percent(probabilityOf(prediction, labels, givenLabel))})`}`);
  }
  for (const note of notes) lines.push('', note);
  const shown = prediction.top.slice(0, topK);
  const width = Math.max(...shown.map((p) => code(p.label).length));
  const chart = shown.map((p) => `${code(p.label).padEnd(width)} ${bar(p.probability)} ${percent(p.probability).padStart(6)}`);
  lines.push('', '```text', ...chart, '```', `<sub>${escapeHtml(modelName)}</sub>`);
  return lines.join('\n');
}

function probabilityOf(prediction: TextPrediction, labels: readonly string[], label: string): number {
  const id = labels.indexOf(label);
  return id >= 0 ? (prediction.probabilities[id] ?? NaN) : NaN;
}

function bar(probability: number): string {
  const eighths = Math.round(Math.max(0, Math.min(1, probability)) * barWidth * 8);
  const full = Math.floor(eighths / 8);
  const partial = eighths % 8 ? '▏▎▍▌▋▊▉'[(eighths % 8) - 1] : '';
  return ('█'.repeat(full) + partial).padEnd(barWidth, '·');
}

function percent(p: number): string {
  return Number.isFinite(p) ? `${(p * 100).toFixed(1)}%` : 'n/a';
}

/** Labels go inside backticks or the chart's code block: one line, no backtick (`markdownCodeText`). */
const code = markdownCodeText;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
