import assert from 'node:assert/strict';
import { test } from 'node:test';
import { saveDocument } from '../../../../src/extension/activeLearning/saveDocument';

/** A document whose saves answer `answers` in turn; a true answer clears its unsaved changes. */
function documentAnswering(...answers: boolean[]) {
  const doc = {
    isDirty: true,
    saves: 0,
    async save() {
      const ok = answers[doc.saves++] ?? false;
      if (ok) doc.isDirty = false;
      return ok;
    },
  };
  return doc;
}

test('a save that lost a race (false, still dirty) is tried again and the retrain goes on', async () => {
  const doc = documentAnswering(false, true);
  assert.equal(await saveDocument(doc, 3, 1), true);
  assert.equal(doc.saves, 2);
});

test('a save that keeps failing gives up after the attempts, so the caller can say the file could not be saved', async () => {
  const doc = documentAnswering(false, false, false, true);
  assert.equal(await saveDocument(doc, 3, 1), false);
  assert.equal(doc.saves, 3);
});

test('a document with nothing unsaved is not saved; one saved elsewhere meanwhile counts as saved', async () => {
  const clean = documentAnswering();
  clean.isDirty = false;
  assert.equal(await saveDocument(clean, 3, 1), true);
  assert.equal(clean.saves, 0);
  // save() said false, but another save had written the file by then: nothing is left unsaved.
  const savedElsewhere = { isDirty: true, saves: 0, async save() { this.saves++; this.isDirty = false; return false; } };
  assert.equal(await saveDocument(savedElsewhere, 3, 1), true);
  assert.equal(savedElsewhere.saves, 1);
});
