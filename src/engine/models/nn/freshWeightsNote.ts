// The one sentence both encoder families log for weights a checkpoint does not hold.

/**
 * A note (info, not a problem) for encoder weights the checkpoint has none of, so this run initialises them (a pooler
 * a checkpoint was saved without, for instance). They train from here like the task head.
 * @param names parameter names, e.g. `bert.pooler.dense.weight`.
 */
export function freshWeightsNote(names: readonly string[]): string {
  return `Initialised for this run, as the checkpoint does not include them (usual for a pooler or task layers; they train from here): ${names.join(', ')}`;
}
