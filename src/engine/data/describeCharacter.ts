// Names characters a user cannot see (byte-order marks, zero-width and bidirectional marks, control characters),
// so a message about them says what they are instead of quoting an invisible character.

/** Invisible or easily confused characters with their Unicode names, as users search for them. */
const namedCharacters: Record<number, string> = {
  0x00a0: 'no-break space', 0x00ad: 'soft hyphen', 0x034f: 'combining grapheme joiner', 0x061c: 'Arabic letter mark',
  0x115f: 'Hangul choseong filler', 0x1160: 'Hangul jungseong filler', 0x180e: 'Mongolian vowel separator',
  0x200b: 'zero-width space', 0x200c: 'zero-width non-joiner', 0x200d: 'zero-width joiner',
  0x200e: 'left-to-right mark', 0x200f: 'right-to-left mark', 0x2028: 'line separator', 0x2029: 'paragraph separator',
  0x202a: 'left-to-right embedding', 0x202b: 'right-to-left embedding', 0x202c: 'pop directional formatting',
  0x202d: 'left-to-right override', 0x202e: 'right-to-left override', 0x2060: 'word joiner', 0x2061: 'function application',
  0x2062: 'invisible times', 0x2063: 'invisible separator', 0x2064: 'invisible plus', 0x2066: 'left-to-right isolate',
  0x2067: 'right-to-left isolate', 0x2068: 'first strong isolate', 0x2069: 'pop directional isolate',
  0x3164: 'Hangul filler', 0xfeff: 'byte-order mark', 0xfffc: 'object replacement character', 0xfffd: 'replacement character',
};

/** Whether `code` (a UTF-16 code unit or code point) is a control character or one of the named invisible ones. */
export function isInvisibleCharacter(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f) || namedCharacters[code] !== undefined || (code >= 0xfe00 && code <= 0xfe0f);
}

/** "U+FEFF byte-order mark", "U+0007 control character", or undefined for a visible character. */
export function describeInvisibleCharacter(char: string): string | undefined {
  const code = char.codePointAt(0)!;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  const name = namedCharacters[code];
  if (name) return `${hex} ${name}`;
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return `${hex} control character`;
  if (code >= 0xfe00 && code <= 0xfe0f) return `${hex} variation selector`;
  return undefined;
}

/**
 * `text` with every invisible character written as its name in angle brackets (`a<U+200B zero-width space>b`),
 * for messages that quote user data or parser output.
 */
export function showInvisibleCharacters(text: string): string {
  let out = '';
  for (const char of text) {
    const name = describeInvisibleCharacter(char);
    out += name === undefined || char === ' ' ? char : `<${name}>`;
  }
  return out;
}
