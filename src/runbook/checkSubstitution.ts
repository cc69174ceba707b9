// The SQL lint checks for a cell: what `substitute` (the run's own code) makes of it, with
// stand-in values where a run would have real ones. Lint used to put NULL in every reference,
// and NULL binds where a string does not: `date_add('hour', -1, {{detect.eventTime}})` passed
// lint, then failed on every run with "Could not choose a best candidate function"
// (a text value needs from_iso8601_timestamp first). Same code path, same kind of literal, same verdict.
//
// Stand-ins: a parameter's default when it has a valid one (exactly what run sends), else one
// value of its type ('' for text, 0 for a number, a list of one '' for a list); a cell
// reference gets the text '' from the cell above, which is what runs see for ARNs, keys, IPs
// and times (a list of text literals inside IN (…), one literal elsewhere).
import type { ParamValue } from './paramValue';
import { substitute, SubstitutionError, type CellResult } from './substitute';
import type { ParamSpec, Runbook, RunbookCell } from './types';

export type CheckSubstitution =
  /** The SQL to check; `standIns` names the references that got a made-up value. */
  | { readonly sql: string; readonly standIns: readonly string[] }
  /** Run would refuse the cell before any SQL: the reason, as run would give it. */
  | { readonly error: SubstitutionError; readonly alreadyReported: boolean };

export function standInParam(spec: ParamSpec): ParamValue {
  switch (spec.type) {
    case 'number':
      return { kind: 'scalar', value: 0n };
    case 'list':
      return { kind: 'list', values: [''] };
    default:
      return { kind: 'scalar', value: '' };
  }
}

/** The columns this cell reads from `cellId`, each holding the text ''. */
function standInResult(cell: RunbookCell, cellId: string): CellResult {
  const columns = [...new Set(cell.references.flatMap((ref) => (ref.kind === 'cell' && ref.cellId === cellId ? [ref.column] : [])))];
  return { columns, rows: [columns.map(() => '')] };
}

export function substituteForCheck(cell: RunbookCell, runbook: Runbook): CheckSubstitution {
  const standIns = new Set<string>();
  try {
    const { sql } = substitute(cell, runbook, {
      params: {},
      cellResults: (cellId) => {
        for (const ref of cell.references) if (ref.kind === 'cell' && ref.cellId === cellId) standIns.add(ref.text);
        return standInResult(cell, cellId);
      },
      standIn: (spec) => {
        for (const ref of cell.references) if (ref.kind === 'param' && ref.name === spec.name) standIns.add(ref.text);
        return standInParam(spec);
      },
    });
    return { sql, standIns: [...standIns] };
  } catch (error) {
    if (!(error instanceof SubstitutionError)) throw error;
    // A blocking problem of the runbook (a malformed {{…}}, a later cell referenced) is in
    // runbook.problems already; the message run gives quotes it.
    const alreadyReported = runbook.problems.some(
      (p) => p.severity === 'error' && p.line === error.line && error.message.includes(p.message),
    );
    return { error, alreadyReported };
  }
}
