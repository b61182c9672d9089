// Checks package.json's contributions against the code: every command id of the registry is contributed (with
// title, category and icon), every menu entry names a contributed command, settings match what the extension reads,
// and activation never uses '*'. That the extension really registers each contributed command and a tree for each
// contributed view is checked by activating it (activate.test.ts), not by searching its sources for the ids.
import { datasetExtensions } from '../../../src/common/datasetFormat';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { commandIds } from '../../../src/extension/commands/commandIds';
import { restrictedModeCommandKeys, trustedCommandKeys, trustedEnablement } from '../../../src/extension/trust/trustedCommands';

const root = join(__dirname, '../../..');
const rawPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const nls = JSON.parse(readFileSync(join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;
const nlsKey = /^%([\w.]+)%$/;
/** package.json as VS Code shows it in English: every "%key%" replaced by its package.nls.json string. */
const pkg = JSON.parse(JSON.stringify(rawPkg), (_key, value: unknown) => {
  const m = typeof value === 'string' ? nlsKey.exec(value) : null;
  return m && typeof nls[m[1]!] === 'string' ? nls[m[1]!] : value;
});
const contributes = pkg.contributes;

test('every command id of commandIds is contributed with a title, the category and an icon', () => {
  const contributed = new Map<string, { title: string; category: string; icon?: string }>(contributes.commands.map((c: { command: string }) => [c.command, c]));
  for (const id of Object.values(commandIds)) {
    const c = contributed.get(id);
    assert.ok(c, `${id} is not in contributes.commands`);
    assert.equal(c.category, 'Classifier Workbench', id);
    assert.match(c.icon ?? '', /^\$\([a-z-~]+\)$/, `${id} has a codicon`);
    assert.match(c.title, /^[A-Z][a-z]/, `${id}: sentence-case title`);
  }
});

test('menus name only contributed commands; run actions are keyed by run contextValues', () => {
  const ids = new Set(contributes.commands.map((c: { command: string }) => c.command));
  for (const [menu, entries] of Object.entries(contributes.menus) as [string, { command: string; when?: string }[]][]) {
    for (const e of entries) assert.ok(ids.has(e.command), `${menu}: ${e.command} is not a contributed command`);
  }
  const explorer = contributes.menus['explorer/context'].map((e: { command: string; when: string }) => `${e.command} ${e.when}`);
  // Dataset commands show on every dataset format the engine reads (datasetExtensions), and on nothing else.
  const datasetCommands: string[] = [commandIds.fineTune, commandIds.inspectDataset, commandIds.findLabelIssues];
  const fileMenus = ['explorer/context', 'editor/title', 'editor/context'].flatMap((m) => contributes.menus[m] as { command: string; when: string }[]);
  const datasetMenus = fileMenus.filter((m) => datasetCommands.includes(m.command));
  // "Suggest lines to label" reads unlabeled text: JSONL lines without a label, or a text file (one example per line).
  const suggestMenus = fileMenus.filter((m) => m.command === commandIds.suggestLabels);
  assert.ok(suggestMenus.length >= 2, 'Suggest lines to label in the explorer and editor menus');
  for (const e of suggestMenus) assert.equal(e.when, 'resourceExtname == .jsonl || resourceExtname == .txt');
  for (const id of [commandIds.fineTune, commandIds.inspectDataset, commandIds.findLabelIssues]) assert.ok(explorer.some((e: string) => e.startsWith(`${id} `)), `${id} in the explorer menu`);
  for (const e of datasetMenus.filter((m) => m.when.startsWith('resourceExtname'))) {
    const m = /^resourceExtname =~ \/(.+)\/(\w*)$/.exec(e.when);
    assert.ok(m, `${e.command}: ${e.when}`);
    const pattern = new RegExp(m[1]!, m[2]);
    for (const ext of datasetExtensions) assert.ok(pattern.test(`.${ext}`) && pattern.test(`.${ext.toUpperCase()}`), `${e.command} on .${ext}`);
    for (const other of ['.json', '.jsonl.bak', '.txt', '.csvx']) assert.ok(!pattern.test(other), `${e.command} not on ${other}`);
  }
  const runItems = contributes.menus['view/item/context'].filter((e: { when: string }) => e.when.includes('classifierWorkbench.runs'));
  for (const id of [commandIds.stopRun, commandIds.resumeRun, commandIds.openDashboard, commandIds.openConfusionMatrix, commandIds.browseMisclassified,
    commandIds.setActiveModel, commandIds.exportModel, commandIds.revealRunFolder, commandIds.deleteRun]) {
    assert.ok(runItems.some((e: { command: string; when: string }) => e.command === id && /viewItem (==|=~) \/?\^?run\\?\./.test(e.when)), `${id} on run items`);
  }
  assert.ok(runItems.some((e: { group?: string }) => e.group?.startsWith('inline')), 'inline actions on runs');
  const hidden = contributes.menus.commandPalette.filter((e: { when: string }) => e.when === 'false').map((e: { command: string }) => e.command);
  assert.ok(hidden.includes(commandIds.revealRunFolder), 'tree-only commands are hidden from the palette');
});

test('views, welcome content and icons exist', () => {
  const views = contributes.views.classifierWorkbench.map((v: { id: string }) => v.id);
  assert.deepEqual(views.slice(0, 2), ['classifierWorkbench.datasets', 'classifierWorkbench.runs']);
  const welcomed = new Set(contributes.viewsWelcome.map((w: { view: string }) => w.view));
  assert.ok(welcomed.has('classifierWorkbench.datasets') && welcomed.has('classifierWorkbench.runs'));
  for (const icon of [contributes.viewsContainers.activitybar[0].icon, pkg.icon]) assert.ok(existsSync(join(root, icon)), `${icon} exists`);
  for (const step of contributes.walkthroughs[0].steps) assert.ok(existsSync(join(root, step.media.markdown)), step.media.markdown);
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
});

test('every setting the extension reads is contributed with a description, and vice versa', () => {
  const settingsSource = readFileSync(join(root, 'src/extension/settings.ts'), 'utf8');
  const read = new Set([...settingsSource.matchAll(/config\.get\('([\w.]+)'\)/g)].map((m) => `classifierWorkbench.${m[1]}`));
  const contributed = contributes.configuration.properties as Record<string, { description?: string; markdownDescription?: string }>;
  assert.deepEqual([...read].sort(), Object.keys(contributed).sort());
  for (const [key, schema] of Object.entries(contributed)) assert.ok((schema.description ?? schema.markdownDescription ?? '').length > 20, `${key} is described`);
  for (const key of pkg.capabilities.untrustedWorkspaces.restrictedConfigurations) assert.ok(key in contributed, key);
});

test('Restricted Mode: trusted commands and welcome buttons carry enablement on workspace trust; every command is classified', () => {
  type Command = { command: string; enablement?: string };
  const trusted = new Set<string>(trustedCommandKeys.map((k) => commandIds[k]));
  const safe = new Set<string>(restrictedModeCommandKeys.map((k) => commandIds[k]));
  const contributed = contributes.commands as Command[];
  for (const c of contributed) {
    // A new command must be put in src/extension/trust/trustedCommands.ts: needs trust, or stays on in Restricted Mode.
    assert.ok(trusted.has(c.command) !== safe.has(c.command), `${c.command}: classify it (once) in src/extension/trust/trustedCommands.ts`);
    if (trusted.has(c.command)) assert.equal(c.enablement, trustedEnablement, `${c.command} is off in Restricted Mode: "enablement": "${trustedEnablement}"`);
    else assert.ok(!c.enablement?.includes('isWorkspaceTrusted'), `${c.command} works in Restricted Mode: no trust enablement`);
  }
  for (const id of ['fineTune', 'resumeRun', 'findLabelIssues', 'exportModel', 'setActiveModel'] as const) assert.ok(trusted.has(commandIds[id]), `${id} needs trust`);
  // A welcome-view button that runs a trusted command is disabled with it, and the view says why in Restricted Mode.
  const welcome = contributes.viewsWelcome as { view: string; contents: string; when?: string; enablement?: string }[];
  for (const w of welcome) {
    const linked = [...w.contents.matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1]!);
    if (!linked.some((id) => trusted.has(id))) continue;
    assert.equal(w.enablement, trustedEnablement, `${w.view}: the ${linked.join(', ')} button follows trust`);
    const explained = welcome.some((o) => o.view === w.view && o.when === '!isWorkspaceTrusted' && /Restricted Mode/.test(o.contents) && /command:workbench\.trust\.manage/.test(o.contents));
    assert.ok(explained, `${w.view} says in Restricted Mode why its button is off`);
  }
});

test('capabilities: limited in untrusted workspaces (saying what is off), not supported in virtual workspaces', () => {
  const { untrustedWorkspaces, virtualWorkspaces } = pkg.capabilities;
  assert.equal(untrustedWorkspaces.supported, 'limited');
  for (const off of [/fine-tuning/i, /label issues/i, /exporting/i, /loading/i]) assert.match(untrustedWorkspaces.description, off);
  assert.match(untrustedWorkspaces.description, /Inspecting datasets/);
  assert.equal(virtualWorkspaces?.supported, false);
  assert.match(virtualWorkspaces.description, /files on disk/);
});

test('activation only when a view, command, JSONL file or restored panel needs it', () => {
  const events = pkg.activationEvents as string[];
  // Not in any workspace that merely holds a dataset, nor at startup.
  assert.deepEqual(events.filter((e) => e === '*' || e === 'onStartupFinished' || e.startsWith('workspaceContains:')), []);
  // Views and commands activate implicitly (VS Code ≥ 1.74 derives onView:/onCommand: from the contributions).
  assert.ok(Number(/^\^1\.(\d+)/.exec(pkg.engines.vscode)?.[1]) >= 74, 'engines.vscode allows implicit activation events');
  assert.deepEqual(events.filter((e) => e.startsWith('onView:') || e.startsWith('onCommand:')), []);
  // Hover on JSONL lines and the restored label-issue diagnostics need the extension when a JSONL file opens first.
  // VS Code derives onLanguage:<id> only for a contributed language that has a `configuration` file
  // (activationEventsGenerator of the `languages` extension point); ours has none, so the event is listed.
  const jsonl = contributes.languages.find((l: { id: string }) => l.id === 'jsonl');
  assert.equal(jsonl?.configuration, undefined, 'with a language configuration, onLanguage:jsonl is implicit: drop it from activationEvents');
  assert.deepEqual(events.filter((e) => e.startsWith('onLanguage:')), ['onLanguage:jsonl']);
  // A panel left open is restored by its serializer, which needs the extension active.
  const viewTypes = readdirSync(join(root, 'src/extension/webviews'))
    .flatMap((f) => [...readFileSync(join(root, 'src/extension/webviews', f), 'utf8').matchAll(/static readonly viewType = '([\w.]+)'/g)].map((m) => m[1]));
  assert.ok(viewTypes.length >= 4);
  assert.deepEqual(events.filter((e) => e.startsWith('onWebviewPanel:')).sort(), viewTypes.map((t) => `onWebviewPanel:${t}`).sort());
  assert.deepEqual(events.filter((e) => !/^(onLanguage|onWebviewPanel):/.test(e)), [], 'no other activation event');
});

test('every setting has a scope, a unique order and exactly one of description/markdownDescription', () => {
  const settings = contributes.configuration.properties as Record<string, { scope?: string; order?: number; description?: string; markdownDescription?: string }>;
  const orders = new Map<number, string>();
  for (const [key, schema] of Object.entries(settings)) {
    // readSettings reads without a resource, so a folder-level (resource) value would be ignored: window or machine-overridable.
    assert.ok(['window', 'machine-overridable'].includes(schema.scope ?? ''), `${key}: scope window or machine-overridable, not ${schema.scope}`);
    assert.ok(Number.isInteger(schema.order), `${key}: order`);
    assert.ok(!orders.has(schema.order!), `${key} and ${orders.get(schema.order!)} share order ${schema.order}`);
    orders.set(schema.order!, key);
    assert.ok((schema.description === undefined) !== (schema.markdownDescription === undefined), `${key}: exactly one of description and markdownDescription`);
  }
});

test('keyboard shortcuts for the frequent actions, each with a when clause and on no key VS Code binds by default', () => {
  type Keybinding = { command: string; key: string; mac?: string; linux?: string; win?: string; when?: string };
  const keybindings = contributes.keybindings as Keybinding[];
  const ids = new Set(contributes.commands.map((c: { command: string }) => c.command));
  for (const id of [commandIds.fineTune, commandIds.stopRun, commandIds.nextLabelIssue, commandIds.previousLabelIssue]) {
    assert.ok(keybindings.some((k) => k.command === id), `${id} has a shortcut`);
  }
  const defaults = JSON.parse(readFileSync(join(root, 'test/fixtures/vscodeDefaultKeybindings.json'), 'utf8')) as Record<'linux' | 'windows' | 'macos', string[]>;
  // VS Code writes modifiers as ctrl+shift+alt+cmd (meta/win are cmd's names elsewhere): compare in that order.
  const rank = ['ctrl', 'shift', 'alt', 'cmd'];
  const normal = (key: string) => key.toLowerCase().split(' ').map((chord) => {
    const parts = chord.split('+').map((p) => (p === 'meta' || p === 'win' ? 'cmd' : p));
    const mods = parts.filter((p) => rank.includes(p)).sort((a, b) => rank.indexOf(a) - rank.indexOf(b));
    return [...mods, ...parts.filter((p) => !rank.includes(p))].join('+');
  }).join(' ');
  const taken = { linux: new Set(defaults.linux.map(normal)), windows: new Set(defaults.windows.map(normal)), macos: new Set(defaults.macos.map(normal)) };
  assert.ok(taken.linux.has('ctrl+shift+p') && taken.macos.has('shift+cmd+p'), 'the fixture holds the defaults');
  for (const k of keybindings) {
    assert.ok(ids.has(k.command), `${k.command} is contributed`);
    assert.ok(k.when && k.when.length > 5, `${k.command}: a when clause`);
    for (const [platform, key] of [['linux', k.linux ?? k.key], ['windows', k.win ?? k.key], ['macos', k.mac ?? k.key]] as const) {
      assert.ok(!taken[platform].has(normal(key)), `${k.command}: ${key} is a VS Code default on ${platform}`);
    }
  }
  const fineTune = keybindings.find((k) => k.command === commandIds.fineTune)!;
  assert.match(fineTune.when!, /resourceExtname =~ \/\^\\\.\(jsonl\|csv\|tsv\)\$\/i/, 'fine-tune the current file: on a dataset editor');
  assert.match(keybindings.find((k) => k.command === commandIds.stopRun)!.when!, /classifierWorkbench\.runInProgress/);
});

test('editor-title buttons show only on files that look like datasets', () => {
  const entries = contributes.menus['editor/title'] as { command: string; when?: string }[];
  assert.ok(entries.length >= 2);
  for (const e of entries) {
    const m = /^resourceExtname =~ \/(.+)\/(\w*)$/.exec(e.when ?? '');
    assert.ok(m, `${e.command}: editor/title needs a resourceExtname when clause, not ${e.when}`);
    const pattern = new RegExp(m[1]!, m[2]);
    for (const ext of ['.jsonl', '.csv', '.tsv', '.parquet', '.CSV']) assert.ok(pattern.test(ext), `${e.command} on ${ext}`);
    for (const other of ['.json', '.txt', '.md', '.ts', '.py', '.jsonl.bak', '']) assert.ok(!pattern.test(other), `${e.command} not on '${other}'`);
  }
});

test('manifest strings are localisable: every user-facing string is a %key% that package.nls.json resolves, and no key is unused', () => {
  const used = new Set<string>();
  JSON.stringify(rawPkg, (_key, value: unknown) => {
    const m = typeof value === 'string' ? nlsKey.exec(value) : null;
    if (m) used.add(m[1]!);
    return value;
  });
  for (const key of used) assert.ok(typeof nls[key] === 'string' && nls[key].trim().length > 0, `%${key}% has no string in package.nls.json`);
  assert.deepEqual(Object.keys(nls).filter((k) => !used.has(k)), [], 'package.nls.json keys that package.json no longer uses');
  type Schema = { description?: string; markdownDescription?: string; enumDescriptions?: string[] };
  const c = rawPkg.contributes;
  const shown: [string, unknown][] = [
    ['displayName', rawPkg.displayName], ['description', rawPkg.description], ['configuration.title', c.configuration.title],
    ...c.commands.flatMap((x: { command: string; title: string; category: string }) => [[`${x.command} title`, x.title], [`${x.command} category`, x.category]]),
    ...c.viewsContainers.activitybar.map((v: { id: string; title: string }) => [v.id, v.title]),
    ...(Object.values(c.views).flat() as { id: string; name: string; contextualTitle?: string }[]).flatMap((v) => [[`${v.id} name`, v.name], [`${v.id} contextualTitle`, v.contextualTitle]]),
    ...c.viewsWelcome.map((w: { view: string; contents: string }) => [`${w.view} welcome`, w.contents]),
    ...(Object.entries(c.configuration.properties) as [string, Schema][]).flatMap(([k, s]) => [[k, s.description ?? s.markdownDescription], ...(s.enumDescriptions ?? []).map((d) => [`${k} enumDescriptions`, d])]),
    ...c.walkthroughs.flatMap((w: { id: string; title: string; description: string; steps: { id: string; title: string; description: string }[] }) =>
      [[w.id, w.title], [w.id, w.description], ...w.steps.flatMap((s) => [[s.id, s.title], [s.id, s.description]])]),
    ...Object.entries(rawPkg.capabilities as Record<string, { description: string }>).map(([k, v]) => [`capabilities.${k}`, v.description]),
  ];
  for (const [where, value] of shown) {
    if (value === undefined && / contextualTitle$/.test(where)) continue;
    assert.ok(typeof value === 'string' && nlsKey.test(value), `${where}: ${JSON.stringify(value)?.slice(0, 60)} is shown to users, so it must be a %key% of package.nls.json`);
  }
  // Runtime strings go through vscode.l10n.t; the folder for their translations is declared and packaged.
  assert.equal(rawPkg.l10n, './l10n');
  assert.ok(existsSync(join(root, 'l10n')));
  const ignore = readFileSync(join(root, '.vscodeignore'), 'utf8').split('\n');
  assert.ok(ignore.includes('!package.nls*.json') && ignore.includes('!l10n/*.json'), '.vscodeignore ships package.nls.json and l10n/');
});
