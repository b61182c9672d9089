// The stable label map: the order label ids follow everywhere (training, metrics, exported id2label).

/**
 * Orders `labels`: the label-names order when a list is given (every name gets an id, used or not), numeric
 * when every label is an integer string (so "10" follows "9"), else by code point (not locale, so the order
 * is the same on every machine).
 */
export function sortLabels(labels: Iterable<string>, labelNames?: readonly string[]): string[] {
  if (labelNames) return [...labelNames];
  const list = [...new Set(labels)];
  if (list.every((l) => /^(0|[1-9]\d{0,14})$/.test(l))) return list.sort((a, b) => Number(a) - Number(b));
  return list.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
