// Saving the training file before a retrain: the engine reads the file from disk, so labels still only in the
// editor must be written first.

/** The part of `vscode.TextDocument` a save needs. */
export interface SavableDocument {
  readonly isDirty: boolean;
  save(): Thenable<boolean>;
}

/**
 * Saves `document` until it has no unsaved changes. VS Code's `TextDocument.save()` resolves false, leaving the
 * document dirty, when the write fails, but also when another save or edit of the same file overlapped it (its
 * TextFileEditorModel keeps a model dirty whose version changed during the write, and cancels a running save for a
 * newer one). The e2e journey got a false here under load (1 run in 8) with no failed write reported by VS Code, so
 * a false is tried again, up to `attempts` saves `retryMs` apart. A write that fails for good (a conflict, a
 * read-only file) has shown VS Code's own notification by then.
 * @returns true once the document is saved (or had nothing to save); false after `attempts` failed saves.
 */
export async function saveDocument(document: SavableDocument, attempts = 3, retryMs = 500): Promise<boolean> {
  for (let attempt = 1; document.isDirty; attempt++) {
    if (await document.save()) return true;
    if (attempt >= attempts) return !document.isDirty;
    await new Promise((resolve) => setTimeout(resolve, retryMs));
  }
  return true;
}
