// What a CSV/TSV label cell holds. Cells are always text, so the types JSON carries are read back from it.

const jsonNumber = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * The label a cell stands for: a number when the cell is one (`3` is the integer label 3, as in JSONL; `1.5`
 * is then reported as not an integer id), a list when it is a JSON array (`["anger", "joy"]`: multi-label),
 * else the text itself. Surrounding whitespace is ignored for numbers and lists.
 */
export function labelFromCell(cell: string): unknown {
  const t = cell.trim();
  if (jsonNumber.test(t)) return Number(t);
  if (t.startsWith('[') && t.endsWith(']')) {
    try {
      const value: unknown = JSON.parse(t);
      if (Array.isArray(value)) return value;
    } catch {
      // Not JSON: a label that happens to be bracketed text.
    }
  }
  return cell;
}
