/**
 * Where the engine's stderr and `log` notifications go. An interface so the client runs under plain Node in
 * tests; the VS Code adapter (vscodeEngine.ts) backs it with the "Classifier Workbench" output channel.
 */
export interface OutputSink {
  appendLine(line: string): void;
  /** Reveal the log to the user (the "Show log" action). */
  show?(): void;
}
