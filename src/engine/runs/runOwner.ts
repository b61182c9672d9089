// Which process trains a run, so a crashed CLI run shows as interrupted and a live one is not resumed twice. The rule
// is shared with the extension: src/protocol/runOwner.ts.
export { currentOwner, isOwnerAlive, runStateWithOwner, type RunOwner } from '../../protocol/runOwner';
