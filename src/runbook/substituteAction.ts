// Turns a response action into the command a person runs: every reference becomes exactly
// one shell word holding exactly one value. Only the spans the parser recorded are rewritten
// (back to front, so earlier offsets stay valid), each through shellQuote, so no value can
// add a command, a redirection or a second argument; and only where the shell's syntax tree
// shows a plain argument of a program the runbook names (shellReferences.ts). A value that
// starts with `-` would be read as an option there, so it is refused unless the runbook wrote
// the reference as --flag={{x}} or after --. An action acts on one thing: a cell reference
// that gives no value is an error, and several values need a person's choice.
import type { Reference, Runbook, RunbookAction } from './types';
import { SubstitutionError, type CellResult } from './substitute';
import { readParamValue } from './paramValue';
import { refusalMessage } from './action';
import { shellQuote } from './shellQuote';
import { findShellReferences } from './shellReferences';
import { Cancelled } from '../protocol/cancelled';

export interface ActionInputs {
  /** Values given by the person (CLI `--param`, a prompt); missing ones fall back to defaults. */
  readonly params: Readonly<Record<string, string>>;
  /** The result of a cell, or undefined if it has not run. */
  readonly cellResults: (cellId: string) => CellResult | undefined;
  /**
   * Picks one of several values for a reference (the editor shows a pick list). Return
   * undefined to cancel: substitution then throws ActionCancelled. Without it, several values
   * are an error.
   */
  readonly choose?: (reference: Reference, values: readonly string[]) => string | undefined | Promise<string | undefined>;
}

export interface SubstitutedAction {
  /** The command to hand to `/bin/sh -c` (or a POSIX shell's terminal), values quoted. */
  readonly command: string;
  /** Each reference with the value it received (unquoted), in order of appearance. */
  readonly substitutions: readonly { readonly reference: Reference; readonly value: string }[];
}

/**
 * Characters a value must not hold even though sh would keep them in one word: a terminal
 * reads control characters as key presses (Ctrl-C, Ctrl-U erases the line, Tab completes,
 * CR runs it); bidirectional controls make the command shown for confirmation differ from
 * what runs; zero-width characters (U+200B–U+200D, U+2060–U+2064, U+FEFF, U+180E) make two
 * different values look the same there; and U+2028/U+2029 are line breaks to an editor or a
 * terminal's renderer but not to sh. Newlines are allowed: inside single quotes a shell only
 * continues the word, and the confirmation shows the line break.
 */
const UNSAFE_CHARACTER = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/u;

export async function substituteAction(action: RunbookAction, runbook: Runbook, inputs: ActionInputs): Promise<SubstitutedAction> {
  // The linter's errors inside this block (a reference in quotes, a cell below) mean the
  // command cannot be what the author meant; running it anyway would hide that.
  const blocking = runbook.problems.find((p) => p.severity === 'error' && p.line >= action.fenceLine && p.line <= action.endLine);
  if (blocking) throw new SubstitutionError(runbook.path, blocking.line, undefined, `action ${action.id} cannot run: ${blocking.message}`);

  // Re-checked here, not only trusted from the parser, because a Runbook can be built by hand.
  const raw = new Map(findShellReferences(action.command).references.map((r) => [r.start, r]));
  const chosen: { reference: Reference; value: string }[] = [];
  for (const ref of action.references) {
    const fail = (detail: string): never => {
      throw new SubstitutionError(runbook.path, ref.line, ref.text, detail);
    };
    const scanned = raw.get(ref.start);
    if (!scanned || scanned.end !== ref.end || scanned.inComment) fail('cannot be replaced: it is not where the parser found a reference');
    if (scanned!.refusal) fail(`cannot be replaced: ${refusalMessage(ref.text, scanned!.refusal)}`);
    const values = ref.kind === 'param' ? paramValues(ref, runbook, inputs, fail) : cellValues(ref, action, runbook, inputs, fail);
    let value: string;
    const [only] = values;
    if (values.length === 1 && only !== undefined) {
      value = only;
    } else if (values.length === 0) {
      value = fail(
        ref.kind === 'cell'
          ? `cell ${ref.cellId} returned no ${ref.column}: nothing to act on`
          : `parameter ${ref.name} has no value: nothing to act on`,
      );
    } else if (inputs.choose) {
      const pick = await inputs.choose(ref, values);
      // The person declined to choose a value: not a failure of the runbook.
      if (pick === undefined) throw new Cancelled();
      // Only a value that was offered: a pick list must not become a way to type any text.
      if (!values.includes(pick)) fail(`the chosen value ${JSON.stringify(pick)} is not one of the ${values.length} values`);
      value = pick;
    } else {
      const shown = values
        .slice(0, 5)
        .map((v) => JSON.stringify(v))
        .join(', ');
      const source =
        ref.kind === 'cell'
          ? `cell ${ref.cellId} returned ${values.length} different ${ref.column} values`
          : `parameter ${ref.name} has ${values.length} values`;
      value = fail(
        `${source} (${shown}${values.length > 5 ? ', …' : ''}), but an action acts on one; narrow the cell (for example with a parameter) or choose one in the editor`,
      );
    }
    const unsafe = UNSAFE_CHARACTER.exec(value);
    if (unsafe) {
      fail(
        `the value ${shown(value)} holds the control, invisible or line-separator character U+${unsafe[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}, which a terminal would act on or a reader would not see; it is not used in a command`,
      );
    }
    if (value.startsWith('-') && scanned!.prefix === '' && !scanned!.afterDoubleDash) {
      fail(
        `the value ${JSON.stringify(value)} starts with "-", so the program would read it as an option; write the reference as --flag=${ref.text} or after --`,
      );
    }
    chosen.push({ reference: ref, value });
  }

  let command = action.command;
  for (const { reference, value } of [...chosen].sort((a, b) => b.reference.start - a.reference.start)) {
    command = command.slice(0, reference.start) + shellQuote(value) + command.slice(reference.end);
  }
  return { command, substitutions: chosen };
}

