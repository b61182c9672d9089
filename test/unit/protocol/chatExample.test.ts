// The shared chat rule (locateChatExample): which message is the label and which the text, for each shape.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { locateChatExample } from '../../../src/protocol/chatExample';

const u = (content: string) => ({ role: 'user', content });
const a = (content: string, weight?: number) => (weight === undefined ? { role: 'assistant', content } : { role: 'assistant', content, weight });

test('one user/assistant pair, with or without a system prompt, is not a choice', () => {
  assert.deepEqual(locateChatExample([u('x'), a('l')]), { ok: true, textIndices: [0], userIndex: 0, labelIndex: 1, chose: false, zeroWeight: [] });
  const withSystem = locateChatExample([{ role: 'system', content: 's' }, u('x'), a('l')]);
  assert.ok(withSystem.ok && !withSystem.chose && withSystem.userIndex === 1);
});

test('the label is the last assistant message without weight 0; the text the last user message before it', () => {
  const r = locateChatExample([u('hi'), a('hello', 0), u('real'), a('joy'), u('bye'), a('ok', 0)]);
  assert.ok(r.ok);
  assert.deepEqual([r.userIndex, r.labelIndex, r.chose, r.zeroWeight], [2, 3, true, [1, 5]]);
  const all = locateChatExample([u('hi'), a('hello', 0), u('real'), a('joy')], 'allTurns');
  assert.ok(all.ok);
  assert.deepEqual(all.textIndices, [0, 1, 2]);
});

test('shapes with no label or no text are refused with the reason', () => {
  assert.deepEqual(locateChatExample('x'), { ok: false, problem: 'notArray' });
  assert.deepEqual(locateChatExample([u('x'), 3]), { ok: false, problem: 'badMessage', index: 1 });
  assert.deepEqual(locateChatExample([{ role: 'robot', content: 'x' }]), { ok: false, problem: 'badRole', index: 0 });
  assert.deepEqual(locateChatExample([u('x'), a('l', 0)]), { ok: false, problem: 'noAssistant' });
  assert.deepEqual(locateChatExample([a('l'), u('x')]), { ok: false, problem: 'noUserBeforeLabel', index: 0 });
});
