// Renders the fine-tune state machine with one QuickPick / InputBox at a time: step counter, a back button,
// live input validation. All decisions live in FineTuneFlow; this file only talks to VS Code.
import * as vscode from 'vscode';
import type { FineTuneChoice, FineTuneFlow, FlowStep } from './fineTuneFlow';
import { modelFolderProblem } from './modelCandidates';

const back = Symbol('back');
type Answer = string | typeof back | undefined;

/**
 * Shows the flow until it is done or dismissed. Escape in a value box goes back one step (FineTuneFlow.escape);
 * a browsed folder that is not a model folder is refused at once, saying what one holds, before any run exists.
 * @returns the user's choice, or undefined when they pressed Escape in a pick list.
 */
export async function showFineTuneFlow(flow: FineTuneFlow): Promise<FineTuneChoice | undefined> {
  for (;;) {
    const step = flow.current();
    if (step.kind === 'done') return step.result;
    if (step.kind === 'browse') {
      const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: vscode.l10n.t('Use this model folder'), title: vscode.l10n.t('Pick a Hugging Face model folder (config.json, model.safetensors, tokenizer)') });
      const folder = picked?.[0]?.fsPath;
      const problem = folder === undefined ? undefined : await modelFolderProblem(folder);
      if (problem) void vscode.window.showErrorMessage(problem);
      flow.browsed(problem ? undefined : folder);
      continue;
    }
    const answer = step.kind === 'pick' ? await showPick(step, flow.canGoBack) : await showInput(step, flow.canGoBack);
    if (answer === undefined) {
      if (flow.escape()) return undefined;
      continue;
    }
    if (answer === back) flow.back();
    else if (step.kind === 'pick') flow.pick(answer);
    else flow.input(answer);
  }
}

type PickStep = Extract<FlowStep, { kind: 'pick' }>;
type InputStep = Extract<FlowStep, { kind: 'input' }>;

function showPick(step: PickStep, canGoBack: boolean): Promise<Answer> {
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<vscode.QuickPickItem & { id: string }>();
    qp.title = step.title;
    qp.placeholder = step.placeholder;
    qp.step = step.step;
    qp.totalSteps = step.totalSteps;
    qp.matchOnDescription = true;
    qp.matchOnDetail = true;
    qp.ignoreFocusOut = true;
    qp.buttons = canGoBack ? [vscode.QuickInputButtons.Back] : [];
    qp.items = step.items.map((i) => (i.separator
      ? { id: i.id, label: i.label, kind: vscode.QuickPickItemKind.Separator }
      : { id: i.id, label: i.label, description: i.description, detail: i.detail }));
    let answer: Answer;
    qp.onDidTriggerButton(() => {
      answer = back;
      qp.hide();
    });
    qp.onDidAccept(() => {
      answer = qp.selectedItems[0]?.id;
      if (answer !== undefined) qp.hide();
    });
    qp.onDidHide(() => {
      qp.dispose();
      resolve(answer);
    });
    qp.show();
  });
}

function showInput(step: InputStep, canGoBack: boolean): Promise<Answer> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    box.title = step.title;
    box.prompt = step.prompt;
    box.value = step.value;
    box.ignoreFocusOut = true;
    box.buttons = canGoBack ? [vscode.QuickInputButtons.Back] : [];
    let answer: Answer;
    box.onDidChangeValue((v) => (box.validationMessage = step.validate(v)));
    box.onDidTriggerButton(() => {
      answer = back;
      box.hide();
    });
    box.onDidAccept(() => {
      const error = step.validate(box.value);
      box.validationMessage = error;
      if (error) return;
      answer = box.value;
      box.hide();
    });
    box.onDidHide(() => {
      box.dispose();
      resolve(answer);
    });
    box.show();
  });
}
