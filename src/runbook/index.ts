// The runbook package: plain TypeScript (no vscode), used by the CLI, lint and the extension.
export type {
  ActionOutline,
  ParamSpec,
  ParamType,
  Reference,
  Runbook,
  RunbookAction,
  RunbookCell,
  RunbookOutline,
  RunbookProblem,
  Severity,
} from './types';
export { parseRunbook, parseRunbookOutline } from './parse';
export { sqlLiteral, sqlLiteralList, type SqlScalar } from './sqlLiteral';
export { substitute, SubstitutionError, type CellResult, type SubstitutionInputs } from './substitute';
export { parseWindow, parseTimestamp, type WindowSpec } from './window';
export { SOURCES, isSource, type SourceName } from './sources';
export { readParamValue, type ParamValue } from './paramValue';
export { shellQuote, ShellQuoteError } from './shellQuote';
export { substituteAction, type ActionInputs, type SubstitutedAction } from './substituteAction';
