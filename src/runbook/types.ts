import type { AccountChoice } from './accounts';
// The runbook model shared by the parser, the CLI, lint and the extension.
// Lines are 0-based (as in VS Code); messages shown to people add 1.

export type Severity = 'error' | 'warning';

/** The levels of PagerDuty's Events API v2, which the other notifiers word the same way. */
export const FINDING_SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
export type FindingSeverity = (typeof FINDING_SEVERITIES)[number];

/** A problem found in a runbook, pointing at the line a person must fix. */
export interface RunbookProblem {
  readonly line: number;
  readonly column?: number;
  /** Length of the text at `column` the problem is about (a misspelt name), when known. */
  readonly length?: number;
  /** What to put in place of that text, for a quick fix (DuckDB's "did you mean"). */
  readonly replacement?: string;
  readonly severity: Severity;
  /** Stable identifier such as `unknown-param`, for tests and quick fixes. */
  readonly code: string;
  readonly message: string;
}

export type ParamType = 'string' | 'number' | 'list';

export interface ParamSpec {
  readonly name: string;
  readonly description?: string;
  readonly default?: string;
  /** A regular expression every value (each item, for lists) must match in full. */
  readonly pattern?: string;
  readonly type: ParamType;
  readonly line: number;
}

/**
 * `{{name}}` (a parameter) or `{{cellId.column}}` (values a previous cell returned).
 * `start`/`end` are offsets into the cell's `sql`; `line` is the Markdown line and
 * `textColumn` the column of `{{` in it, when known (for editor ranges).
 */
interface ReferenceSpan {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly textColumn?: number;
}
export type Reference =
  | ({ readonly kind: 'param'; readonly name: string } & ReferenceSpan)
  | ({ readonly kind: 'cell'; readonly cellId: string; readonly column: string } & ReferenceSpan);

export interface RunbookCell {
  /** From `id=`; cells without one get `cell-N` (1-based position among cloudtrail blocks). */
  readonly id: string;
  readonly index: number;
  /** The whole info string after the fence, e.g. `cloudtrail id=x expect=empty`. */
  readonly info: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** `expect=empty` marks a detection: any row is a finding. */
  readonly expect?: 'empty' | 'rows';
  readonly window?: string;
  readonly source?: string;
  /** `profiles=a,b` or `sso-session=NAME`: the accounts this cell reads on LookupEvents. */
  readonly accounts?: AccountChoice;
  /**
   * `dedup=actor,newKey`: the result columns whose values identify one finding, so a
   * scheduled check alerts on it once; without it, a row's eventID (else its whole value).
   */
  readonly dedup?: readonly string[];
  /** `severity=`: how loud an alert on this cell's findings is (PagerDuty's four levels). */
  readonly severity?: FindingSeverity;
  /** The SQL as written, with `{{…}}` references still in it. */
  readonly sql: string;
  /** Line of the opening fence. */
  readonly fenceLine: number;
  /** Line of the first SQL line (fenceLine + 1). */
  readonly sqlStartLine: number;
  /**
   * For each line of `sql`, the Markdown column it starts at (after a blockquote's `> ` or a
   * list's indent); undefined where the line cannot be aligned with its source.
   */
  readonly sqlLineColumns: readonly (number | undefined)[];
  /** Line of the closing fence (or the last line of the file if unterminated). */
  readonly endLine: number;
  /** Nearest Markdown heading above the cell, if any. */
  readonly heading?: string;
  /** References in `sql`, with offsets into `sql`, in order of appearance. */
  readonly references: readonly Reference[];
}

/**
 * A response action: a fenced ```sh (or bash, shell) block holding commands such as
 * `aws iam update-access-key …`. Never run as part of the runbook; a person runs one
 * explicitly (editor: after confirming the final command; CLI: --cell ID --allow-actions).
 */
export interface RunbookAction {
  /** From `id=`; actions without one get `action-N` (1-based position among actions). Shares the namespace of cell ids. */
  readonly id: string;
  readonly index: number;
  /** The whole info string after the fence, e.g. `sh id=deactivate-key`. */
  readonly info: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** The command as written, with `{{…}}` references still in it. */
  readonly command: string;
  /** Line of the opening fence. */
  readonly fenceLine: number;
  /** Line of the first command line (fenceLine + 1). */
  readonly commandStartLine: number;
  /** Line of the closing fence (or the last line of the file if unterminated). */
  readonly endLine: number;
  /** Nearest Markdown heading above the action, if any. */
  readonly heading?: string;
  /** References in `command` that are replaced (not those in shell comments), offsets into `command`. */
  readonly references: readonly Reference[];
}

export interface Runbook {
  readonly path: string;
  readonly title: string;
  readonly description?: string;
  readonly tags: readonly string[];
  readonly window?: string;
  readonly source?: string;
  /** Which accounts LookupEvents reads (`profiles:` or `sso-session:`), when the runbook says. */
  readonly accounts?: AccountChoice;
  /** ISO date (YYYY-MM-DD) of the last review, from front matter `reviewed`. */
  readonly reviewed?: string;
  readonly params: readonly ParamSpec[];
  readonly cells: readonly RunbookCell[];
  /** Response actions (```sh blocks), in order; cells and actions share one id namespace. */
  readonly actions: readonly RunbookAction[];
  readonly problems: readonly RunbookProblem[];
}

/** A response action's place and id, before its command is read by the shell parser. */
export type ActionOutline = Omit<RunbookAction, 'references'>;

/**
 * A runbook as far as showing it goes: the front matter, the cells whole, and each response
 * action's place and id, without reading the actions' commands with the shell parser (1.3 MB
 * of JavaScript, about 150 ms to load) and without problems. The CodeLenses and the status
 * bar need no more, so the first lens does not wait for that parser. Nothing runs from an
 * outline: running a cell or an action takes the whole Runbook, its actions checked.
 */
export type RunbookOutline = Omit<Runbook, 'actions' | 'problems'> & { readonly actions: readonly ActionOutline[] };
