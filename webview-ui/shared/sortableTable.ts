// A small sortable data table (per-class metrics, comparisons): click or Enter on a header sorts by it, again reverses.
// Cells are text only. The virtualised example list has its own renderer; this one is for tens to hundreds of rows.
import { createElement } from './createElement';

export interface Column<Row> {
  key: string;
  label: string;
  /** Sort value; strings sort alphabetically, numbers numerically. */
  value: (row: Row) => number | string;
  /** Cell text; defaults to String(value). */
  format?: (row: Row) => string;
  /** Extra class of a cell (e.g. delta colours). */
  cellClass?: (row: Row) => string;
  /** Cut a long header label with an ellipsis (the whole label in its tooltip), e.g. a run id. */
  truncate?: boolean;
}

export class SortableTable<Row> {
  readonly element: HTMLTableElement;
  private readonly body: HTMLTableSectionElement;
  private readonly headers: HTMLTableCellElement[];
  private rows: Row[] = [];

  constructor(private readonly columns: Array<Column<Row>>, private sortKey: string, private descending = false,
    private readonly onSortChange?: (key: string, descending: boolean) => void) {
    this.headers = columns.map((c) => {
      const label = c.truncate ? createElement('span', { className: 'run-name' }, c.label) : c.label;
      const th = createElement('th', { attrs: { scope: 'col', tabindex: 0, 'aria-sort': 'none', ...(c.truncate ? { title: c.label } : {}) }, data: { key: c.key } }, label);
      th.addEventListener('click', () => this.sortBy(c.key));
      th.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); this.sortBy(c.key); } });
      return th;
    });
    this.body = createElement('tbody');
    this.element = createElement('table', { className: 'data' }, createElement('thead', {}, createElement('tr', {}, ...this.headers)), this.body);
  }

  setRows(rows: Row[]): void {
    this.rows = rows;
    this.render();
  }

  /** Sorts by a column; the same column again flips the direction. */
  sortBy(key: string): void {
    if (key === this.sortKey) this.descending = !this.descending;
    else { this.sortKey = key; this.descending = key !== this.columns[0].key; }
    this.onSortChange?.(this.sortKey, this.descending);
    this.render();
  }

  private render(): void {
    const col = this.columns.find((c) => c.key === this.sortKey) ?? this.columns[0];
    const sign = this.descending ? -1 : 1;
    const sorted = [...this.rows].sort((a, b) => {
      const va = col.value(a);
      const vb = col.value(b);
      return sign * (typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb)));
    });
    for (const th of this.headers) {
      th.setAttribute('aria-sort', th.dataset.key === col.key ? (this.descending ? 'descending' : 'ascending') : 'none');
    }
    const fragment = document.createDocumentFragment();
    for (const row of sorted) {
      fragment.append(createElement('tr', {}, ...this.columns.map((c) =>
        createElement('td', { className: c.cellClass?.(row) ?? '' }, c.format ? c.format(row) : String(c.value(row))))));
    }
    this.body.replaceChildren(fragment);
  }
}
