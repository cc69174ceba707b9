// One place that builds problems, so every producer fills the same fields the same way.
import type { RunbookProblem, Severity } from './types';

export function problem(line: number, code: string, message: string, severity: Severity = 'error', column?: number): RunbookProblem {
  return column === undefined ? { line, severity, code, message } : { line, column, severity, code, message };
}
