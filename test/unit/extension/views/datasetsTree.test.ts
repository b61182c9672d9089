import '../useFakeVscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { DatasetsTreeProvider, isExcludedDatasetPath, type DatasetSource, type LabelElement } from '../../../../src/extension/views/datasetsTree';
import { labelsOf, summarizeDataset } from '../../../../src/extension/views/datasetSummary';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'cw-datasets-'));
}

test('summarizeDataset counts examples and labels, skipping blank and unusable lines', async () => {
  const dir = tempDir();
  try {
    const file = join(dir, 'train.jsonl');
    writeFileSync(file, [
      '\ufeff{"text": "great", "label": "pos"}',
      '{"sentence": "awful", "category": "neg"}',
      '{"text": "fine", "label": 1}',
      '',
      '{"text": "so-so", "label": "pos"}',
      '{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "neg"}]}',
      'not json',
      '{"text": "no label"}',
    ].join('\r\n'));
    const summary = await summarizeDataset(file);
    assert.equal(summary.examples, 5);
    assert.equal(summary.unreadableLines, 2);
    assert.deepEqual(summary.labels, [['neg', 2], ['pos', 2], ['1', 1]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('summarizeDataset reads a ;-separated CSV as the engine does', async () => {
  const dir = tempDir();
  try {
    const file = join(dir, 'tickets.csv');
    writeFileSync(file, 'text;label\n"late, again";delivery\nrefund please;billing\nwhere is it;delivery\n');
    const summary = await summarizeDataset(file);
    assert.equal(summary.examples, 3);
    assert.deepEqual(summary.labels, [['delivery', 2], ['billing', 1]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('summarizeDataset counts CSV, TSV and Parquet rows by their header\'s text and label columns', async () => {
  const { toDelimited, writeParquet } = await import('../../../helpers/tabularDatasets');
  const dir = tempDir();
  try {
    const rows = [
      { id: 1, sentence: 'great, "really"\ngreat', category: 'pos' },
      { id: 2, sentence: 'awful', category: 'neg' },
      { id: 3, sentence: 'fine', category: 'pos' },
      { id: 4, sentence: '', category: 'neg' },
    ];
    writeFileSync(join(dir, 'a.csv'), toDelimited(rows));
    writeFileSync(join(dir, 'a.tsv'), toDelimited(rows, { delimiter: '\t' }));
    writeParquet(join(dir, 'a.parquet'), rows.map((r) => ({ ...r, category: r.sentence ? r.category : null })));
    for (const name of ['a.csv', 'a.tsv']) {
      const summary = await summarizeDataset(join(dir, name));
      assert.deepEqual([summary.examples, summary.unreadableLines, summary.labels], [3, 1, [['pos', 2], ['neg', 1]]], name);
    }
    const pq = await summarizeDataset(join(dir, 'a.parquet'));
    assert.deepEqual([pq.examples, pq.unreadableLines, pq.labels], [3, 1, [['pos', 2], ['neg', 1]]]);
    writeFileSync(join(dir, 'open.csv'), 'text,label\nok,a\n"never closed,b\n');
    const open = await summarizeDataset(join(dir, 'open.csv'));
    assert.deepEqual([open.examples, open.unreadableLines], [1, 1], 'a malformed record ends the count, it does not throw');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a multi-label JSONL counts every line once and each label under its own name', async () => {
  const dir = tempDir();
  try {
    writeFileSync(join(dir, 'tickets.jsonl'), [
      '{"text": "charged for shipping", "labels": ["billing", "delivery"]}',
      '{"text": "thanks", "labels": ["praise"]}',
      '{"text": "nothing", "labels": []}',
      '{"text": "ids", "labels": [0, 2]}',
      '{"text": "broken", "labels": [',
    ].join('\n') + '\n');
    const summary = await summarizeDataset(join(dir, 'tickets.jsonl'));
    assert.deepEqual([summary.examples, summary.unreadableLines], [4, 1]);
    assert.deepEqual(summary.labels, [['0', 1], ['2', 1], ['billing', 1], ['delivery', 1], ['praise', 1]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('labelsOf reads detected fields, label lists and chat lines, refuses the rest', () => {
  assert.deepEqual(labelsOf('{"input": "x", "intent": "card_lost"}'), ['card_lost']);
  assert.deepEqual(labelsOf('{"text": "x", "labels": ["anger", "joy", "anger"]}'), ['anger', 'joy']);
  assert.deepEqual(labelsOf('{"text": "x", "labels": []}'), [], 'an empty list is an example with none of the labels');
  assert.equal(labelsOf('{"text": "x", "labels": [{"a": 1}]}'), undefined);
  assert.equal(labelsOf('{"text": "x", "label": null}'), undefined);
  assert.equal(labelsOf('{"text": 5, "label": "a"}'), undefined);
  assert.equal(labelsOf('[1, 2]'), undefined);
  assert.equal(labelsOf('{"messages": [{"role": "assistant", "content": "a"}]}'), undefined, 'a chat line needs a user text');
});

test('excludes node_modules, the workbench folder and configured runs folders', () => {
  assert.equal(isExcludedDatasetPath('/w/node_modules/pkg/data.jsonl', []), true);
  assert.equal(isExcludedDatasetPath('/w/.classifier-workbench/runs/r/predictions/test.jsonl', []), true);
  assert.equal(isExcludedDatasetPath('/w/out/runs/r/events.jsonl', ['/w/out/runs']), true);
  assert.equal(isExcludedDatasetPath('/w/out/runs-old.jsonl', ['/w/out/runs']), false);
  assert.equal(isExcludedDatasetPath('/w/data/train.jsonl', ['/w/out/runs']), false);
});

function fakeSource(files: string[], counts: Record<string, [string, number][]>): DatasetSource & { summaries: number } {
  const source = {
    summaries: 0,
    findDatasets: async () => files.map((f) => vscode.Uri.file(f)),
    summarize: async (uri: vscode.Uri) => {
      source.summaries++;
      const labels = counts[uri.fsPath];
      if (!labels) throw new Error('EACCES: permission denied');
      return { bytes: 100, examples: labels.reduce((n, [, c]) => n + c, 0), labels, unreadableLines: 0 };
    },
    relativePath: (uri: vscode.Uri) => uri.fsPath.replace('/w/', ''),
  };
  return source;
}

test('datasets show counts after counting, labels with shares as children', async () => {
  const source = fakeSource(['/w/b/train.jsonl', '/w/a.jsonl', '/w/node_modules/x.jsonl'], {
    '/w/b/train.jsonl': [['joy', 3], ['sadness', 1]],
    '/w/a.jsonl': [['x', 1]],
  });
  const tree = new DatasetsTreeProvider(source, (p) => isExcludedDatasetPath(p, []));
  const roots = await tree.getChildren();
  assert.deepEqual(roots.map((r) => (r as vscode.Uri).fsPath), ['/w/a.jsonl', '/w/b/train.jsonl']);
  const train = roots[1] as vscode.Uri;
  assert.equal(tree.getTreeItem(train).description, 'b/train.jsonl · counting…');
  const labels = (await tree.getChildren(train)) as LabelElement[];
  assert.equal(tree.getTreeItem(train).description, '4 examples · 2 labels');
  assert.equal(tree.getTreeItem(train).contextValue, 'dataset');
  assert.deepEqual(labels.map((l) => [tree.getTreeItem(l).label, tree.getTreeItem(l).description]), [['joy', '3 (75.0%)'], ['sadness', '1 (25.0%)']]);
  assert.equal(tree.getParent(labels[0]), train);
  assert.equal(source.summaries, 1, 'getTreeItem and getChildren share one count');
});

test('watcher events: add ignores excluded files, change recounts one node, delete removes it', async () => {
  const source = fakeSource(['/w/a.jsonl'], { '/w/a.jsonl': [['x', 1]], '/w/new.jsonl': [['y', 2]] });
  const tree = new DatasetsTreeProvider(source, (p) => isExcludedDatasetPath(p, ['/w/runs']));
  await tree.getChildren();
  const fired: unknown[] = [];
  tree.onDidChangeTreeData((element) => fired.push(element));
  tree.add(vscode.Uri.file('/w/runs/r1/predictions/test.jsonl'));
  assert.equal(fired.length, 0);
  tree.add(vscode.Uri.file('/w/new.jsonl'));
  assert.deepEqual(tree.datasets.map((d) => d.fsPath), ['/w/a.jsonl', '/w/new.jsonl']);
  await tree.getChildren(tree.datasets[0]);
  fired.length = 0;
  tree.invalidate(tree.datasets[0]);
  assert.deepEqual(fired, [tree.datasets[0]], 'only the changed dataset node repaints');
  assert.equal(tree.summary(tree.datasets[0]), undefined);
  tree.remove(vscode.Uri.file('/w/a.jsonl'));
  assert.deepEqual(tree.datasets.map((d) => d.fsPath), ['/w/new.jsonl']);
});

test('an unreadable file says so instead of counting forever', async () => {
  const tree = new DatasetsTreeProvider(fakeSource(['/w/locked.jsonl'], {}));
  const [locked] = await tree.getChildren();
  assert.deepEqual(await tree.getChildren(locked), []);
  assert.equal(tree.getTreeItem(locked).description, 'locked.jsonl · unreadable');
  assert.match((tree.getTreeItem(locked).tooltip as vscode.MarkdownString).value, /permission denied/);
});

test('counting many files runs at most four at a time', async () => {
  const files = Array.from({ length: 10 }, (_, i) => `/w/f${i}.jsonl`);
  let running = 0;
  let peak = 0;
  const tree = new DatasetsTreeProvider({
    findDatasets: async () => files.map((f) => vscode.Uri.file(f)),
    summarize: async () => {
      peak = Math.max(peak, ++running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      return { bytes: 1, examples: 1, labels: [['a', 1]], unreadableLines: 0 };
    },
    relativePath: (u) => u.fsPath,
  });
  const roots = await tree.getChildren();
  await Promise.all(roots.map((r) => tree.getChildren(r)));
  assert.equal(peak, 4);
  assert.ok(roots.every((r) => tree.summary(r as vscode.Uri)?.examples === 1));
});

test('two files of the same name are told apart by their folder; a unique name keeps the short description', async () => {
  const source = fakeSource(['/w/emotion/train.jsonl', '/w/tickets/train.jsonl', '/w/a.jsonl'], {
    '/w/emotion/train.jsonl': [['joy', 1]], '/w/tickets/train.jsonl': [['bug', 2], ['ask', 1]], '/w/a.jsonl': [['x', 1]],
  });
  const tree = new DatasetsTreeProvider(source);
  const roots = (await tree.getChildren()) as vscode.Uri[];
  for (const r of roots) await tree.getChildren(r);
  assert.deepEqual(roots.map((r) => tree.getTreeItem(r).description), ['1 example · 1 label', 'emotion · 1 example · 1 label', 'tickets · 3 examples · 2 labels']);
  tree.remove(vscode.Uri.file('/w/tickets/train.jsonl'));
  assert.equal(tree.getTreeItem(vscode.Uri.file('/w/emotion/train.jsonl')).description, '1 example · 1 label', 'unique again');
});
