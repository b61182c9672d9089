/**
 * The one rule that turns a chat-format line (`{"messages": [{role, content}, ...]}`) into a text and a label,
 * shared by the engine (reading datasets) and the extension (finding the label to relabel), so both always
 * point at the same messages. Pure: no imports, no I/O.
 *
 * The label is the content of the last assistant message that carries a label: assistant messages with
 * `"weight": 0` (OpenAI's fine-tuning format for turns not to learn from) are not labels. The text is the
 * user message that this assistant message answers: the last user message before it. Earlier turns and the
 * system prompt are context, ignored by default; `context: 'allTurns'` joins every message before the label
 * (system, user and assistant, one per line) into the text instead.
 */

/** Which messages make the text: the answered user message only (default), or every message before the label. */
export type ChatContext = 'lastUser' | 'allTurns';

export const chatContexts: readonly ChatContext[] = ['lastUser', 'allTurns'];

/** Roles accepted in `messages` (OpenAI's, including the newer `developer` and the tool roles). */
export const knownChatRoles: ReadonlySet<string> = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);

export type ChatExampleLocation =
  | {
    ok: true;
    /** Indices into `messages` whose contents, in order and joined by newlines, are the text. */
    textIndices: number[];
    /** Index of the user message the label answers. */
    userIndex: number;
    /** Index of the assistant message that holds the label. */
    labelIndex: number;
    /**
     * Whether the line's shape made the rule choose: several user turns, earlier or weight-0 assistant turns, or
     * messages after the label (a lone system prompt before one user/assistant pair is not a choice).
     */
    chose: boolean;
    /** Indices of assistant messages skipped because their `weight` is 0. */
    zeroWeight: number[];
  }
  | { ok: false; problem: 'notArray' | 'badMessage' | 'badRole' | 'noAssistant' | 'noUserBeforeLabel'; index?: number };

/**
 * Locates text and label in a chat line's `messages` (the value of the key, any JSON value).
 * @returns the message indices, or why there are none: `notArray`, `badMessage` (element `index` is not an object),
 * `badRole` (element `index` has an unknown role), `noAssistant` (no assistant message without weight 0),
 * `noUserBeforeLabel` (no user message before the labelling assistant message).
 */
export function locateChatExample(messages: unknown, context: ChatContext = 'lastUser'): ChatExampleLocation {
  if (!Array.isArray(messages)) return { ok: false, problem: 'notArray' };
  let labelIndex = -1;
  const zeroWeight: number[] = [];
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i] as unknown;
    if (typeof m !== 'object' || m === null || Array.isArray(m)) return { ok: false, problem: 'badMessage', index: i };
    const { role, weight } = m as Record<string, unknown>;
    if (typeof role !== 'string' || !knownChatRoles.has(role)) return { ok: false, problem: 'badRole', index: i };
    if (role !== 'assistant') continue;
    if (weight === 0) zeroWeight.push(i);
    else labelIndex = i;
  }
  if (labelIndex < 0) return { ok: false, problem: 'noAssistant' };
  let userIndex = -1;
  let users = 0;
  let assistantsBefore = 0;
  for (let i = 0; i < labelIndex; i++) {
    const role = (messages[i] as { role: string }).role;
    if (role === 'user') {
      userIndex = i;
      users++;
    } else if (role === 'assistant') assistantsBefore++;
  }
  if (userIndex < 0) return { ok: false, problem: 'noUserBeforeLabel', index: labelIndex };
  const textIndices = context === 'allTurns' ? Array.from({ length: labelIndex }, (_, i) => i) : [userIndex];
  const chose = users > 1 || assistantsBefore > 0 || labelIndex < messages.length - 1 || zeroWeight.length > 0;
  return { ok: true, textIndices, userIndex, labelIndex, chose, zeroWeight };
}

/** The chat rule in a few words, for the summary line of a dataset report (CLI and editor). */
export function describeChatFormat(context: ChatContext = 'lastUser'): string {
  return context === 'allTurns'
    ? 'OpenAI chat messages (every turn before the last labelled assistant message → text, that message → label)'
    : 'OpenAI chat messages (the user message the last labelled assistant message answers → text, that message → label)';
}
