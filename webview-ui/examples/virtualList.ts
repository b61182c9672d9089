// A virtualised table: only the rows in view (plus a small margin) exist in the DOM, recycled on scroll, so 3,080 or
// 30,000 examples scroll at the same cost. Rows have a fixed height; cells are filled with textContent only.
import { createElement } from '../shared/createElement';

export interface VirtualListOptions {
  rowHeight: number;
  columns: string[];
  /** Fills the cells of a recycled row for item `position` of the current list. */
  renderRow(position: number, cells: HTMLElement[], row: HTMLElement): void;
  /** The selection changed (a click, or the keyboard). */
  onSelect(position: number): void;
  /** Double-click, Enter or Space on a row. */
  onActivate(position: number): void;
  /** Columns whose header sorts the list when clicked (by index), and what to do then. */
  sortableColumns?: number[];
  onHeaderClick?(column: number): void;
}

const OVERSCAN_ROWS = 4;

interface PooledRow {
  row: HTMLElement;
  cells: HTMLElement[];
  /** Item shown, or -1 when hidden. */
  position: number;
}

export class VirtualList {
  readonly element: HTMLElement;
  private readonly viewport: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly pool: PooledRow[] = [];
  private count = 0;
  private selected = -1;
  private first = -1;
  private readonly headers: HTMLElement[];
  private last = -1;

  constructor(private readonly options: VirtualListOptions) {
    this.headers = options.columns.map((c, i) => {
      const sortable = options.sortableColumns?.includes(i) ?? false;
      const cell = createElement('div', { className: sortable ? 'vcell sortable' : 'vcell', attrs: { role: 'columnheader', ...(sortable ? { tabindex: 0, 'aria-sort': 'none' } : {}) } }, c);
      if (sortable) {
        cell.addEventListener('click', () => options.onHeaderClick?.(i));
        cell.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); options.onHeaderClick?.(i); } });
      }
      return cell;
    });
    const head = createElement('div', { className: 'vrow vhead', attrs: { role: 'row' } }, ...this.headers);
    this.spacer = createElement('div', { className: 'vspacer' });
    this.viewport = createElement('div', { className: 'vviewport', attrs: { tabindex: 0, role: 'grid', id: 'examples-list', 'aria-label': 'Examples' } }, this.spacer);
    this.element = createElement('div', { className: 'vlist' }, head, this.viewport);
    // Rendering in the scroll handler itself (not a later frame) keeps the rows in step with the scrollbar.
    this.viewport.addEventListener('scroll', () => this.render());
    new ResizeObserver(() => this.render(true)).observe(this.viewport);
    // A click selects (as in VS Code's lists); a double-click, like Enter, activates.
    const rowAt = (e: MouseEvent) => {
      const row = (e.target as HTMLElement).closest<HTMLElement>('.vrow');
      return row && row.dataset.position !== undefined ? Number(row.dataset.position) : undefined;
    };
    this.viewport.addEventListener('click', (e) => {
      const position = rowAt(e);
      if (position !== undefined) this.select(position);
    });
    this.viewport.addEventListener('dblclick', (e) => {
      const position = rowAt(e);
      if (position !== undefined) options.onActivate(position);
    });
    this.viewport.addEventListener('keydown', (e) => this.key(e));
  }

  /** Sets the number of items and redraws; keeps the selection when still in range. */
  setCount(count: number, selected = -1): void {
    this.count = count;
    this.selected = selected < count ? selected : -1;
    this.spacer.style.height = `${count * this.options.rowHeight}px`;
    this.viewport.setAttribute('aria-rowcount', String(count));
    this.render(true);
  }

  /** Marks the column the list is sorted by (aria-sort and an arrow), or none. */
  setSortIndicator(column: number | null, descending: boolean): void {
    this.headers.forEach((h, i) => {
      if (!h.hasAttribute('aria-sort')) return;
      h.setAttribute('aria-sort', i === column ? (descending ? 'descending' : 'ascending') : 'none');
    });
  }

  get selection(): number {
    return this.selected;
  }

  get scrollTop(): number {
    return this.viewport.scrollTop;
  }

  set scrollTop(value: number) {
    this.viewport.scrollTop = value;
    this.render();
  }

  focus(): void {
    this.viewport.focus();
  }

  /** Selects an item and scrolls it into view. */
  select(position: number): void {
    if (this.count === 0) return;
    this.selected = Math.max(0, Math.min(this.count - 1, position));
    const h = this.options.rowHeight;
    const top = this.selected * h;
    if (top < this.viewport.scrollTop) this.viewport.scrollTop = top;
    else if (top + h > this.viewport.scrollTop + this.viewport.clientHeight) this.viewport.scrollTop = top + h - this.viewport.clientHeight;
    this.render();
    this.markSelection();
    this.options.onSelect(this.selected);
  }

  private key(e: KeyboardEvent): void {
    const page = Math.max(1, Math.floor(this.viewport.clientHeight / this.options.rowHeight) - 1);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    if (e.key in moves) { e.preventDefault(); this.select((this.selected < 0 ? 0 : this.selected) + (this.selected < 0 ? 0 : moves[e.key])); return; }
    if (e.key === 'Home') { e.preventDefault(); this.select(0); return; }
    if (e.key === 'End') { e.preventDefault(); this.select(this.count - 1); return; }
    if ((e.key === 'Enter' || e.key === ' ') && this.selected >= 0) { e.preventDefault(); this.options.onActivate(this.selected); }
  }

  /** Draws the visible window; `force` redraws even when the window did not move (data or selection changed). */
  render(force = false): void {
    const h = this.options.rowHeight;
    const top = this.viewport.scrollTop;
    const height = this.viewport.clientHeight || 600;
    const first = Math.max(0, Math.floor(top / h) - OVERSCAN_ROWS);
    const last = Math.min(this.count, Math.ceil((top + height) / h) + OVERSCAN_ROWS);
    if (!force && first === this.first && last === this.last) return;
    this.first = first;
    this.last = last;
    while (this.pool.length < last - first) {
      const cells = this.options.columns.map(() => createElement('div', { className: 'vcell', attrs: { role: 'gridcell' } }));
      const row = createElement('div', { className: 'vrow', attrs: { role: 'row' } }, ...cells);
      this.spacer.append(row);
      this.pool.push({ row, cells, position: -1 });
    }
    // Rows already showing a position that stays in view keep their content (a wheel scroll refills only the
    // rows that came into view); freed rows take the new positions.
    const kept = new Set<number>();
    const free: PooledRow[] = [];
    for (const item of this.pool) {
      if (!force && item.position >= first && item.position < last) kept.add(item.position);
      else free.push(item);
    }
    let next = 0;
    for (let position = first; position < last; position++) {
      if (kept.has(position)) continue;
      const item = free[next++];
      item.position = position;
      item.row.hidden = false;
      item.row.dataset.position = String(position);
      item.row.style.transform = `translateY(${position * h}px)`;
      item.row.setAttribute('aria-rowindex', String(position + 1));
      this.options.renderRow(position, item.cells, item.row);
    }
    for (; next < free.length; next++) { free[next].position = -1; free[next].row.hidden = true; }
    this.markSelection();
  }

  private markSelection(): void {
    for (const item of this.pool) {
      const selected = item.position === this.selected && item.position >= 0;
      if (item.row.classList.contains('selected') !== selected) {
        item.row.classList.toggle('selected', selected);
        item.row.setAttribute('aria-selected', String(selected));
      }
    }
  }
}
