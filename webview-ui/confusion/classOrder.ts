// Orders the matrix's classes: by label id, or by error mass (misclassified examples in the class's row plus its
// column), so with 77 classes the classes that need attention come first and their confusions cluster top-left.

export type ClassOrderName = 'label' | 'errors';

/** Off-diagonal row sum + column sum per class. */
export function errorMass(confusion: number[][]): number[] {
  const k = confusion.length;
  const mass = new Array<number>(k).fill(0);
  for (let g = 0; g < k; g++) {
    for (let p = 0; p < k; p++) {
      if (g === p) continue;
      const c = confusion[g][p];
      mass[g] += c;
      mass[p] += c;
    }
  }
  return mass;
}

/** Class ids in display order; ties keep label order. */
export function classOrder(confusion: number[][], order: ClassOrderName): number[] {
  const ids = confusion.map((_, i) => i);
  if (order === 'label') return ids;
  const mass = errorMass(confusion);
  return ids.sort((a, b) => mass[b] - mass[a] || a - b);
}
