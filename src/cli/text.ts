import { displayText } from '../protocol/displayText';
import type { RunbookProblem } from '../runbook/types';

export { plural } from '../protocol/plural';

export { terminalText } from '../app/output';

/** `path:line:column: error: message`, the form editors and CI annotations understand. */
export function formatProblem(path: string, problem: RunbookProblem): string {
  const column = problem.column !== undefined ? `:${problem.column + 1}` : '';
  // One line per problem (CI annotations are line-based), and the message quotes runbook text.
  return displayText(`${path}:${problem.line + 1}${column}: ${problem.severity}: ${problem.message}`, { tab: true });
}
