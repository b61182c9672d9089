// Which commands Restricted Mode turns off, in one table: package.json gives each of them `enablement` on
// `isWorkspaceTrusted` (checked by test/unit/extension/manifest.test.ts), and their handlers refuse with the reason
// (workspaceTrust.ts) when called another way (a keybinding's `args`, another extension). vscode-free, so the
// manifest test can read it.
import type { commandIds } from '../commands/commandIds';

type CommandKey = keyof typeof commandIds;

/**
 * Commands that need a trusted workspace: they train or load model files from the workspace (the engine would read
 * and run on files someone else may have written), or have the engine write into the workspace on its own (runs,
 * exported models, job folders, deleting run folders).
 */
export const trustedCommandKeys = [
  'fineTune', 'resumeRun', 'retrainWithLabels', 'findLabelIssues', 'suggestLabels', 'setActiveModel', 'exportModel',
  'deleteRun', 'runElsewhere', 'importRunFolder',
] as const satisfies readonly CommandKey[];

/**
 * Commands that stay on in Restricted Mode: they read, display, stop or forget, or make edits the user makes to their
 * own files through the editor (a quick fix, labelling a line), which Restricted Mode allows as it allows typing.
 * "Open sample dataset" copies the extension's own sample. "Choose active model" explains instead of offering runs.
 */
export const restrictedModeCommandKeys = [
  'inspectDataset', 'stopRun', 'openDashboard', 'openConfusionMatrix', 'browseMisclassified', 'compareRuns',
  'revealRunFolder', 'showEngineLog', 'restartEngine', 'refreshDatasets', 'refreshRuns', 'openSample',
  'chooseActiveModel', 'clearActiveModel', 'acceptLabelIssue', 'dismissLabelIssue', 'exportLabelCorrections',
  'labelSuggestion', 'labelSuggestions', 'skipSuggestion', 'forgetSkippedSuggestions', 'nextLabelIssue', 'previousLabelIssue',
] as const satisfies readonly CommandKey[];

// A new command id must be put in one of the two lists: this line stops compiling until it is.
type Unclassified = Exclude<CommandKey, (typeof trustedCommandKeys)[number] | (typeof restrictedModeCommandKeys)[number]>;
export const everyCommandClassified: [Unclassified] extends [never] ? true : Unclassified = true;

/** The `enablement` clause a trusted command carries in package.json. */
export const trustedEnablement = 'isWorkspaceTrusted';
