// The --text-field / --label-field options of every command that reads a dataset, declared once so their help
// reads the same everywhere.
import type { CliOptionSpec } from './cliCommand';

/** `--text-field F`, `--label-field F`: which JSON fields hold the text and the label (default: detected). */
export const fieldMappingOptions: readonly CliOptionSpec[] = [
  { name: 'text-field', type: 'string', valueName: 'F', description: 'Field holding the text (default: detected)' },
  { name: 'label-field', type: 'string', valueName: 'F', description: 'Field holding the label (default: detected)' },
];
