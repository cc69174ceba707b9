// Replaces a cell's references with SQL literals. Only the spans the parser recorded are
// rewritten (back to front, so earlier offsets stay valid); the rest of the SQL is never
// touched, and every value goes through sqlLiteral, so no value can change the query's shape.
import type { ParamSpec, Reference, Runbook, RunbookCell } from './types';
import { sqlLiteral, sqlLiteralList, type SqlScalar } from './sqlLiteral';
import { readParamValue, type ParamValue } from './paramValue';
import { adjacencyProblem, isSoleContentOfParentheses } from './references';

export interface CellResult {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
}

export interface SubstitutionInputs {
  /** Values given by the person (CLI `--param`, a prompt); missing ones fall back to defaults. */
  readonly params: Readonly<Record<string, string>>;
  /** The result of an earlier cell, or undefined if it has not run. */
  readonly cellResults: (cellId: string) => CellResult | undefined;
  /**
   * Lint only: the value of a parameter that has neither a given value nor a usable default
   * (the person gives it at run time), so lint checks the same kind of literal run will send.
   * A run passes none, and such a parameter is an error.
   */
  readonly standIn?: (spec: ParamSpec) => ParamValue;
}

export class SubstitutionError extends Error {
  constructor(
    readonly path: string,
    readonly line: number,
    readonly reference: string | undefined,
    detail: string,
  ) {
    super(`${path}:${line + 1}: ${reference ? `${reference}: ` : ''}${detail}`);
    this.name = 'SubstitutionError';
  }
}

/**
 * A parameter with no `default:` describes the reader's environment (their address ranges,
 * buckets, office hours): it has no value until they give one, and a cell that uses it is
 * "not configured", which is neither a finding nor a pass and not a failure of the run.
 */
export class ParamNotConfigured extends SubstitutionError {
  constructor(
    path: string,
    line: number,
    reference: string,
    readonly param: string,
  ) {
    super(path, line, reference, `not configured: set \`${param}\` (--param ${param}=…)`);
    this.name = 'ParamNotConfigured';
  }
}

/** Text a person gave that holds no value: nothing, or only spaces and commas. */
export function isBlankParamValue(raw: string | undefined): boolean {
  return raw === undefined || raw.replace(/[\s,]/g, '') === '';
}

/**
 * The parameters without a default that `cell` uses and `params` leaves unset or blank, in
 * the order the front matter declares them: while any remain, the cell is not configured.
 */
export function unsetParams(cell: RunbookCell, runbook: Runbook, params: Readonly<Record<string, string>>): string[] {
  const used = new Set(cell.references.flatMap((ref) => (ref.kind === 'param' ? [ref.name] : [])));
  return runbook.params
    .filter((spec) => used.has(spec.name) && spec.default === undefined)
    .filter((spec) => isBlankParamValue(Object.hasOwn(params, spec.name) ? params[spec.name] : undefined))
    .map((spec) => spec.name);
}

/** `not configured: set `known_ranges``, the words every face shows. */
export function notConfiguredText(names: readonly string[]): string {
  const quoted = names.map((name) => `\`${name}\``);
  const list = quoted.length <= 1 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
  return `not configured: set ${list}`;
}

export function substitute(cell: RunbookCell, runbook: Runbook, inputs: SubstitutionInputs): { sql: string } {
  // The linter's errors inside this cell (a malformed {{…}}, a later cell referenced) mean
  // the SQL cannot be what the author meant; running it anyway would hide that.
  const blocking = runbook.problems.find((p) => p.severity === 'error' && p.line >= cell.fenceLine && p.line <= cell.endLine);
  if (blocking) throw new SubstitutionError(runbook.path, blocking.line, undefined, `cell ${cell.id} cannot run: ${blocking.message}`);

  let sql = cell.sql;
  const references = [...cell.references].sort((a, b) => b.start - a.start);
  for (const ref of references) {
    const fail = (detail: string): never => {
      throw new SubstitutionError(runbook.path, ref.line, ref.text, detail);
    };
    const adjacent = adjacencyProblem(cell.sql, ref.start, ref.end);
    if (adjacent) fail(`would merge with the SQL next to it: ${adjacent}`);
    const asList = isSoleContentOfParentheses(cell.sql, ref.start, ref.end);
    const values = ref.kind === 'param' ? paramValues(ref, runbook, inputs, fail) : cellValues(ref, cell, runbook, inputs, fail);
    let literal: string;
    try {
      if (values.kind === 'scalar') literal = sqlLiteral(values.value);
      else literal = asList ? sqlLiteralList(values.values) : single(values.values, ref.text, fail);
    } catch (error) {
      if (error instanceof SubstitutionError) throw error;
      return fail((error as Error).message);
    }
    sql = sql.slice(0, ref.start) + literal + sql.slice(ref.end);
  }
  return { sql };
}

