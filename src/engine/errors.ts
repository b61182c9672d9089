import type { EngineErrorCode, EngineErrorData } from '../protocol/errors';
import type { MessageSurface } from '../common/optionWording';

/**
 * The one error type the engine library throws for problems a user can fix (bad data, bad model folder,
 * bad option). It names where the problem is and what to do; the RPC server turns it into a
 * `ResponseError` with the same code and data, the CLI prints it and exits non-zero.
 */
export class EngineError extends Error {
  readonly code: EngineErrorCode;
  readonly data: EngineErrorData;

  constructor(code: EngineErrorCode, detail: string, where: Omit<EngineErrorData, 'detail'> = {}) {
    super(formatEngineError(detail, where));
    this.name = 'EngineError';
    this.code = code;
    this.data = { ...where, detail };
  }

  /** The message worded for VS Code (`file:line: editorDetail`), when it differs from `message`. */
  get editorMessage(): string | undefined {
    return this.data.editorDetail === undefined ? undefined : formatEngineError(this.data.editorDetail, this.data);
  }

  /**
   * An error whose advice names an option: `build` words it for a surface (`option(name, surface)` where it points at
   * one). The CLI prints the `cli` wording (`message`, `data.detail`); VS Code shows `data.editorDetail`.
   */
  static worded(code: EngineErrorCode, build: (surface: MessageSurface) => string, where: Omit<EngineErrorData, 'detail' | 'editorDetail'> = {}): EngineError {
    const cli = build('cli');
    const vscode = build('vscode');
    return new EngineError(code, cli, vscode === cli ? where : { ...where, editorDetail: vscode });
  }
}

/** `file:line:column: detail`, the form editors and terminals turn into links. */
export function formatEngineError(detail: string, where: Omit<EngineErrorData, 'detail'>): string {
  if (!where.file) return detail;
  const pos = where.line ? `:${where.line}${where.column ? `:${where.column}` : ''}` : '';
  return `${where.file}${pos}: ${detail}`;
}
