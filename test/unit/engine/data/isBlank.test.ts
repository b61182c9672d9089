// isBlank must agree with `trim() === ''` (which it replaces on the hot path) on every UTF-16 code unit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBlank } from '../../../../src/engine/data/isBlank';

test('isBlank agrees with trim() on every single code unit and on mixed strings', () => {
  for (let c = 0; c < 65536; c++) {
    const s = String.fromCharCode(c);
    assert.equal(isBlank(s), s.trim() === '', `U+${c.toString(16)}`);
  }
  for (const s of ['', ' \t\r\n\u00a0\u3000', ' x ', '\u2028a', '\ufeff']) assert.equal(isBlank(s), s.trim() === '', JSON.stringify(s));
});
