// Where the CodeLenses of a runbook go, from the parser's lines: "Run all" at the top,
// "Run query" on each cloudtrail fence, "Run in terminal" on each response action.
import type { RunbookOutline } from '../runbook/types';

export type LensSpot =
  | { readonly kind: 'runAll'; readonly line: number }
  | { readonly kind: 'cell'; readonly line: number; readonly cellId: string }
  | { readonly kind: 'action'; readonly line: number; readonly actionId: string };

export function lensSpots(runbook: RunbookOutline): LensSpot[] {
  if (runbook.cells.length === 0) return [];
  // Above the title when there is front matter's end or a heading; line 0 is always valid.
  const spots: LensSpot[] = [{ kind: 'runAll', line: 0 }];
  for (const cell of runbook.cells) spots.push({ kind: 'cell', line: cell.fenceLine, cellId: cell.id });
  for (const action of runbook.actions ?? []) spots.push({ kind: 'action', line: action.fenceLine, actionId: action.id });
  return spots.sort((a, b) => a.line - b.line);
}
