// The one registry of the extension's command ids: registration, menus (checked against package.json by
// test/unit/extension/manifest.test.ts), the status bar, the trees and code actions all use these constants.
export const commandIds = {
  fineTune: 'classifierWorkbench.fineTune',
  inspectDataset: 'classifierWorkbench.inspectDataset',
  stopRun: 'classifierWorkbench.stopRun',
  resumeRun: 'classifierWorkbench.resumeRun',
  openDashboard: 'classifierWorkbench.openDashboard',
  openConfusionMatrix: 'classifierWorkbench.openConfusionMatrix',
  browseMisclassified: 'classifierWorkbench.browseMisclassified',
  findLabelIssues: 'classifierWorkbench.findLabelIssues',
  setActiveModel: 'classifierWorkbench.setActiveModel',
  exportModel: 'classifierWorkbench.exportModel',
  compareRuns: 'classifierWorkbench.compareRuns',
  deleteRun: 'classifierWorkbench.deleteRun',
  revealRunFolder: 'classifierWorkbench.revealRunFolder',
  /** Runs elsewhere: a run's configuration as a Trainer + accelerate job, and a result folder brought back. */
  runElsewhere: 'classifierWorkbench.runElsewhere',
  importRunFolder: 'classifierWorkbench.importRunFolder',
  showEngineLog: 'classifierWorkbench.showEngineLog',
  restartEngine: 'classifierWorkbench.restartEngine',
  refreshDatasets: 'classifierWorkbench.refreshDatasets',
  refreshRuns: 'classifierWorkbench.refreshRuns',
  openSample: 'classifierWorkbench.openSample',
  /** The active-model status bar item's pick (runs, a folder, or clear). */
  chooseActiveModel: 'classifierWorkbench.chooseActiveModel',
  clearActiveModel: 'classifierWorkbench.clearActiveModel',
  /** Label-issue tree item actions (registered in `registerPredictionFeatures`). */
  acceptLabelIssue: 'classifierWorkbench.acceptLabelIssue',
  dismissLabelIssue: 'classifierWorkbench.dismissLabelIssue',
  /** Keyboard review of the Label issues list, in its order (ranked): open the next / previous open issue. */
  nextLabelIssue: 'classifierWorkbench.nextLabelIssue',
  previousLabelIssue: 'classifierWorkbench.previousLabelIssue',
  /** Writes the label issues and their review decisions as a CSV (Parquet data is not edited in place). */
  exportLabelCorrections: 'classifierWorkbench.exportLabelCorrections',
  /** Active learning: the "To label" view and its actions (registered in `registerActiveLearning`). */
  suggestLabels: 'classifierWorkbench.suggestLabels',
  labelSuggestion: 'classifierWorkbench.labelSuggestion',
  labelSuggestions: 'classifierWorkbench.labelSuggestions',
  skipSuggestion: 'classifierWorkbench.skipSuggestion',
  retrainWithLabels: 'classifierWorkbench.retrainWithLabels',
  forgetSkippedSuggestions: 'classifierWorkbench.forgetSkippedSuggestions',
} as const;

/**
 * Commands the extension registers but does not contribute to the palette or menus: the arguments come from a
 * code action or a tree item, never from a user.
 */
export const internalCommandIds = {
  markLabelIssueReviewed: 'classifierWorkbench.markLabelIssueReviewed',
  recordLabelIssueRelabel: 'classifierWorkbench.recordLabelIssueRelabel',
  openLabelIssue: 'classifierWorkbench.openLabelIssue',
} as const;

/** Context keys set with `setContext`, used in `when` clauses. */
export const contextKeys = {
  hasActiveModel: 'classifierWorkbench.hasActiveModel',
  runInProgress: 'classifierWorkbench.runInProgress',
  /** The Label issues view lists at least one open issue (next/previous label issue have somewhere to go). */
  hasLabelIssues: 'classifierWorkbench.hasLabelIssues',
} as const;
