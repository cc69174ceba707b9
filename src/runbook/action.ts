// Turns one ```sh (bash, shell) fence token into a response action: its id, exact lines, and
// the references in its command. Where each reference may stand is decided on the shell's
// syntax tree (shellReferences.ts); every refused position is reported on its line. Checks
// that need the other blocks (ids, which cells exist above) live in checkActions.
import type { Token } from 'markdown-it';
import type { ActionOutline, ParamSpec, Reference, RunbookAction, RunbookCell, RunbookProblem } from './types';
import { problem } from './problems';
import { checkParamReference, reporter } from './checkCells';
import { KNOWN_ACTION_ATTRIBUTES, parseInfoString } from './infoString';
import { closesFence, columnOf } from './cell';
import { NAME_PATTERN, readReferenceTarget } from './references';
import { findShellReferences, type Refusal } from './shellReferences';

/** The info strings that make a fence a response action. */
export const ACTION_LANGUAGE = /^(?:sh|bash|shell)(?:\s|$)/;

/**
 * An action's id and place, and the problems of its fence and info string: what reading it
 * takes without the shell parser (an outline, parse.ts). readAction adds its references.
 */
export function placeAction(
  token: Token,
  index: number,
  heading: string | undefined,
  lines: readonly string[],
): { action: ActionOutline; problems: RunbookProblem[] } {
  const [fenceLine, next] = token.map ?? [0, 1];
  const problems: RunbookProblem[] = [];
  const report = (code: string, message: string, severity: 'error' | 'warning' = 'error') =>
    problems.push(problem(fenceLine, code, message, severity));

  const info = parseInfoString(token.info, KNOWN_ACTION_ATTRIBUTES);
  for (const p of info.problems) report(p.code, p.message, p.severity);
  const attributes = info.attributes;
  const id = attributes.id ?? `action-${index + 1}`;
  if (attributes.id !== undefined && !NAME_PATTERN.test(attributes.id)) {
    report(
      'invalid-cell-id',
      `action id ${JSON.stringify(attributes.id)} must start with a letter and contain only letters, digits, - and _`,
    );
  }
  if (!closesFence(lines[next - 1], token.markup) || next - 1 === fenceLine) {
    report('unterminated-fence', `the ${token.markup} block opened here is never closed; add a line ${token.markup} after its commands`);
  }
  const command = token.content.replace(/\n$/, '');
  if (command.trim() === '') report('empty-action', `action ${id} has no command; write one or remove the block`);
  const action: ActionOutline = {
    id,
    index,
    info: token.info,
    attributes,
    command,
    fenceLine,
    commandStartLine: fenceLine + 1,
    endLine: next - 1,
    ...(heading !== undefined ? { heading } : {}),
  };
  return { action, problems };
}

/** The whole action: its place (placeAction) and the references in its command, each checked on the shell's syntax tree. */
export function readAction(
  token: Token,
  index: number,
  heading: string | undefined,
  lines: readonly string[],
): { action: RunbookAction; problems: RunbookProblem[] } {
  const placed = placeAction(token, index, heading, lines);
  const { problems } = placed;
  const { id, command, commandStartLine } = placed.action;
  const references: Reference[] = [];
  const lineAt = (offset: number) => commandStartLine + (command.slice(0, offset).match(/\n/g)?.length ?? 0);
  const scanned = findShellReferences(command);
  if (scanned.syntaxError) {
    const before = command.slice(0, scanned.syntaxError.offset);
    const line = lineAt(scanned.syntaxError.offset);
    problems.push(
      problem(
        line,
        'invalid-shell',
        `action ${id} is not valid shell: ${scanned.syntaxError.message}; no reference in it can be placed`,
        'error',
        columnOf(lines[line], command, before),
      ),
    );
  }
  for (const raw of scanned.references) {
    if (raw.inComment) continue; // a comment is not run, so nothing in it is replaced
    const text = command.slice(raw.start, raw.end);
    const before = command.slice(0, raw.start);
    const line = lineAt(raw.start);
    const column = columnOf(lines[line], command, before);
    const fail = (code: string, message: string) => problems.push(problem(line, code, message, 'error', column));
    const target = raw.inner === undefined ? undefined : readReferenceTarget(raw.inner);
    if (!target) {
      const shown = raw.inner === undefined ? `${text} is never closed with }}` : `${text} is not a reference`;
      fail('malformed-reference', `${shown}; write {{param}} or {{cellId.column}}`);
      continue;
    }
    // A syntax error is reported once above, not again for each reference.
    if (raw.refusal && !scanned.syntaxError) fail(raw.refusal.code, refusalMessage(text, raw.refusal));
    references.push({ ...target, text, start: raw.start, end: raw.end, line, ...(column !== undefined ? { textColumn: column } : {}) });
  }

  return { action: { ...placed.action, references }, problems };
}

/** The problem's text for a refused reference: what to write, and why. */
export function refusalMessage(text: string, refusal: Refusal): string {
  return refusal.code === 'reference-not-a-word'
    ? `write ${text} as its own word; it is quoted for the shell: ${refusal.reason}`
    : `${text} cannot be replaced here: ${refusal.reason}`;
}

/**
 * Checks that need every block: action ids must not clash with cell or action ids, and
 * references must name a declared parameter or a cell above the action (the same rule as
 * cells, so reading top to bottom tells what an action acts on).
 */
export function checkActions(
  actions: readonly RunbookAction[],
  cells: readonly RunbookCell[],
  params: readonly ParamSpec[],
): RunbookProblem[] {
  const problems: RunbookProblem[] = [];
  const cellsById = new Map<string, RunbookCell>();
  for (const cell of cells) if (!cellsById.has(cell.id)) cellsById.set(cell.id, cell);
  const actionsById = new Map<string, RunbookAction>();
  for (const action of actions) {
    const taken = cellsById.get(action.id) ?? actionsById.get(action.id);
    if (taken) {
      // Reported on the second of the two blocks, as for two cells.
      const [first, second] = taken.fenceLine < action.fenceLine ? [taken, action] : [action, taken];
      const kind = (block: RunbookCell | RunbookAction) => ('sql' in block ? 'cell' : 'action');
      problems.push(
        problem(
          second.fenceLine,
          'duplicate-cell-id',
          `id "${action.id}" is already used by the ${kind(first)} on line ${first.fenceLine + 1}; give this ${kind(second)} another id=`,
        ),
      );
    } else {
      actionsById.set(action.id, action);
    }
  }
  const paramNames = params.map((p) => p.name);
  for (const action of actions) {
    const above = cells.filter((c) => c.fenceLine < action.fenceLine);
    for (const ref of action.references) {
      const report = reporter(problems, ref);
      if (ref.kind === 'param') {
        checkParamReference(ref, paramNames, report);
        continue;
      }
      const target = cellsById.get(ref.cellId);
      if (!target) {
        if (actionsById.has(ref.cellId)) {
          report('unknown-cell', `${ref.text} names the response action "${ref.cellId}", which returns no rows; name a cell`);
          continue;
        }
        const earlier = [...new Set(above.map((c) => c.id))];
        report(
          'unknown-cell',
          `${ref.text} names no cell "${ref.cellId}" (${earlier.length ? `cells above: ${earlier.join(', ')}` : 'there is no cell above'})`,
        );
      } else if (target.fenceLine > action.fenceLine) {
        report(
          'forward-reference',
          `${ref.text} refers to cell "${ref.cellId}", which is below this action (line ${target.fenceLine + 1}); an action uses cells above it, so move "${ref.cellId}" above`,
        );
      }
    }
  }
  return problems;
}