type Fail = (detail: string) => never;

/** A refused value, quoted with its unsafe characters escaped, so the message shows what it hides. */
function shown(value: string): string {
  return JSON.stringify(value).replace(
    new RegExp(UNSAFE_CHARACTER.source, 'gu'),
    (ch) => `\\u${ch.codePointAt(0)!.toString(16).padStart(4, '0')}`,
  );
}

function paramValues(ref: Extract<Reference, { kind: 'param' }>, runbook: Runbook, inputs: ActionInputs, fail: Fail): string[] {
  const spec = runbook.params.find((p) => p.name === ref.name);
  if (!spec) return fail(`parameter ${ref.name} is not declared under params: in the front matter`);
  const raw = Object.hasOwn(inputs.params, ref.name) ? inputs.params[ref.name] : spec.default;
  if (raw === undefined) return fail(`parameter ${ref.name} has no value and no default; pass it with --param ${ref.name}=value`);
  const value = readParamValue(spec, raw);
  if ('error' in value) return fail(value.error);
  // A list parameter follows the one-value rule like a cell reference.
  return value.kind === 'list' ? [...new Set(value.values)] : [String(value.value)];
}

/** The distinct non-null values of the column, as text, in order of first appearance. */
function cellValues(
  ref: Extract<Reference, { kind: 'cell' }>,
  action: RunbookAction,
  runbook: Runbook,
  inputs: ActionInputs,
  fail: Fail,
): string[] {
  const source = runbook.cells.find((c) => c.id === ref.cellId);
  if (!source || source.fenceLine > action.fenceLine) return fail(`cell ${ref.cellId} is not a cell above this action`);
  const result = inputs.cellResults(ref.cellId);
  if (!result) return fail(`cell ${ref.cellId} has not run yet; run it first`);
  // SQL identifiers are case-insensitive; an exact match wins if two columns differ only in case.
  let index = result.columns.indexOf(ref.column);
  if (index < 0) index = result.columns.findIndex((c) => c.toLowerCase() === ref.column.toLowerCase());
  if (index < 0) return fail(`cell ${ref.cellId} has no column ${ref.column}; its columns are ${result.columns.join(', ') || '(none)'}`);
  const values = new Set<string>();
  for (const row of result.rows) {
    const value = row[index];
    if (value === null || value === undefined) continue;
    values.add(
      wordOf(value, () =>
        fail(
          `column ${ref.column} of cell ${ref.cellId} holds a ${Array.isArray(value) ? 'list' : 'structure'}; select one field of it (for example with json_extract_scalar)`,
        ),
      ),
    );
  }
  return [...values];
}

function wordOf(value: unknown, notScalar: () => never): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'bigint':
    case 'boolean':
      return String(value);
    default:
      if (value instanceof Date) return value.toISOString();
      return notScalar();
  }
}
