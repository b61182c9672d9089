// Renders a prediction as hover Markdown: the verdict, the given label and whether the model agrees, and a
// small monospace bar chart of the top-k probabilities (Unicode blocks render everywhere hovers do).
import { markdownCodeText } from '../../protocol/markdownText';
import type { TextPrediction } from '../../protocol/model';

export interface HoverContent {
  prediction: TextPrediction;
  /** Below this top-1 probability the verdict is `UNCERTAIN`. */
  threshold: number;
  givenLabel?: string;
  /** A multi-label line's given labels. */
  givenLabels?: string[];
  topK: number;
  modelName: string;
  /** The model's label map (the order of `prediction.probabilities`). */
  labels: readonly string[];
  /** Markdown lines about this line from label-issue detection, shown under the verdict. */
  notes?: string[];
}

const barWidth = 20;

/** The Markdown body of the hover (to be wrapped in a `MarkdownString`; no command links, so it needs no trust). */
export function renderPredictionMarkdown(content: HoverContent): string {
  if (content.prediction.labels) return renderMultiLabelMarkdown(content);
  const { prediction, threshold, givenLabel, topK, modelName, labels, notes = [] } = content;
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

/**
 * A multi-label model's hover: every label at or above its threshold, the given labels with what the model
 * misses or adds, and the probability of every label against its threshold (✓ = predicted).
 */
function renderMultiLabelMarkdown({ prediction, givenLabel, givenLabels, modelName, labels, notes = [] }: HoverContent): string {
  const predicted = prediction.labels ?? [];
  const thresholds = prediction.thresholds ?? labels.map(() => 0.5);
  const verdict = predicted.length ? predicted.map((l) => `\`${code(l)}\``).join(', ') : 'none of the labels (no label reaches its threshold)';
  const lines = [`**Predicted labels:** ${verdict}`];
  const given = givenLabels ?? (givenLabel !== undefined ? [givenLabel] : undefined);
  if (given) {
    const missed = given.filter((l) => !predicted.includes(l));
    const extra = predicted.filter((l) => !given.includes(l));
    const list = given.length ? given.map((l) => `\`${code(l)}\``).join(', ') : '(none)';
    const verdictOnGiven = missed.length === 0 && extra.length === 0
      ? '$(check) model agrees'
      : `$(warning) model ${[
        missed.length ? `misses ${missed.map((l) => `\`${code(l)}\` (${percent(probabilityOf(prediction, labels, l))})`).join(', ')}` : '',
        extra.length ? `adds ${extra.map((l) => `\`${code(l)}\` (${percent(probabilityOf(prediction, labels, l))})`).join(', ')}` : '',
      ].filter(Boolean).join('; ')}`;
    lines.push('', `**Given labels:** ${list} — ${verdictOnGiven}`);
  }
  for (const note of notes) lines.push('', note);
  const order = labels.map((label, c) => ({ label, p: prediction.probabilities[c] ?? 0, t: thresholds[c] ?? 0.5 })).sort((a, b) => b.p - a.p);
  const width = Math.max(...order.map((o) => code(o.label).length));
  const chart = order.map((o) => `${o.p >= o.t ? '✓' : ' '} ${code(o.label).padEnd(width)} ${bar(o.p)} ${percent(o.p).padStart(6)}  (threshold ${percent(o.t)})`);
  lines.push('', '```text', ...chart, '```', `<sub>${escapeHtml(modelName)} · multi-label: each label has its own threshold</sub>`);
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