type Values = { kind: 'scalar'; value: SqlScalar } | { kind: 'list'; values: SqlScalar[] };
type Fail = (detail: string) => never;

/** Outside `( … )` a list must hold exactly one value: several would need a comma-separated list. */
function single(values: SqlScalar[], text: string, fail: Fail): string {
  const [only] = values;
  if (values.length !== 1 || only === undefined) {
    return fail(
      `gives ${values.length} values, but only one fits here; to match any of them write IN (${text}) with the reference alone in the parentheses`,
    );
  }
  return sqlLiteral(only);
}

function paramValues(ref: Extract<Reference, { kind: 'param' }>, runbook: Runbook, inputs: SubstitutionInputs, fail: Fail): Values {
  const spec = runbook.params.find((p) => p.name === ref.name);
  if (!spec) return fail(`parameter ${ref.name} is not declared under params: in the front matter`);
  const given = Object.hasOwn(inputs.params, ref.name);
  const raw = given ? inputs.params[ref.name] : spec.default;
  // Without a default a blank answer (the editor's prompt left empty) is no answer either.
  if (spec.default === undefined && isBlankParamValue(raw) && !inputs.standIn) {
    throw new ParamNotConfigured(runbook.path, ref.line, ref.text, ref.name);
  }
  let value = raw === undefined ? undefined : readParamValue(spec, raw);
  // A bad default is reported where it is written (the front matter); lint goes on with a stand-in.
  if (value !== undefined && 'error' in value && !given && inputs.standIn) value = undefined;
  if (value === undefined && inputs.standIn) value = inputs.standIn(spec);
  if (value === undefined) {
    return fail(`parameter ${ref.name} has no value and no default; pass it with --param ${ref.name}=value`);
  }
  if ('error' in value) return fail(value.error);
  return value.kind === 'list' ? { kind: 'list', values: [...value.values] } : { kind: 'scalar', value: value.value };
}

function cellValues(
  ref: Extract<Reference, { kind: 'cell' }>,
  cell: RunbookCell,
  runbook: Runbook,
  inputs: SubstitutionInputs,
  fail: Fail,
): Values {
  const source = runbook.cells.find((c) => c.id === ref.cellId);
  if (!source || source.index >= cell.index) return fail(`cell ${ref.cellId} is not a cell above this one`);
  const result = inputs.cellResults(ref.cellId);
  if (!result) return fail(`cell ${ref.cellId} has not run yet; run it first`);
  // SQL identifiers are case-insensitive; an exact match wins if two columns differ only in case.
  let index = result.columns.indexOf(ref.column);
  if (index < 0) index = result.columns.findIndex((c) => c.toLowerCase() === ref.column.toLowerCase());
  if (index < 0) {
    return fail(`cell ${ref.cellId} has no column ${ref.column}; its columns are ${result.columns.join(', ') || '(none)'}`);
  }
  const values: SqlScalar[] = [];
  const seen = new Set<string>();
  for (const row of result.rows) {
    const value = row[index];
    if (value === null || value === undefined) continue;
    let key: string;
    try {
      // Two values are the same when they give the same literal (5 and 5n, for instance).
      key = sqlLiteral(value as SqlScalar);
    } catch (error) {
      return fail(`column ${ref.column} of cell ${ref.cellId}: ${(error as Error).message}`);
    }
    if (!seen.has(key)) {
      seen.add(key);
      values.push(value as SqlScalar);
    }
  }
  return { kind: 'list', values };
}
