// bench:webview — how the confusion matrix and the example browser hold up with banking77 (77 classes, 3,080 test
// examples) in real headless Chromium: first render (message parse + DOM build + layout, and to the next painted
// frame) and the work per scroll frame of the virtualised browser. Targets: ≤ 200 ms first render, ≤ 16 ms per frame.
// Needs the webview bundle (`npm run build`) and Debian's chromium.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { buildConfusionData, buildExamplesData } from '../src/extension/webviews/panelData';
import type { HostMessage } from '../webview-ui/shared/messages';
import { writeBankingRun } from '../test/webview/fixtures/sharedRuns';
import { WebviewHarness } from '../test/webview/webviewHarness';

const RUNS = 5;
const SCROLL_FRAMES = 240;
const FIRST_RENDER_TARGET_MS = 200;
const FRAME_TARGET_MS = 16;

interface RenderTiming { syncMs: number; frameMs: number }

/**
 * Delivers the message as VS Code does (a JSON string parsed in the page) synchronously inside the timed region,
 * forces layout, then waits for the next frame.
 */
async function timeFirstRender(page: Page, message: HostMessage): Promise<RenderTiming> {
  const json = JSON.stringify(JSON.stringify(message));
  return page.evaluate(`(async () => {
    const t0 = performance.now();
    window.dispatchEvent(new MessageEvent('message', { data: JSON.parse(${json}) }));
    void document.body.offsetHeight;
    const t1 = performance.now();
    await new Promise((r) => requestAnimationFrame(() => r()));
    return { syncMs: t1 - t0, frameMs: performance.now() - t0 };
  })()`) as Promise<RenderTiming>;
}

/**
 * Scrolls the browser by `rowsPerFrame` rows each frame (3 ≈ a mouse-wheel notch; 35 ≈ dragging the scrollbar, every
 * row changes); times the scroll handler plus the layout it causes.
 */
async function timeScrollFrames(page: Page, frames: number, rowsPerFrame: number): Promise<number[]> {
  return page.evaluate(`(async () => {
    const list = document.getElementById('examples-list');
    list.scrollTop = 0;
    const step = ${rowsPerFrame} * 26;
    const times = [];
    for (let i = 0; i < ${frames}; i++) {
      await new Promise((r) => requestAnimationFrame(() => r()));
      const t0 = performance.now();
      list.scrollTop = (list.scrollTop + step) % Math.max(1, list.scrollHeight - list.clientHeight);
      list.dispatchEvent(new Event('scroll'));
      void document.body.offsetHeight;
      times.push(performance.now() - t0);
    }
    return times;
  })()`) as Promise<number[]>;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
}

function report(name: string, valueMs: number, targetMs: number): void {
  console.log(`${name.padEnd(58)} ${valueMs.toFixed(1).padStart(7)} ms   target ≤ ${targetMs} ms   ${(valueMs / targetMs).toFixed(2)}× target`);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cw-bench-webview-'));
  const harness = await WebviewHarness.launch();
  try {
    const fixture = await writeBankingRun(dir);
    const confusion = await buildConfusionData(fixture.runDir, 'test');
    const { data: examples } = await buildExamplesData(fixture.runDir, 'test');
    console.log(`bench:webview — banking77 run: ${confusion.run.labels.length} classes, ${examples.rows.length} test examples, headless Chromium, median of ${RUNS} fresh pages`);
    const kib = (m: HostMessage) => (Buffer.byteLength(JSON.stringify(m)) / 1024).toFixed(0);
    console.log(`messages: confusion/init ${kib({ type: 'confusion/init', data: confusion })} KiB, examples/init ${kib({ type: 'examples/init', data: examples, filter: null })} KiB`);
    const page = await harness.context.newPage();

    const confusionTimes: RenderTiming[] = [];
    for (let i = 0; i < RUNS; i++) {
      await harness.open('confusion', 'dark', page);
      confusionTimes.push(await timeFirstRender(page, { type: 'confusion/init', data: confusion }));
    }
    const cells = await page.evaluate("document.querySelectorAll('#matrix .cell').length");
    report(`confusion matrix first render (${cells} cells), to layout`, median(confusionTimes.map((t) => t.syncMs)), FIRST_RENDER_TARGET_MS);
    report('confusion matrix first render, to next frame', median(confusionTimes.map((t) => t.frameMs)), FIRST_RENDER_TARGET_MS);

    const browserTimes: RenderTiming[] = [];
    for (let i = 0; i < RUNS; i++) {
      await harness.open('examples', 'dark', page);
      browserTimes.push(await timeFirstRender(page, { type: 'examples/init', data: examples, filter: { correctness: 'all' } }));
    }
    report(`example browser first render (${examples.rows.length} rows), to layout`, median(browserTimes.map((t) => t.syncMs)), FIRST_RENDER_TARGET_MS);
    report('example browser first render, to next frame', median(browserTimes.map((t) => t.frameMs)), FIRST_RENDER_TARGET_MS);

    for (const [kind, rows] of [['wheel, 3 rows', 3], ['drag, 35 rows', 35]] as const) {
      const frames = await timeScrollFrames(page, SCROLL_FRAMES, rows);
      report(`browser scroll frame (${kind}/frame), median of ${SCROLL_FRAMES}`, median(frames), FRAME_TARGET_MS);
      report(`browser scroll frame (${kind}/frame), 95th percentile`, percentile(frames, 0.95), FRAME_TARGET_MS);
      report(`browser scroll frame (${kind}/frame), worst`, Math.max(...frames), FRAME_TARGET_MS);
    }
  } finally {
    await harness.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
