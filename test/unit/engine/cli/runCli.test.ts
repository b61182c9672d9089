// The CLI framework: dispatch from the command table, help, usage errors, exit codes, JSON errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../../../../src/engine/cli/runCli';
import type { CliCommand } from '../../../../src/engine/cli/cliCommand';
import { EngineError } from '../../../../src/engine/errors';
import { EngineErrorCodes } from '../../../../src/protocol/errors';

const echo: CliCommand = {
  name: 'echo',
  summary: 'Print the arguments',
  positionals: [{ name: 'word', description: 'what to print' }, { name: 'more', description: 'optional extra', optional: true }],
  options: [
    { name: 'times', type: 'string', valueName: 'N', description: 'repeat N times' },
    { name: 'shout', type: 'boolean', short: 's', description: 'upper case' },
  ],
  async run(args, context) {
    const word = args.options.shout ? args.positionals[0].toUpperCase() : args.positionals[0];
    const out = Array(Number(args.options.times ?? 1)).fill(word).join(' ');
    context.stdout(context.json ? `${JSON.stringify({ out })}\n` : `${out}\n`);
    return 0;
  },
};
const failing: CliCommand = {
  name: 'fail',
  summary: 'Throw',
  positionals: [{ name: 'what', description: 'engine or bug' }],
  options: [],
  async run(args) {
    if (args.positionals[0] === 'engine') throw new EngineError(EngineErrorCodes.invalidDataset, 'Bad label.', { file: '/d/x.jsonl', line: 3, column: 7 });
    throw new TypeError('boom');
  },
};

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, [echo, failing], {
    stdout: (t) => { out += t; },
    stderr: (t) => { err += t; },
    cwd: '/',
    signal: new AbortController().signal,
    version: '9.9.9',
  });
  return { code, out, err };
}

test('dispatches to the command with options before or after positionals', async () => {
  assert.deepEqual(await run(['echo', 'hi', '--times', '2']), { code: 0, out: 'hi hi\n', err: '' });
  assert.deepEqual(await run(['echo', '-s', '--times=3', 'hi']), { code: 0, out: 'HI HI HI\n', err: '' });
  assert.deepEqual(await run(['--json', 'echo', 'hi']), { code: 0, out: '{"out":"hi"}\n', err: '' });
  assert.deepEqual(await run(['echo', 'hi', '--json']), { code: 0, out: '{"out":"hi"}\n', err: '' });
});

test('global and per-command help list commands and options', async () => {
  const global = await run(['--help']);
  assert.equal(global.code, 0);
  assert.match(global.out, /echo\s+Print the arguments/);
  assert.match(global.out, /fail\s+Throw/);
  const perCommand = await run(['echo', '--help']);
  assert.equal(perCommand.code, 0);
  assert.match(perCommand.out, /Usage: classifier-workbench echo <word> \[more\] \[options\]/);
  assert.match(perCommand.out, /--times N\s+repeat N times/);
  assert.match(perCommand.out, /--shout, -s\s+upper case/);
  assert.equal((await run(['help', 'echo'])).out, perCommand.out);
  assert.deepEqual(await run(['--version']), { code: 0, out: '9.9.9\n', err: '' });
});

test('usage errors exit 64 with a pointer to help', async () => {
  const unknownOption = await run(['echo', 'hi', '--loud']);
  assert.equal(unknownOption.code, 64);
  assert.match(unknownOption.err, /Unknown option '--loud'/);
  assert.match(unknownOption.err, /classifier-workbench echo --help/);
  const unknownCommand = await run(['ecko']);
  assert.equal(unknownCommand.code, 64);
  assert.match(unknownCommand.err, /Unknown command 'ecko'. Commands: echo, fail/);
  const missing = await run(['echo']);
  assert.equal(missing.code, 64);
  assert.match(missing.err, /Missing argument <word>/);
  assert.match((await run(['echo', 'a', 'b', 'c'])).err, /Unexpected argument 'c'/);
  assert.match((await run(['echo', 'hi', '--times'])).err, /Option '--times' needs a value/);
  assert.equal((await run([])).code, 64);
  const json = await run(['--json', 'echo', 'hi', '--nope']);
  assert.equal(JSON.parse(json.out).error.usage, true);
});

test('EngineErrors print file:line:column and exit 2; other errors exit 1 as internal', async () => {
  const engine = await run(['fail', 'engine']);
  assert.equal(engine.code, 2);
  assert.equal(engine.err, 'classifier-workbench fail: /d/x.jsonl:3:7: Bad label.\n');
  const json = await run(['fail', 'engine', '--json']);
  assert.deepEqual(JSON.parse(json.out).error, { code: EngineErrorCodes.invalidDataset, file: '/d/x.jsonl', line: 3, column: 7, detail: 'Bad label.', message: '/d/x.jsonl:3:7: Bad label.' });
  const bug = await run(['fail', 'bug']);
  assert.equal(bug.code, 1);
  assert.match(bug.err, /internal error.*\n.*TypeError: boom/);
});

test('typed option readers: integers, numbers, byte counts, lists; bad values are usage errors', async () => {
  const { integerOption, numberOption, byteCountOption, listOption } = await import('../../../../src/engine/cli/optionValues');
  const { CliUsageError } = await import('../../../../src/engine/cli/cliUsageError');
  const args = (value: string | undefined) => ({ positionals: [], options: { x: value } });
  assert.equal(integerOption(args('12'), 'x', 'c', { min: 1 }), 12);
  assert.equal(integerOption(args(undefined), 'x', 'c'), undefined);
  assert.throws(() => integerOption(args('1.5'), 'x', 'c'), /--x must be a whole number/);
  assert.throws(() => integerOption(args('0'), 'x', 'c', { min: 1 }), /--x must be at least 1/);
  assert.equal(numberOption(args('0.25'), 'x', 'c', { max: 1 }), 0.25);
  assert.throws(() => numberOption(args('abc'), 'x', 'c'), (e: unknown) => e instanceof CliUsageError && e.command === 'c');
  assert.throws(() => numberOption(args(' '), 'x', 'c'), /must be a number/);
  assert.throws(() => numberOption(args('2'), 'x', 'c', { max: 1 }), /at most 1/);
  assert.equal(byteCountOption(args('4m'), 'x', 'c'), 4 * 1024 * 1024);
  assert.equal(byteCountOption(args('512KiB'), 'x', 'c'), 512 * 1024);
  assert.equal(byteCountOption(args('100'), 'x', 'c'), 100);
  assert.throws(() => byteCountOption(args('lots'), 'x', 'c'), /byte count/);
  assert.deepEqual(listOption(args('a, b,c'), 'x', 'c'), ['a', 'b', 'c']);
  assert.throws(() => listOption(args('a,,b'), 'x', 'c'), /without empty items/);
});
