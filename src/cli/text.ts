import { displayText } from '../protocol/displayText';
import type { RunbookProblem } from '../runbook/types';

export { plural } from '../engine/plural';

/**
 * Text for a terminal or a CI log: every control character (ESC would start a sequence that
 * moves the cursor or clears the screen), bidi override and zero-width character is shown as
 * its `\u001B` code; line breaks and tabs stay.
 */
export function terminalText(text: string): string {
  return displayText(text, { lineBreaks: true, tab: true });
}

/** `path:line:column: error: message`, the form editors and CI annotations understand. */
export function formatProblem(path: string, problem: RunbookProblem): string {
  const column = problem.column !== undefined ? `:${problem.column + 1}` : '';
  // One line per problem (CI annotations are line-based), and the message quotes runbook text.
  return displayText(`${path}:${problem.line + 1}${column}: ${problem.severity}: ${problem.message}`, { tab: true });
}
