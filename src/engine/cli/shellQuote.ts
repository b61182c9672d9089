// Paths inside the commands the CLI prints for the user to copy (Predict:, Resume with:, Then:): a folder with a space,
// a quote or a `$` must paste into a shell as one word.

/**
 * `text` as one POSIX shell word (sh, bash, zsh; PowerShell reads single quotes the same way, cmd.exe does not):
 * as it is when it holds only characters no shell treats specially, else in single quotes, a `'` inside as `'\''`.
 */
export function shellQuote(text: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(text)) return text;
  return `'${text.replace(/'/g, "'\\''")}'`;
}
