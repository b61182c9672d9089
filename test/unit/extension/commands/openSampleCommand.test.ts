// "Open sample dataset" copies the bundled sample into the workspace, except where it must not write: with no
// folder open, and in Restricted Mode (an untrusted workspace), it goes to the extension's global storage.
import '../useFakeVscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shownMessages, Uri, workspace } from '../fakeVscode';
import { openSampleCommand } from '../../../../src/extension/commands/openSampleCommand';

const root = join(__dirname, '../../../..');

test('trusted: into the workspace; Restricted Mode: into global storage, saying why', async () => {
  const ws = mkdtempSync(join(tmpdir(), 'cw-sample-ws-'));
  const storage = mkdtempSync(join(tmpdir(), 'cw-sample-storage-'));
  workspace.workspaceFolders = [{ uri: Uri.file(ws), name: 'ws', index: 0 }];
  try {
    workspace.isTrusted = false;
    await openSampleCommand(Uri.file(root) as never, Uri.file(storage) as never);
    assert.equal(existsSync(join(ws, 'classifier-workbench-sample')), false, 'nothing written into the untrusted workspace');
    assert.ok(existsSync(join(storage, 'classifier-workbench-sample')));
    assert.match(shownMessages.at(-1)?.message ?? '', /^Restricted Mode: the sample was copied to .*classifier-workbench-sample, outside this workspace/);
    workspace.isTrusted = true;
    await openSampleCommand(Uri.file(root) as never, Uri.file(storage) as never);
    assert.ok(existsSync(join(ws, 'classifier-workbench-sample')), 'trusted: the sample sits in the workspace');
  } finally {
    workspace.isTrusted = true;
    workspace.workspaceFolders = undefined;
  }
});
