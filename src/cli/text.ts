import type { RunbookProblem } from '../runbook/types';

export { plural } from '../engine/plural';

/** `path:line:column: error: message`, the form editors and CI annotations understand. */
export function formatProblem(path: string, problem: RunbookProblem): string {
  const column = problem.column !== undefined ? `:${problem.column + 1}` : '';
  return `${path}:${problem.line + 1}${column}: ${problem.severity}: ${problem.message}`;
}
