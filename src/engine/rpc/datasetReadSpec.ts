/** The params every request that reads a dataset accepts (`DatasetReadOptions`), checked the same way everywhere. */
import { chatContexts } from '../../protocol/chatExample';
import type { FieldSpec } from './validateParams';

export const datasetReadSpec: Record<string, FieldSpec> = {
  textField: { kind: 'string' },
  labelField: { kind: 'string' },
  labelNames: { kind: 'string[]', min: 1 },
  chatContext: { kind: 'string', oneOf: chatContexts },
  labelDelimiter: { kind: 'string' },
};
