// The layering of docs/ARCHITECTURE.md "Engine layers", read from the import graph of the sources: engine layers import
// only downward, the shells and benches use the public API (index.ts), and nothing crosses the seam between the
// extension (and its webview pages) and the engine.
// Imports are read with the TypeScript parser (`preProcessFile`: static and dynamic imports, `export … from`,
// `require`), so a comment or a string that looks like an import does not count.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

const root = resolve(__dirname, '..', '..');

/**
 * The engine's layers, lowest first. A file belongs to the entry with the longest matching path (relative to
 * src/engine/; a folder ends with `/`). A file may import its own folder (its own layer, for a `oneUnit` layer) and
 * any LOWER layer; not a sibling folder of its own layer (that would allow cycles), not a higher one. Every engine
 * file must belong to a layer.
 */
const engineLayers: ReadonlyArray<{ name: string; paths: readonly string[]; oneUnit?: boolean }> = [
  { name: 'utilities', paths: ['errors.ts', 'fileSystemError.ts', 'pathExists.ts', 'boundedFile.ts', 'atomicWrite.ts', 'seededRandom.ts', 'filesUnder.ts'], oneUnit: true },
  { name: 'file formats', paths: ['tensorFiles/'] },
  { name: 'text, data and backends', paths: ['tokenizer/', 'data/', 'backend/'] },
  { name: 'hub', paths: ['hub/'] },
  { name: 'classifier contract', paths: ['classifier/'] },
  { name: 'model building blocks', paths: ['models/nn/'] },
  { name: 'metrics', paths: ['metrics/'] },
  { name: 'model families', paths: ['models/*/'] },
  { name: 'classifier creation', paths: ['classifier/createClassifier.ts'] },
  { name: 'run folders', paths: ['runs/'] },
  { name: 'report', paths: ['report/'] },
  { name: 'training and prediction', paths: ['train/', 'predict/'] },
  { name: 'label issues', paths: ['labelIssues/'] },
  { name: 'active learning', paths: ['activeLearning/'] },
  { name: 'remote jobs', paths: ['remoteJob/'] },
  { name: 'model recommendation', paths: ['recommend/'] },
  { name: 'public API', paths: ['index.ts'] },
  { name: 'shells', paths: ['rpc/', 'cli/'] },
];

/** Plain-Node modules both sides may import (no tfjs, no vscode, no engine, no extension). */
const neutral = ['src/protocol/', 'src/common/'];

interface ImportEdge {
  /** Repo-relative path of the importing file, `/`-separated. */
  from: string;
  /** Repo-relative resolved path for a relative import, else the bare specifier (`vscode`, `node:fs`). */
  to: string;
  relative: boolean;
}

const posix = (p: string) => p.split(sep).join('/');

function sourceFiles(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'node_modules') continue;
    if (statSync(p).isDirectory()) sourceFiles(p, out);
    else if (/\.(ts|tsx|mts|cts)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

function resolveRelative(fromFile: string, spec: string): string {
  const base = resolve(dirname(fromFile), spec);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return posix(relative(root, candidate));
  }
  return posix(relative(root, base));
}

/** Every import of every source file under the given repo-relative folders. */
function readImportGraph(folders: readonly string[]): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const folder of folders) {
    for (const file of sourceFiles(join(root, folder))) {
      const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
      for (const { fileName } of info.importedFiles) {
        const isRelative = fileName.startsWith('.');
        edges.push({ from: posix(relative(root, file)), to: isRelative ? resolveRelative(file, fileName) : fileName, relative: isRelative });
      }
    }
  }
  return edges;
}

/** The layer index and the unit (folder or file) of an engine file, or undefined when no layer claims it. */
function engineLayerOf(repoPath: string): { layer: number; unit: string } | undefined {
  if (!repoPath.startsWith('src/engine/')) return undefined;
  const inside = repoPath.slice('src/engine/'.length);
  let best: { layer: number; unit: string; length: number } | undefined;
  engineLayers.forEach((layer, index) => {
    for (const path of layer.paths) {
      const matches = path.endsWith('/') ? inside.startsWith(path) : inside === path;
      if (matches && !path.includes('*') && (!best || path.length > best.length)) best = { layer: index, unit: layer.oneUnit ? layer.name : path, length: path.length };
    }
  });
  if (best) return { layer: best.layer, unit: best.unit };
  // `models/*/`: any model family folder that no literal entry (models/nn/) claims.
  const family = /^models\/([^/]+)\//.exec(inside);
  const wildcard = engineLayers.findIndex((layer) => layer.paths.includes('models/*/'));
  return family ? { layer: wildcard, unit: `models/${family[1]}/` } : undefined;
}

