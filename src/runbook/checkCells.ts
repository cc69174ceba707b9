// Checks that need all cells at once: unique ids, and references that must name a declared
// parameter or a cell that runs earlier (cells run top to bottom, one after the other).
import type { ParamSpec, Reference, RunbookCell, RunbookProblem } from './types';
import { problem } from './problems';

type Report = (code: string, message: string) => void;

/** Problems of one reference are errors on the reference's own line and column. */
export function reporter(problems: RunbookProblem[], ref: Reference): Report {
  return (code, message) => problems.push(problem(ref.line, code, message, 'error', ref.textColumn));
}

/** `{{name}}` must name a parameter the front matter declares (cells and actions alike). */
export function checkParamReference(ref: Extract<Reference, { kind: 'param' }>, paramNames: readonly string[], report: Report): void {
  if (paramNames.includes(ref.name)) return;
  const declared = paramNames.length ? `declared: ${paramNames.join(', ')}` : 'none are declared';
  report('unknown-param', `${ref.text} names no parameter; declare ${ref.name} under params: in the front matter (${declared})`);
}

export function checkCells(cells: readonly RunbookCell[], params: readonly ParamSpec[]): RunbookProblem[] {
  const problems: RunbookProblem[] = [];
  const firstById = new Map<string, RunbookCell>();
  for (const cell of cells) {
    const first = firstById.get(cell.id);
    if (first) {
      problems.push(
        problem(
          cell.fenceLine,
          'duplicate-cell-id',
          `cell id "${cell.id}" is already used by the cell on line ${first.fenceLine + 1}; give this cell another id=`,
        ),
      );
    } else {
      firstById.set(cell.id, cell);
    }
  }
  const paramNames = params.map((p) => p.name);
  for (const cell of cells) {
    for (const ref of cell.references) {
      const report = reporter(problems, ref);
      if (ref.kind === 'param') {
        checkParamReference(ref, paramNames, report);
        continue;
      }
      const target = firstById.get(ref.cellId);
      if (!target) {
        const earlier = [...new Set(cells.filter((c) => c.index < cell.index).map((c) => c.id))];
        const known = earlier.length ? `earlier cells: ${earlier.join(', ')}` : 'there is no earlier cell';
        report('unknown-cell', `${ref.text} names no cell "${ref.cellId}" (${known})`);
      } else if (target === cell) {
        report('self-reference', `${ref.text} refers to this cell itself; a cell can only use values from cells above it`);
      } else if (target.index > cell.index) {
        report(
          'forward-reference',
          `${ref.text} refers to cell "${ref.cellId}", which runs after this one (line ${target.fenceLine + 1}); cells run in order, so move "${ref.cellId}" above this cell`,
        );
      }
    }
  }
  return problems;
}
