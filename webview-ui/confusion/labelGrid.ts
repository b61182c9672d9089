// The multi-label confusion view: one 2×2 grid per label (given yes/no × predicted yes/no), replacing the K×K matrix
// that has no meaning when an example carries several labels. The error cells (missed, extra) and the hits open the
// example browser filtered to them. Text is always set with textContent.
import { createElement } from '../shared/createElement';
import { formatPercent } from '../shared/formatValue';
import type { LabelConfusion, LabelOutcome } from '../shared/messages';

export interface LabelGridOptions {
  labels: string[];
  /** Per label [tn, fp, fn, tp] (index = label id). */
  labelConfusion: LabelConfusion[];
  /** Decision threshold per label, when known. */
  thresholds: number[] | undefined;
  /** Label ids in display order. */
  order: number[];
}

/** Labels by their wrong decisions (fp + fn), most first; ties by label id. */
export function labelErrorOrder(labelConfusion: readonly LabelConfusion[]): number[] {
  return labelConfusion.map((_, i) => i).sort((a, b) => {
    const ea = labelConfusion[a][1] + labelConfusion[a][2];
    const eb = labelConfusion[b][1] + labelConfusion[b][2];
    return eb - ea || a - b;
  });
}

/** A cell of the 2×2: `outcome` set when it has examples worth browsing (not the true negatives). */
function cell(count: number, kind: 'tn' | LabelOutcome, label: number, title: string): HTMLElement {
  const clickable = kind !== 'tn' && count > 0;
  const el = createElement('div', {
    className: `lc-cell lc-${kind}${count > 0 ? '' : ' lc-zero'}`,
    attrs: { role: 'gridcell', title, ...(clickable ? { tabindex: 0 } : {}) },
    data: { label: String(label), outcome: kind, count: String(count) },
  }, String(count));
  return el;
}

/** Renders the cards into `host` (clicks are wired once by `listenLabelGrid`). */
export function renderLabelGrid(host: HTMLElement, o: LabelGridOptions): void {
  const cards = o.order.map((l) => {
    const [tn, fp, fn, tp] = o.labelConfusion[l] ?? [0, 0, 0, 0];
    const name = o.labels[l];
    const support = tp + fn;
    const precision = tp + fp ? tp / (tp + fp) : NaN;
    const recall = support ? tp / support : NaN;
    const threshold = o.thresholds?.[l];
    return createElement('section', { className: 'lc-card', data: { label: String(l) }, attrs: { 'aria-label': `${name}: 2×2 confusion` } },
      createElement('div', { className: 'lc-title', attrs: { title: name } }, name),
      createElement('div', { className: 'lc-meta muted' },
        `support ${support} · P ${formatPercent(precision, 0)} · R ${formatPercent(recall, 0)}${threshold !== undefined ? ` · threshold ${threshold.toFixed(2)}` : ''}`),
      createElement('div', { className: 'lc-grid', attrs: { role: 'grid' } },
        createElement('div', { className: 'lc-corner' }), createElement('div', { className: 'lc-head' }, 'predicted'), createElement('div', { className: 'lc-head' }, 'not predicted'),
        createElement('div', { className: 'lc-head lc-row-head' }, 'given'),
        cell(tp, 'tp', l, `${name}: given and predicted (${tp})`), cell(fn, 'fn', l, `${name}: given but missed (${fn}); click to browse`),
        createElement('div', { className: 'lc-head lc-row-head' }, 'not given'),
        cell(fp, 'fp', l, `${name}: predicted but not given, extra (${fp}); click to browse`), cell(tn, 'tn', l, `${name}: neither (${tn})`)));
  });
  host.replaceChildren(...cards);
}

/** Wires click and Enter on the grid's cells once (the cards are re-rendered, the host element stays). */
export function listenLabelGrid(host: HTMLElement, open: (label: number, outcome: LabelOutcome) => void): void {
  const activate = (target: EventTarget | null) => {
    const el = (target as HTMLElement | null)?.closest<HTMLElement>('.lc-cell');
    if (!el || el.dataset.outcome === 'tn' || el.dataset.count === '0') return;
    open(Number(el.dataset.label), el.dataset.outcome as LabelOutcome);
  };
  host.addEventListener('click', (e) => activate(e.target));
  host.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); activate(e.target); } });
}
