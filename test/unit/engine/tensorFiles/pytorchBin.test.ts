// The safe .bin reader against PyTorch itself: state dicts written by torch.save in every layout load equal to
// their safetensors twin (written by hand in Python), and pickles whose loading would run code are refused by
// name with nothing run. Needs /usr/bin/python3 with torch (test/helpers/requirements.ts: a failure under CI).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { needs, python, pythonModule } from '../../../helpers/requirements';
import { readPytorchBin } from '../../../../src/engine/tensorFiles/pytorchBin';
import { readSafetensors } from '../../../../src/engine/tensorFiles/safetensors';
import { EngineError } from '../../../../src/engine/errors';

const script = join(__dirname, '..', '..', '..', 'reference', 'torch_state_dicts.py');

function runPython(args: string[]): void {
  const r = spawnSync(python, [script, ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, `the PyTorch fixture script failed (CI installs python3-torch): ${r.stderr}`);
}

const torch = needs(pythonModule('torch'));
const fixtures = mkdtempSync(join(tmpdir(), 'torch-bin-'));
let made = false;

/** The fixtures, written once by torch.save on first use. */
function twinFixtures(): string {
  if (!made) runPython(['twin', fixtures]);
  made = true;
  return fixtures;
}

async function assertEqualToTwin(file: string, names?: string[]): Promise<void> {
  const twin = await readSafetensors(join(twinFixtures(), 'twin.safetensors'));
  const ours = await readPytorchBin(file);
  assert.deepEqual([...ours.keys()], names ?? [...twin.keys()]);
  for (const [name, t] of ours) {
    const want = twin.get(name)!;
    assert.deepEqual(t.shape, want.shape, `${name} shape`);
    assert.equal(t.data.constructor, want.data.constructor, `${name} element type`);
    assert.deepEqual([...t.data], [...want.data], `${name} values`);
  }
}

for (const layout of ['zip', 'legacy', 'protocol4']) {
  test(`a ${layout} torch.save state dict loads equal to its safetensors twin (views, tied, fp16, bf16, f64, int64)`, torch, async () => {
    await assertEqualToTwin(join(twinFixtures(), `${layout}.bin`));
  });
}

test('nn.Parameter values load as their tensors', torch, async () => {
  const ours = await readPytorchBin(join(twinFixtures(), 'params.bin'));
  const twin = await readSafetensors(join(fixtures, 'twin.safetensors'));
  assert.equal(ours.size, 3);
  for (const [name, t] of ours) assert.deepEqual([...t.data], [...twin.get(name)!.data].map((v) => Math.fround(v)), name);
});

test('each shard of a sharded checkpoint loads equal to the twin', torch, async () => {
  const index = JSON.parse(readFileSync(join(twinFixtures(), 'sharded', 'pytorch_model.bin.index.json'), 'utf8')) as { weight_map: Record<string, string> };
  for (const shard of new Set(Object.values(index.weight_map))) {
    const names = Object.entries(index.weight_map).filter(([, f]) => f === shard).map(([n]) => n);
    await assertEqualToTwin(join(fixtures, 'sharded', shard), names);
  }
});

test('a pickle whose __reduce__ would run a command is refused by name, and nothing runs', torch, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'torch-hostile-'));
  const marker = join(dir, 'ran');
  runPython(['hostile', dir, marker]);
  const cases: [string, RegExp][] = [
    ['system.bin', /refused global "posix\.system"/],
    ['system-legacy.bin', /refused global "posix\.system"/],
    ['eval-protocol4.bin', /refused global "builtins\.eval"/],
  ];
  for (const [file, why] of cases) {
    await assert.rejects(readPytorchBin(join(dir, file)), (err: unknown) => {
      assert.ok(err instanceof EngineError, String(err));
      assert.match(err.message, why);
      assert.match(err.message, /nothing in it was run/);
      assert.equal(err.data.file, join(dir, file));
      return true;
    });
    assert.ok(!existsSync(marker), `reading ${file} created the marker file`);
  }
  // Control: the same file does run its command under Python's unrestricted loader, so the refusal above matters.
  const r = spawnSync(python, ['-c', 'import sys, torch; torch.load(sys.argv[1])', join(dir, 'system.bin')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.ok(existsSync(marker), 'the hostile fixture is not hostile: torch.load did not run it');
});

test('opcodes a state dict never uses are refused by name', torch, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'torch-opcode-'));
  // A legacy stream whose first pickle is protocol 2 with an INST opcode ("i" module\nname\n) — never in a state dict.
  const file = join(dir, 'inst.bin');
  writeFileSync(file, Buffer.concat([Buffer.from([0x80, 0x02, 0x28]), Buffer.from('ibuiltins\nprint\n.', 'latin1')]));
  await assert.rejects(readPytorchBin(file), /refused pickle opcode INST at byte 3/);
  const truncated = join(dir, 'truncated.bin');
  writeFileSync(truncated, readFileSync(join(twinFixtures(), 'legacy.bin')).subarray(0, 900));
  await assert.rejects(readPytorchBin(truncated), (err: unknown) => err instanceof EngineError && /truncated|ends/.test(err.message));
  const notZip = join(dir, 'zip-cut.bin');
  writeFileSync(notZip, readFileSync(join(fixtures, 'zip.bin')).subarray(0, 1000));
  await assert.rejects(readPytorchBin(notZip), /not a readable torch\.save archive/);
});
