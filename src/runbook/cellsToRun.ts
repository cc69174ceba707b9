// Which cells a run needs: those asked for and, transitively, those they take values from.
// Pure, so the editor can ask for the parameters of exactly these cells before anything loads.
import type { Runbook, RunbookCell } from './types';

export class RunbookInputError extends Error {}

export function cellsToRun(runbook: Runbook, cellIds: readonly string[] | undefined): RunbookCell[] {
  if (!cellIds || cellIds.length === 0) return [...runbook.cells];
  const byId = new Map(runbook.cells.map((c) => [c.id, c]));
  const wanted = new Set<string>();
  const visit = (id: string): void => {
    const cell = byId.get(id);
    if (!cell) {
      throw new RunbookInputError(
        `no cell "${id}" in ${runbook.path}: its cells are ${runbook.cells.map((c) => c.id).join(', ') || '(none)'}`,
      );
    }
    if (wanted.has(id)) return;
    wanted.add(id);
    for (const ref of cell.references) if (ref.kind === 'cell') visit(ref.cellId);
  };
  cellIds.forEach(visit);
  return runbook.cells.filter((c) => wanted.has(c.id));
}

/** The parameters those cells use, in the order the front matter declares them. */
export function paramsUsed(runbook: Runbook, cells: readonly RunbookCell[]): string[] {
  const used = new Set(cells.flatMap((c) => c.references.filter((r) => r.kind === 'param').map((r) => (r as { name: string }).name)));
  return runbook.params.map((p) => p.name).filter((name) => used.has(name));
}
