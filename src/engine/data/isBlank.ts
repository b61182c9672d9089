// Whitespace-only test that, unlike `trim() === ''`, allocates nothing: it runs on every line of big files.

/** True when `text` is empty or holds only whitespace (the characters `String.prototype.trim` removes). */
export function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x20 && c !== 0xa0 && c !== 0x1680 && c !== 0x2028 && c !== 0x2029 && c !== 0x202f && c !== 0x205f && c !== 0x3000 && c !== 0xfeff && !(c >= 0x2000 && c <= 0x200a)) return false;
    if (c < 0x09 || (c > 0x0d && c < 0x20)) return false;
  }
  return true;
}
