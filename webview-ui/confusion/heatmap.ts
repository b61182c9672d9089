// The confusion-matrix heatmap: a CSS grid of K×K cells with sticky axis labels, shaded with theme colours
// (diagonal and errors in different hues), one shared tooltip, click/Enter to open the cell's examples and arrow-key
// navigation. Cells hold their counts in data attributes; text is always set with textContent.
import { createElement } from '../shared/createElement';
import { formatPercent } from '../shared/formatValue';

export interface HeatmapOptions {
  labels: string[];
  confusion: number[][];
  order: number[];
  normalised: boolean;
  /** Cell edge in CSS pixels. */
  cellSize: number;
  onOpenCell(gold: number, predicted: number): void;
}

/** Row sums (support per gold class) and column sums (predictions per class). */
function totals(confusion: number[][]): { rows: number[]; cols: number[] } {
  const k = confusion.length;
  const rows = confusion.map((r) => r.reduce((a, b) => a + b, 0));
  const cols = new Array<number>(k).fill(0);
  for (const r of confusion) r.forEach((c, p) => { cols[p] += c; });
  return { rows, cols };
}

export class Heatmap {
  readonly element: HTMLElement;
  private readonly grid: HTMLElement;
  private readonly tooltip: HTMLElement;
  private options: HeatmapOptions | null = null;
  private sums: { rows: number[]; cols: number[] } = { rows: [], cols: [] };
  /** Cells by display position [row][column], for keyboard navigation. */
  private cells: HTMLElement[][] = [];
  /** Axis labels by class id, highlighted with the hovered cell so its row and column are easy to follow. */
  private rowLabels = new Map<number, HTMLElement>();
  private colLabels = new Map<number, HTMLElement>();
  private highlighted: HTMLElement[] = [];
  /** Keyboard cursor as display positions (row, column). */
  private cursor = { r: 0, c: 0 };

  constructor() {
    this.grid = createElement('div', { className: 'heatmap', attrs: { role: 'grid', tabindex: 0, id: 'matrix', 'aria-label': 'Confusion matrix: rows are gold labels, columns predicted labels' } });
    this.tooltip = createElement('div', { className: 'tooltip hidden', attrs: { role: 'tooltip', id: 'matrix-tooltip' } });
    this.element = createElement('div', { className: 'heatmap-scroll', attrs: { id: 'matrix-scroll' } }, this.grid, this.tooltip);
    this.grid.addEventListener('mouseover', (e) => this.hover(e.target as HTMLElement, e));
    this.grid.addEventListener('mouseleave', () => { this.tooltip.classList.add('hidden'); this.highlightAxes(null); });
    this.grid.addEventListener('click', (e) => {
      const cell = (e.target as HTMLElement).closest<HTMLElement>('.cell');
      if (cell) this.open(cell);
    });
    this.grid.addEventListener('keydown', (e) => this.key(e));
  }

  render(options: HeatmapOptions): void {
    this.options = options;
    this.sums = totals(options.confusion);
    const { labels, confusion, order, normalised, cellSize } = options;
    const k = order.length;
    const showText = cellSize >= 26;
    let maxDiag = 0;
    let maxOff = 0;
    for (let g = 0; g < k; g++) for (let p = 0; p < k; p++) {
      const v = normalised ? (this.sums.rows[g] ? confusion[g][p] / this.sums.rows[g] : 0) : confusion[g][p];
      if (g === p) maxDiag = Math.max(maxDiag, v); else maxOff = Math.max(maxOff, v);
    }
    const longestLabel = Math.max(8, ...labels.map((l) => l.length));
    this.grid.style.setProperty('--cell', `${cellSize}px`);
    this.grid.style.setProperty('--label-width', `${Math.min(280, Math.round(longestLabel * 7.2) + 16)}px`);
    this.grid.classList.toggle('compact', !showText);
    const fragment = document.createDocumentFragment();
    this.colLabels.clear();
    fragment.append(createElement('div', { className: 'hrow head', attrs: { role: 'row' } },
      createElement('div', { className: 'corner' }, createElement('span', {}, 'gold ↓  predicted →')),
      ...order.map((p) => {
        const label = createElement('div', { className: 'col-label', attrs: { role: 'columnheader', title: labels[p] } }, createElement('span', {}, labels[p]));
        this.colLabels.set(p, label);
        return label;
      })));
    this.cells = [];
    this.rowLabels.clear();
    this.highlighted = [];
    for (const g of order) {
      // One flex row per gold class: rows out of view skip style, layout and paint (content-visibility).
      const rowElement = createElement('div', { className: 'hrow', attrs: { role: 'row' } },
        createElement('div', { className: 'row-label', attrs: { role: 'rowheader', title: labels[g] } }, labels[g]));
      this.rowLabels.set(g, rowElement.firstElementChild as HTMLElement);
      const rowCells: HTMLElement[] = [];
      for (const p of order) {
        const count = confusion[g][p];
        const rate = this.sums.rows[g] ? count / this.sums.rows[g] : 0;
        const value = normalised ? rate : count;
        const max = g === p ? maxDiag : maxOff;
        // sqrt keeps small error counts visible next to a dominant diagonal; 20 shade steps (classes, not inline
        // styles) let the browser share computed styles across the 5,929 cells of a 77-class matrix.
        const shade = max > 0 ? Math.round(Math.sqrt(value / max) * 20) : 0;
        // Built without the createElement helper: this loop runs K² times and is the matrix's first-render cost.
        const cell = document.createElement('div');
        cell.className = `${g === p ? 'cell diag' : count > 0 ? 'cell err' : 'cell'} h${shade}${shade > 12 ? ' strong' : ''}`;
        cell.setAttribute('role', 'gridcell');
        cell.dataset.gold = String(g);
        cell.dataset.predicted = String(p);
        cell.dataset.count = String(count);
        if (showText && count > 0) cell.textContent = normalised ? formatPercent(rate, 0) : String(count);
        rowCells.push(cell);
        rowElement.append(cell);
      }
      fragment.append(rowElement);
      this.cells.push(rowCells);
    }
    this.grid.replaceChildren(fragment);
    this.cursor = { r: Math.min(this.cursor.r, k - 1), c: Math.min(this.cursor.c, k - 1) };
  }

