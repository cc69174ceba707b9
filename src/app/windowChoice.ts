// Which time window a cell runs over, decided once for every face (the CLI's run and demo,
// the editor's lenses, status bar and runs), so what a lens says is what the run uses.
// docs/runbook-format.md ("Which window applies") holds the same table.
//
//   1. the run's explicit window: the CLI's --window or --start/--end, the editor's
//      investigation window
//   2. the cell's own `window=`
//   3. the runbook's front matter `window:`
//   4. the user's default (the editor's trailbook.window setting)
//   5. the source's default (LookupEvents and Trino: 24h; local logs: every event)
//
// One exception to 1: a cell whose own window is absolute (START/END, as a pivot writes it
// around the event it came from) keeps it. That window answers "what happened around this
// event", and an investigation window over ten days must not widen it; a relative cell
// window ("the last 1h") means nothing fixed and yields to the investigator's choice.
import type { WindowOrigin } from '../engine/timeWindow';
import { parseWindow } from '../runbook/window';

export type { WindowOrigin };

export interface WindowInputs {
  /** The run's explicit window (CLI flag, investigation window). */
  readonly explicit?: string | undefined;
  readonly cell?: string | undefined;
  readonly runbook?: string | undefined;
  readonly userDefault?: string | undefined;
  readonly sourceDefault?: string | undefined;
}

export interface WindowChoice {
  /** Window text (`7d`, `START/END`); undefined: no window at all (every event of local logs). */
  readonly spec: string | undefined;
  readonly origin: WindowOrigin;
}

/** True for `START/END` windows: anchored to instants, not to now. */
export function isAnchoredWindow(spec: string | undefined): boolean {
  if (spec === undefined) return false;
  const parsed = parseWindow(spec.trim());
  return 'kind' in parsed && parsed.kind === 'absolute';
}

export function chooseWindowSpec(inputs: WindowInputs): WindowChoice {
  const given = (text: string | undefined): string | undefined => (text !== undefined && text.trim() !== '' ? text.trim() : undefined);
  const explicit = given(inputs.explicit);
  const cell = given(inputs.cell);
  if (cell !== undefined && (explicit === undefined || isAnchoredWindow(cell))) return { spec: cell, origin: 'cell' };
  if (explicit !== undefined) return { spec: explicit, origin: 'explicit' };
  const runbook = given(inputs.runbook);
  if (runbook !== undefined) return { spec: runbook, origin: 'runbook' };
  const userDefault = given(inputs.userDefault);
  if (userDefault !== undefined) return { spec: userDefault, origin: 'default' };
  const sourceDefault = given(inputs.sourceDefault);
  if (sourceDefault !== undefined) return { spec: sourceDefault, origin: 'source' };
  return { spec: undefined, origin: 'none' };
}
