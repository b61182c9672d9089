/**
 * The one way text reaches the terminal from the CLI. Labels, texts, file names and messages come from data files,
 * run folders and servers; printed raw, an ESC sequence could clear the screen, retitle the window or plant an
 * OSC-8 hyperlink, a CR could overwrite what the line showed, and bidirectional overrides could reorder it. Every
 * such character is shown as a visible `\u001b`-style escape instead.
 *
 * - `terminalText` for one field on one line (a label, a text, a path): line breaks and tabs are shown too.
 * - `terminalOutput` for whole writes: `runCli` passes everything a command writes through it, so nothing a command
 *   forgets to escape can act on the terminal; only the newlines and tabs that lay the output out are kept.
 */
import { visibleEscape } from '../../protocol/markdownText';

/** C0 controls, DEL, C1 controls (U+009B is CSI on some terminals), line separators, bidi formatting. */
const actsOnTerminal = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The same but LF and TAB, which the CLI's own output uses for layout (and which move the cursor only). */
const actsOnTerminalBeyondLayout = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** One field on one line: every control character, line breaks included, as a visible escape. */
export function terminalText(text: string): string {
  return text.replace(actsOnTerminal, (c) => named[c] ?? visibleEscape(c));
}

/** A whole write: as `terminalText`, but the newlines and tabs that lay out the output are kept. */
export function terminalOutput(text: string): string {
  return text.replace(actsOnTerminalBeyondLayout, (c) => named[c] ?? visibleEscape(c));
}
