// Puts user data (a label, a field value) into a problem message: quoted, on one line, and short, so a
// megabyte-long label cannot flood a report or a terminal.
import { showInvisibleCharacters } from './describeCharacter';

/**
 * `"value"` with line breaks shown as spaces, invisible characters named (`<U+200B zero-width space>`), and at
 * most `max` characters (an ellipsis marks the cut).
 */
export function quoteForMessage(value: string, max = 60): string {
  const flat = showInvisibleCharacters(value.replace(/\s+/g, ' '));
  return JSON.stringify(flat.length > max ? `${flat.slice(0, max - 1)}…` : flat);
}