/** What is wrong with one import, or undefined when the layering allows it. */
function layeringViolation(edge: ImportEdge): string | undefined {
  const { from, to } = edge;
  const inEngine = (p: string) => p.startsWith('src/engine/');
  const inExtension = (p: string) => p.startsWith('src/extension/');
  const inWebview = (p: string) => p.startsWith('webview-ui/');
  const inNeutral = (p: string) => neutral.some((n) => p.startsWith(n));
  if (!edge.relative) {
    if (to === 'vscode' && !inExtension(from)) return `${from} imports vscode: only src/extension/ may`;
    if (/^@tensorflow\//.test(to) && !inEngine(from) && !from.startsWith('bench/')) return `${from} imports ${to}: only the engine (and its benches) may`;
    return undefined;
  }
  if (inExtension(from) && inEngine(to)) return `${from} imports ${to}: the extension talks to the engine over JSON-RPC only (share code through ${neutral.join(' or ')})`;
  if (inWebview(from) && (inEngine(to) || inExtension(to))) return `${from} imports ${to}: webview pages may import only webview-ui/ and ${neutral.join(', ')}`;
  if (from.startsWith('bench/') && inEngine(to) && to !== 'src/engine/index.ts') return `${from} imports ${to}: benches use the engine's public API, src/engine/index.ts`;
  if (inEngine(from) && (inExtension(to) || inWebview(to))) return `${from} imports ${to}: the engine must not depend on the extension or its webviews`;
  if (inNeutral(from) && (inEngine(to) || inExtension(to) || inWebview(to))) return `${from} imports ${to}: ${neutral.join(' and ')} are shared by both sides and import neither`;
  if (!inEngine(from) || !inEngine(to)) return undefined;
  const a = engineLayerOf(from);
  const b = engineLayerOf(to);
  if (!a) return `${from} is in no engine layer: add its folder to engineLayers (test/unit/architecture.test.ts) and docs/ARCHITECTURE.md`;
  if (!b) return `${to} is in no engine layer: add its folder to engineLayers (test/unit/architecture.test.ts) and docs/ARCHITECTURE.md`;
  if (engineLayers[a.layer]!.name === 'shells' && a.unit !== b.unit && b.layer < a.layer - 1) {
    return `${from} imports ${to}: the shells (rpc/, cli/) use the library through its public API, src/engine/index.ts`;
  }
  if (a.unit === b.unit || b.layer < a.layer) return undefined;
  const what = b.layer === a.layer ? 'a sibling of its own layer' : 'a higher layer';
  return `${from} (${engineLayers[a.layer]!.name}) imports ${to} (${engineLayers[b.layer]!.name}), ${what}: engine layers import only downward`;
}

const graph = readImportGraph(['src', 'webview-ui', 'bench']);

test('the import graph is read: engine, extension and webview imports are all present', () => {
  // Guards the checks below against an empty or unparsed graph (which would pass them trivially).
  assert.ok(graph.some((e) => e.from === 'src/engine/models/bert/bertClassifier.ts' && e.to === 'src/engine/models/nn/adamW.ts'));
  assert.ok(graph.some((e) => e.from === 'src/extension/extension.ts' && e.to === 'vscode'));
  assert.ok(graph.some((e) => e.from.startsWith('webview-ui/') && e.to.startsWith('src/protocol/')));
  assert.ok(graph.filter((e) => e.from.startsWith('src/engine/')).length > 300);
});

test('every engine source file belongs to exactly one layer', () => {
  const files = sourceFiles(join(root, 'src', 'engine')).map((f) => posix(relative(root, f)));
  assert.deepEqual(files.filter((f) => engineLayerOf(f) === undefined), []);
});

test('engine layers import only downward, and nothing crosses the extension/engine seam', () => {
  assert.deepEqual(graph.map(layeringViolation).filter((v) => v !== undefined), []);
});

test('the rule itself: upward, sibling and cross-seam imports are refused, downward ones allowed', () => {
  const rel = (from: string, to: string): ImportEdge => ({ from, to, relative: true });
  // Downward and within a folder: allowed.
  assert.equal(layeringViolation(rel('src/engine/models/bert/bertClassifier.ts', 'src/engine/models/nn/adamW.ts')), undefined);
  assert.equal(layeringViolation(rel('src/engine/train/runTraining.ts', 'src/engine/train/trainLoop.ts')), undefined);
  assert.equal(layeringViolation(rel('src/extension/extension.ts', 'src/common/runFolder/runOwner.ts')), undefined);
  // Upward: the kind of import the re-cut removed (a model reaching into the run loop).
  assert.match(layeringViolation(rel('src/engine/models/bert/bertClassifier.ts', 'src/engine/train/trainLoop.ts'))!, /higher layer/);
  assert.match(layeringViolation(rel('src/engine/data/loadDataset.ts', 'src/engine/train/runTraining.ts'))!, /higher layer/);
  assert.match(layeringViolation(rel('src/engine/models/nn/adamW.ts', 'src/engine/models/bert/bertConfig.ts'))!, /higher layer/);
  // Sideways: one model family into another.
  assert.match(layeringViolation(rel('src/engine/models/ngram/ngramModel.ts', 'src/engine/models/bert/bertConfig.ts'))!, /sibling/);
  // Across the seam.
  assert.match(layeringViolation(rel('src/extension/extension.ts', 'src/engine/runs/runStore.ts'))!, /JSON-RPC only/);
  assert.match(layeringViolation(rel('webview-ui/dashboard/main.ts', 'src/engine/metrics/classificationMetrics.ts'))!, /webview pages/);
  assert.match(layeringViolation(rel('src/engine/rpc/main.ts', 'src/extension/settings.ts'))!, /must not depend/);
  assert.match(layeringViolation({ from: 'src/engine/rpc/main.ts', to: 'vscode', relative: false })!, /only src\/extension/);
  assert.match(layeringViolation(rel('src/common/runFolder/runOwner.ts', 'src/engine/errors.ts'))!, /import neither/);
  // The shells and the benches reach the library only through its public API.
  assert.equal(layeringViolation(rel('src/engine/cli/trainCommand.ts', 'src/engine/index.ts')), undefined);
  assert.match(layeringViolation(rel('src/engine/cli/trainCommand.ts', 'src/engine/train/runTraining.ts'))!, /public API/);
  assert.match(layeringViolation(rel('bench/ngram.ts', 'src/engine/predict/loadPredictor.ts'))!, /public API/);
  // A new engine folder must be placed in a layer before it is used.
  assert.match(layeringViolation(rel('src/engine/train/trainLoop.ts', 'src/engine/newThing/x.ts'))!, /in no engine layer/);
});
