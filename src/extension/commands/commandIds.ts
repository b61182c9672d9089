// Command ids, in one place so package.json, menus, the status bar and the trees agree.
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
  showEngineLog: 'classifierWorkbench.showEngineLog',
  restartEngine: 'classifierWorkbench.restartEngine',
  refreshDatasets: 'classifierWorkbench.refreshDatasets',
  refreshRuns: 'classifierWorkbench.refreshRuns',
  openSample: 'classifierWorkbench.openSample',
  /** The active-model status bar item's pick (runs, a folder, or clear). */
  chooseActiveModel: 'classifierWorkbench.chooseActiveModel',
} as const;

/** Context keys set with `setContext`, used in `when` clauses. */
export const contextKeys = {
  hasActiveModel: 'classifierWorkbench.hasActiveModel',
  runInProgress: 'classifierWorkbench.runInProgress',
} as const;
