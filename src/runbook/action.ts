// Turns one ```sh (bash, shell) fence token into a response action: its id, exact lines, and
// the references in its command, each of which must stand as a whole shell word so that
// substitution can hand it over as exactly one quoted word. Checks that need the other
// blocks (ids, which cells exist above) live in checkActions.
import type { Token } from 'markdown-it';
import type { ParamSpec, Reference, RunbookAction, RunbookCell, RunbookProblem } from './types';
import { problem } from './problems';
import { checkParamReference, reporter } from './checkCells';
import { KNOWN_ACTION_ATTRIBUTES, parseInfoString } from './infoString';
import { closesFence, columnOf } from './cell';
import { NAME_PATTERN, readReferenceTarget } from './references';
import { scanShellReferences, type RawShellReference } from './shellScan';

/** The info strings that make a fence a response action. */
export const ACTION_LANGUAGE = /^(?:sh|bash|shell)(?:\s|$)/;

/**
 * What may stand before a reference in the same word: a flag or name ending in `=`, made of
 * characters that mean nothing to the shell (`--user-name={{u}}`, `Key={{k}}`). It starts with
 * a letter after optional dashes because zsh expands a word starting with `=`.
 */
const SAFE_PREFIX = /^-{0,2}[A-Za-z][A-Za-z0-9_.:,@+%/-]*=$/;
/** What may follow a reference: the end of the word. Not `<` or `>`: `2>` would redirect. */
const WORD_END = /^[ \t\n;&|()]$/;

export function readAction(
  token: Token,
  index: number,
  heading: string | undefined,
  lines: readonly string[],
): { action: RunbookAction; problems: RunbookProblem[] } {
  const [fenceLine, next] = token.map ?? [0, 1];
  const problems: RunbookProblem[] = [];
  const report = (code: string, message: string, severity: 'error' | 'warning' = 'error') =>
    problems.push(problem(fenceLine, code, message, severity));

  const info = parseInfoString(token.info, KNOWN_ACTION_ATTRIBUTES);
  for (const p of info.problems) report(p.code, p.message, p.severity);
  const attributes = info.attributes;
  const id = attributes.id ?? `action-${index + 1}`;
  if (attributes.id !== undefined && !NAME_PATTERN.test(attributes.id)) {
    report('invalid-cell-id', `action id ${JSON.stringify(attributes.id)} must start with a letter and contain only letters, digits, - and _`);
  }
  if (!closesFence(lines[next - 1], token.markup) || next - 1 === fenceLine) {
    report('unterminated-fence', `the ${token.markup} block opened here is never closed; add a line ${token.markup} after its commands`);
  }
  const command = token.content.replace(/\n$/, '');
  if (command.trim() === '') report('empty-action', `action ${id} has no command; write one or remove the block`);

  const commandStartLine = fenceLine + 1;
  const references: Reference[] = [];
  for (const raw of scanShellReferences(command)) {
    if (raw.context === 'comment') continue; // a comment is not run, so nothing in it is replaced
    const text = command.slice(raw.start, raw.end);
    const before = command.slice(0, raw.start);
    const line = commandStartLine + (before.match(/\n/g)?.length ?? 0);
    const column = columnOf(lines[line], command, before);
    const fail = (code: string, message: string) => problems.push(problem(line, code, message, 'error', column));
    const target = raw.inner === undefined ? undefined : readReferenceTarget(raw.inner);
    if (!target) {
      const shown = raw.inner === undefined ? `${text} is never closed with }}` : `${text} is not a reference`;
      fail('malformed-reference', `${shown}; write {{param}} or {{cellId.column}}`);
      continue;
    }
    const notWord = notAWord(command, raw);
    if (notWord) {
      fail('reference-not-a-word', `write ${text} as its own word; it is quoted for the shell: ${notWord}`);
    } else if (raw.commandPosition) {
      fail('reference-as-command', `${text} stands where the command name goes, so a value would choose the program to run; write the command yourself and pass ${text} as an argument`);
    }
    references.push({ ...target, text, start: raw.start, end: raw.end, line, ...(column !== undefined ? { textColumn: column } : {}) });
  }

  const action: RunbookAction = {
    id,
    index,
    info: token.info,
    attributes,
    command,
    fenceLine,
    commandStartLine,
    endLine: next - 1,
    ...(heading !== undefined ? { heading } : {}),
    references,
  };
  return { action, problems };
}

/** Why the reference is not a whole shell word (so a quoted value would not be what it seems), or undefined. */
export function notAWord(command: string, raw: Pick<RawShellReference, 'context' | 'prefix' | 'end'>): string | undefined {
  switch (raw.context) {
    case 'word':
      break;
    case 'single-quoted':
    case 'double-quoted':
    case 'ansi-c-quoted':
      return 'remove the quotes around it (the value brings its own)';
    case 'backquoted':
      return 'it is inside `…`, whose text the shell reads a second time; use $( … ) with the reference as a word in it';
    case 'arithmetic':
      return 'it is inside $(( … )), (( … )) or let, where bash evaluates a value as arithmetic (and runs the commands in a[$(…)])';
    case 'conditional':
      return 'it is inside [[ … ]], where bash may evaluate a value as arithmetic (and run the commands in a[$(…)]); use [ … ] instead';
    case 'heredoc':
      return 'it is inside a heredoc (<<), where a value is not a word; pass it as an argument instead';
    case 'comment':
      return undefined;
  }
  if (raw.prefix !== '' && !SAFE_PREFIX.test(raw.prefix)) {
    return `it is glued to ${JSON.stringify(raw.prefix)} before it; put a space between them (only a flag ending in =, such as --name={{x}}, may touch it)`;
  }
  const after = command[raw.end];
  if (after !== undefined && !WORD_END.test(after)) {
    return `it is glued to "${after}" after it; put a space between them`;
  }
  return undefined;
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
      problems.push(problem(second.fenceLine, 'duplicate-cell-id', `id "${action.id}" is already used by the ${kind(first)} on line ${first.fenceLine + 1}; give this ${kind(second)} another id=`));
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
        report('unknown-cell', `${ref.text} names no cell "${ref.cellId}" (${earlier.length ? `cells above: ${earlier.join(', ')}` : 'there is no cell above'})`);
      } else if (target.fenceLine > action.fenceLine) {
        report('forward-reference', `${ref.text} refers to cell "${ref.cellId}", which is below this action (line ${target.fenceLine + 1}); an action uses cells above it, so move "${ref.cellId}" above`);
      }
    }
  }
  return problems;
}