  /** Width of the row-label column in CSS pixels. */
  labelWidth(): number {
    return (this.grid.querySelector<HTMLElement>('.corner')?.offsetWidth) ?? 0;
  }

  /** Sum of all cell counts (the number of examples). */
  total(): number {
    return this.sums.rows.reduce((a, b) => a + b, 0);
  }

  private describe(cell: HTMLElement): string[] {
    const o = this.options;
    if (!o) return [];
    const g = Number(cell.dataset.gold);
    const p = Number(cell.dataset.predicted);
    const count = Number(cell.dataset.count);
    const row = this.sums.rows[g];
    const col = this.sums.cols[p];
    return [
      `gold: ${o.labels[g]}`,
      `predicted: ${o.labels[p]}`,
      `${count} example${count === 1 ? '' : 's'}`,
      `${formatPercent(row ? count / row : NaN)} of gold ${o.labels[g]} (${row})`,
      `${formatPercent(col ? count / col : NaN)} of predicted ${o.labels[p]} (${col})`,
    ];
  }

  private highlightAxes(cell: HTMLElement | null): void {
    for (const el of this.highlighted) el.classList.remove('hl');
    this.highlighted = [];
    if (!cell) return;
    const row = this.rowLabels.get(Number(cell.dataset.gold));
    const col = this.colLabels.get(Number(cell.dataset.predicted));
    for (const el of [row, col]) if (el) { el.classList.add('hl'); this.highlighted.push(el); }
  }

  private showTooltip(cell: HTMLElement, x: number, y: number): void {
    this.highlightAxes(cell);
    this.tooltip.replaceChildren(...this.describe(cell).map((line) => createElement('div', {}, line)));
    this.tooltip.classList.remove('hidden');
    const host = this.element.getBoundingClientRect();
    this.tooltip.style.left = `${x - host.left + this.element.scrollLeft + 14}px`;
    this.tooltip.style.top = `${y - host.top + this.element.scrollTop + 14}px`;
  }

  private hover(target: HTMLElement, e: MouseEvent): void {
    const cell = target.closest<HTMLElement>('.cell');
    if (!cell) { this.tooltip.classList.add('hidden'); this.highlightAxes(null); return; }
    this.showTooltip(cell, e.clientX, e.clientY);
  }

  private open(cell: HTMLElement): void {
    this.options?.onOpenCell(Number(cell.dataset.gold), Number(cell.dataset.predicted));
  }

  private cellAt(r: number, c: number): HTMLElement | null {
    return this.cells[r]?.[c] ?? null;
  }

  private key(e: KeyboardEvent): void {
    const k = this.options?.order.length ?? 0;
    if (!k) return;
    const moves: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    const current = this.cellAt(this.cursor.r, this.cursor.c);
    if (e.key === 'Enter' || e.key === ' ') {
      if (current) { e.preventDefault(); this.open(current); }
      return;
    }
    const move = moves[e.key];
    if (!move) return;
    e.preventDefault();
    current?.classList.remove('cursor');
    this.cursor = { r: Math.max(0, Math.min(k - 1, this.cursor.r + move[0])), c: Math.max(0, Math.min(k - 1, this.cursor.c + move[1])) };
    const next = this.cellAt(this.cursor.r, this.cursor.c);
    if (!next) return;
    next.classList.add('cursor');
    next.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    const rect = next.getBoundingClientRect();
    this.showTooltip(next, rect.right, rect.bottom);
  }
}
