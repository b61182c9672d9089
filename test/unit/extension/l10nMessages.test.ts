// Runtime strings are localisable: a notification's text goes through vscode.l10n.t, never as a literal. Read with
// the TypeScript parser: every show{Information,Warning,Error}Message call in src/extension whose message is a string
// or template literal with words of its own fails, naming the file and line. Files listed in `notYetLocalised` are
// exempt (none now; issue 21 converted them all); do not add to it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const root = join(__dirname, '../../..');
const notYetLocalised = new Set<string>([]);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : name.endsWith('.ts') ? [path] : [];
  });
}

/** The literal words of a message argument: its text outside `${…}`; empty for anything but a literal. */
function literalText(node: ts.Expression): string {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join('');
  return '';
}

test('notifications say their text through vscode.l10n.t (no literal message in src/extension)', () => {
  const found: string[] = [];
  for (const file of sources(join(root, 'src/extension'))) {
    const name = relative(root, file).split('\\').join('/');
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)
        && /^show(Information|Warning|Error)Message$/.test(node.expression.name.text) && node.arguments[0]
        && /[A-Za-z]{2}/.test(literalText(node.arguments[0]))) {
        const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
        if (!notYetLocalised.has(name)) found.push(`${name}:${line}: ${node.arguments[0].getText().slice(0, 80)}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  assert.deepEqual(found, [], 'wrap these messages in vscode.l10n.t(\'… {0} …\', value)');
  for (const name of notYetLocalised) assert.ok(statSync(join(root, name)).isFile(), `${name} is gone: take it off notYetLocalised`);
});
