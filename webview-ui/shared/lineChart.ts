// A themed line chart on uPlot (small, fast canvas charts; 1.6.x is maintained): the pages' curves for loss,
// accuracy, F1 and learning rate. setData redraws only the canvas, so live updates never rebuild the page.
import uPlot from 'uplot';
import { createElement } from './createElement';
import { onThemeChange, readChartTheme } from './chartTheme';
import { formatCompact } from './formatValue';

export interface LineChartOptions {
  title: string;
  xLabel: string;
  series: string[];
  /** Format of y tick labels. */
  formatY?: (v: number) => string;
  /** Fixed y range, e.g. [0, 1] for rates. */
  yRange?: [number, number];
  height?: number;
  /** Draw a dot at every point (epoch curves have few points). */
  points?: boolean;
  /** x is a count (epochs): ticks on whole numbers only. */
  integerX?: boolean;
}

/** Series values; null means "no value at this x" (a gap). */
export type SeriesData = Array<Array<number | null>>;

export class LineChart {
  /** The figure; `data-points` and `data-drawn` record what uPlot holds and drew (read by the UI tests). */
  readonly element: HTMLElement;
  private readonly plotHost: HTMLElement;
  private plot: uPlot | null = null;
  private x: number[] = [];
  private ys: SeriesData;
  private pending = false;

  constructor(private readonly options: LineChartOptions) {
    this.ys = options.series.map(() => []);
    this.plotHost = createElement('div', { className: 'chart-plot' });
    const empty = createElement('div', { className: 'chart-empty' }, 'No data yet');
    this.element = createElement('figure', { className: 'chart', attrs: { 'aria-label': options.title }, data: { points: '0', drawn: '0' } },
      createElement('figcaption', {}, options.title), this.plotHost, empty);
    new ResizeObserver(() => this.resize()).observe(this.plotHost);
    onThemeChange(() => this.rebuild());
  }

  /** Changes the caption (e.g. "subset accuracy" for a multi-label run). */
  setTitle(title: string): void {
    this.element.setAttribute('aria-label', title);
    this.element.querySelector('figcaption')!.textContent = title;
  }

  /** Replaces all points; x ascending. */
  setData(x: number[], ys: SeriesData): void {
    this.x = x;
    this.ys = ys;
    this.schedule();
  }

  /** Appends one x with its values (live updates); redraw is batched to one per animation frame. */
  append(x: number, values: Array<number | null>): void {
    this.x.push(x);
    values.forEach((v, i) => this.ys[i].push(v));
    this.schedule();
  }

  /** Number of x values currently held. */
  get length(): number {
    return this.x.length;
  }

  private schedule(): void {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => { this.pending = false; this.flush(); });
  }

  /** Draws now (first render, tests); otherwise updates are batched per frame. */
  flush(): void {
    this.element.classList.toggle('has-data', this.x.length > 0);
    this.element.dataset.points = String(this.x.length);
    if (this.x.length === 0) return;
    if (!this.plot) { this.build(); return; }
    this.plot.setData([this.x, ...this.ys] as uPlot.AlignedData);
  }

  private size(): { width: number; height: number } {
    return { width: Math.max(200, this.plotHost.clientWidth || 400), height: this.options.height ?? 220 };
  }

  private resize(): void {
    if (this.plot) this.plot.setSize(this.size());
  }

  private rebuild(): void {
    this.plot?.destroy();
    this.plot = null;
    this.flush();
  }

  private build(): void {
    const theme = readChartTheme();
    const o = this.options;
    const axis = (label: string, values?: (u: uPlot, splits: number[]) => string[]): uPlot.Axis => ({
      label, stroke: theme.muted, font: theme.font, labelFont: theme.font,
      grid: { stroke: theme.grid, width: 1 }, ticks: { stroke: theme.grid, width: 1 }, values,
    });
    const formatY = o.formatY ?? formatCompact;
    const opts: uPlot.Options = {
      ...this.size(),
      scales: { x: { time: false }, y: o.yRange ? { range: o.yRange } : {} },
      axes: [{ ...axis(o.xLabel), ...(o.integerX ? { incrs: [1, 2, 5, 10, 20, 50] } : {}) }, axis('', (_u, splits) => splits.map((v) => (v === null ? '' : formatY(v))))],
      series: [
        { label: o.xLabel },
        ...o.series.map((label, i): uPlot.Series => ({
          label, stroke: theme.series[i % theme.series.length], width: 2, spanGaps: true,
          points: { show: o.points ?? false, size: 6 },
          value: (_u, v) => (v === null || v === undefined ? '–' : formatY(v)),
        })),
      ],
      legend: { show: true, live: true },
      cursor: { drag: { x: true, y: false } },
      hooks: {
        draw: [(u) => {
          // What was actually drawn: non-null values per series (read by the UI tests).
          this.element.dataset.drawn = u.data.slice(1).map((s) => Array.from(s as ArrayLike<number | null | undefined>).filter((v) => v !== null && v !== undefined).length).join(',');
        }],
      },
    };
    this.plot = new uPlot(opts, [this.x, ...this.ys] as uPlot.AlignedData, this.plotHost);
  }
}
