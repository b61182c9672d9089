/**
 * Checks the shape of request params before a handler touches them: a client bug or a hand-written message
 * gets an InvalidParams error naming the field, never a TypeError deep in the library.
 */
import { invalidParams } from './rpcErrors';

type FieldKind = 'string' | 'number' | 'integer' | 'boolean' | 'string[]' | 'number[]' | 'object';

/** A field spec: its kind, and whether it must be present. */
export interface FieldSpec {
  kind: FieldKind;
  required?: boolean;
  min?: number;
  max?: number;
  /** Allowed values for strings. */
  oneOf?: readonly string[];
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value.length > 40 ? 'a string' : JSON.stringify(value);
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

function checkField(method: string, path: string, value: unknown, spec: FieldSpec): void {
  const fail = (expected: string): never => {
    throw invalidParams(method, `${path} must be ${expected}, got ${describe(value)}.`);
  };
  switch (spec.kind) {
    case 'string':
      if (typeof value !== 'string' || value.length === 0) fail('a non-empty string');
      if (spec.oneOf && !spec.oneOf.includes(value as string)) fail(`one of ${spec.oneOf.join(', ')}`);
      return;
    case 'number':
    case 'integer':
      if (typeof value !== 'number' || !Number.isFinite(value)) fail(spec.kind === 'integer' ? 'an integer' : 'a finite number');
      if (spec.kind === 'integer' && !Number.isInteger(value)) fail('an integer');
      if (spec.min !== undefined && (value as number) < spec.min) fail(`≥ ${spec.min}`);
      if (spec.max !== undefined && (value as number) > spec.max) fail(`≤ ${spec.max}`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') fail('true or false');
      return;
    case 'string[]':
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) fail('an array of strings');
      if (spec.min !== undefined && (value as unknown[]).length < spec.min) fail(`an array of at least ${spec.min} strings`);
      if (spec.max !== undefined && (value as unknown[]).length > spec.max) fail(`an array of at most ${spec.max} strings`);
      return;
    case 'number[]':
      // min/max bound the values here (per-class thresholds in [0, 1]); the library checks the length.
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'number' || !Number.isFinite(v))) fail('an array of finite numbers');
      if ((value as number[]).some((v) => (spec.min !== undefined && v < spec.min) || (spec.max !== undefined && v > spec.max))) fail(`an array of numbers in [${spec.min ?? '-∞'}, ${spec.max ?? '∞'}]`);
      return;
    case 'object':
      if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('an object');
      return;
  }
}

/**
 * Deepest nesting of objects and arrays a request may carry. The protocol's own params nest 3 levels; anything
 * near V8's recursion limits (a `config.lora` 10,000 levels deep) would make copying it to a worker thread or
 * writing it to run.json throw far from the request.
 */
export const maxParamsDepth = 32;

/**
 * Checks that `params` nests objects and arrays at most `maxParamsDepth` deep (walked without recursion, so the
 * check itself cannot overflow the stack).
 * @throws ResponseError(InvalidParams) naming the path where the limit is passed.
 */
export function checkParamsDepth(method: string, params: unknown): void {
  const stack: Array<{ value: unknown; depth: number; path: string }> = [{ value: params, depth: 0, path: 'params' }];
  while (stack.length) {
    const { value, depth, path } = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= maxParamsDepth) {
      throw invalidParams(method, `${path} is nested more than ${maxParamsDepth} levels deep; no request of this protocol nests that deep.`);
    }
    for (const [key, child] of Object.entries(value)) {
      if (typeof child === 'object' && child !== null) stack.push({ value: child, depth: depth + 1, path: Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}` });
    }
  }
}

/**
 * Returns `params` typed as `T` after checking every field in `spec`; unknown fields are allowed (a newer
 * client may send more), missing required ones and wrong kinds are not.
 * @throws ResponseError(InvalidParams) naming the first bad field.
 */
export function validateParams<T>(method: string, params: unknown, spec: Record<string, FieldSpec>, prefix = 'params'): T {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw invalidParams(method, `${prefix} must be an object, got ${describe(params)}.`);
  }
  const record = params as Record<string, unknown>;
  for (const [name, fieldSpec] of Object.entries(spec)) {
    const value = record[name];
    if (value === undefined) {
      if (fieldSpec.required) throw invalidParams(method, `${prefix}.${name} is required.`);
      continue;
    }
    checkField(method, `${prefix}.${name}`, value, fieldSpec);
  }
  return params as T;
}
