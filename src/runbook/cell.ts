// Turns one ```cloudtrail fence token into a cell: attributes, exact lines, and the
// references in its SQL. Checks that need the other cells live in checkCells.ts.
import type { Token } from 'markdown-it';
import { FINDING_SEVERITIES, type FindingSeverity, type Reference, type RunbookCell, type RunbookProblem } from './types';
import { problem } from './problems';
import { parseInfoString } from './infoString';
import { parseWindow } from './window';
import { isSource, sourceError } from './sources';
import { parseProfileList, parseSsoSession, type AccountChoice } from './accounts';
import { scanReferences } from './sqlScan';
import { adjacencyProblem, readReferenceTarget } from './references';

export function readCell(
  token: Token,
  index: number,
  heading: string | undefined,
  lines: readonly string[],
): { cell: RunbookCell; problems: RunbookProblem[] } {
  const [fenceLine, next] = token.map ?? [0, 1];
  const problems: RunbookProblem[] = [];
  const report = (code: string, message: string, severity: 'error' | 'warning' = 'error') =>
    problems.push(problem(fenceLine, code, message, severity));

  const info = parseInfoString(token.info);
  for (const p of info.problems) report(p.code, p.message, p.severity);
  const attributes = info.attributes;
  const id = attributes.id ?? `cell-${index + 1}`;
  if (attributes.id !== undefined && !/^[A-Za-z][A-Za-z0-9_-]*$/.test(attributes.id)) {
    report(
      'invalid-cell-id',
      `cell id ${JSON.stringify(attributes.id)} must start with a letter and contain only letters, digits, - and _`,
    );
  }
  // Invalid values stay visible in `attributes` but never reach the typed fields the engine reads.
  const { expect, window, source } = attributes;
  const expectOk = expect === 'empty' || expect === 'rows';
  if (expect !== undefined && !expectOk) {
    report('invalid-expect', `expect=${expect} is not known; use expect=empty (rows are findings) or expect=rows (no rows is a failure)`);
  }
  const windowError = window === undefined ? undefined : (parseWindow(window) as { error?: string }).error;
  if (windowError) report('invalid-window', windowError);
  const sourceOk = source !== undefined && isSource(source);
  if (source !== undefined && !sourceOk) report('invalid-source', sourceError(source));
  const accounts = readAccounts(attributes, report);
  const dedup = readDedup(attributes.dedup, report);
  const severity = attributes.severity;
  const severityOk = severity !== undefined && (FINDING_SEVERITIES as readonly string[]).includes(severity);
  if (severity !== undefined && !severityOk) {
    report('invalid-severity', `severity=${severity} is not known; use one of ${FINDING_SEVERITIES.join(', ')}`);
  }
  if ((dedup !== undefined || severity !== undefined) && !expectOk) {
    report(
      'finding-attribute-without-expect',
      `${dedup !== undefined ? 'dedup' : 'severity'}= describes findings, and this cell has none: add expect=empty (rows are findings)`,
      'warning',
    );
  }

  const unterminated = !closesFence(lines[next - 1], token.markup) || next - 1 === fenceLine;
  if (unterminated)
    report('unterminated-fence', `the ${token.markup} block opened here is never closed; add a line ${token.markup} after its SQL`);
  // The fence token's content ends with the newline before the closing fence; it is not SQL.
  const sql = token.content.replace(/\n$/, '');
  if (sql.trim() === '') report('empty-cell', `cell ${id} has no SQL; write a query or remove the block`);

  const sqlStartLine = fenceLine + 1;
  const references = readReferences(sql, sqlStartLine, lines, problems);
  const cell: RunbookCell = {
    id,
    index,
    info: token.info,
    attributes,
    ...(expectOk ? { expect } : {}),
    ...(window !== undefined && !windowError ? { window } : {}),
    ...(sourceOk ? { source } : {}),
    ...(accounts !== undefined ? { accounts } : {}),
    ...(dedup !== undefined ? { dedup } : {}),
    ...(severityOk ? { severity: severity as FindingSeverity } : {}),
    sql,
    fenceLine,
    sqlStartLine,
    sqlLineColumns: sql.split('\n').map((text, i) => {
      const source = lines[sqlStartLine + i];
      return source !== undefined && source.endsWith(text) ? source.length - text.length : undefined;
    }),
    endLine: next - 1,
    ...(heading !== undefined ? { heading } : {}),
    references,
  };
  return { cell, problems };
}

/**
 * `dedup=a,b`: result column names, never SQL or a template, so the key of a finding is
 * read from the row the cell returned and cannot run or reach anything.
 */
function readDedup(value: string | undefined, report: (code: string, message: string) => void): string[] | undefined {
  if (value === undefined) return undefined;
  const columns = value.split(',').map((c) => c.trim());
  const bad = columns.find((c) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(c));
  if (bad !== undefined) {
    report(
      'invalid-dedup',
      `dedup=${value}: name result columns separated by commas, e.g. dedup=actor,newKey (${JSON.stringify(bad)} is not a column name)`,
    );
    return undefined;
  }
  return columns;
}

/**
 * markdown-it lets an unclosed fence run to the end of the file (or of its blockquote/list),
 * so the last line of its range is a closing fence only if the author wrote one.
 */
export function closesFence(line: string | undefined, markup: string): boolean {
  if (line === undefined) return false;
  const body = line.replace(/^(?:\s*>)*\s*/, '').trimEnd();
  return body.length >= markup.length && [...body].every((ch) => ch === markup[0]);
}

function readReferences(sql: string, sqlStartLine: number, lines: readonly string[], problems: RunbookProblem[]): Reference[] {
  const references: Reference[] = [];
  for (const raw of scanReferences(sql)) {
    if (raw.context === 'comment') continue; // commented-out SQL is not run, so not checked
    const text = sql.slice(raw.start, raw.end);
    const before = sql.slice(0, raw.start);
    const line = sqlStartLine + (before.match(/\n/g)?.length ?? 0);
    const column = columnOf(lines[line], sql, before);
    const report = (code: string, message: string, severity: 'error' | 'warning' = 'error') =>
      problems.push(problem(line, code, message, severity, column));
    if (raw.context !== 'code') {
      const where = raw.context === 'identifier' ? 'a quoted identifier ("…")' : 'a SQL string';
      report(
        'reference-in-string',
        `${text} is inside ${where}, so it is not replaced; references become SQL literals themselves, so remove the quotes around it`,
        'warning',
      );
      continue;
    }
    const target = raw.inner === undefined ? undefined : readReferenceTarget(raw.inner);
    if (!target) {
      const shown = raw.inner === undefined ? `${text} is never closed with }}` : `${text} is not a reference`;
      report('malformed-reference', `${shown}; write {{param}} or {{cellId.column}}`);
      continue;
    }
    const adjacent = adjacencyProblem(sql, raw.start, raw.end);
    if (adjacent) report('reference-adjacent', `${text} would merge with the SQL next to it: ${adjacent}`);
    references.push({ ...target, text, start: raw.start, end: raw.end, line, ...(column !== undefined ? { textColumn: column } : {}) });
  }
  return references;
}

/**
 * Column in the Markdown line. Fence content is the source line minus a prefix (indentation,
 * `> `), so the column is found by aligning the ends; undefined if tabs make that unsafe.
 */
export function columnOf(sourceLine: string | undefined, sql: string, before: string): number | undefined {
  const lineStart = before.lastIndexOf('\n') + 1;
  const nl = sql.indexOf('\n', lineStart);
  const sqlLine = sql.slice(lineStart, nl < 0 ? sql.length : nl);
  if (sourceLine === undefined || !sourceLine.endsWith(sqlLine)) return undefined;
  return sourceLine.length - sqlLine.length + (before.length - lineStart);
}

/** `profiles=a,b` or `sso-session=NAME`: which accounts the cell reads on LookupEvents. */
function readAccounts(
  attributes: Readonly<Record<string, string>>,
  report: (code: string, message: string) => void,
): AccountChoice | undefined {
  const { profiles, 'sso-session': ssoSession } = attributes;
  if (profiles !== undefined && ssoSession !== undefined) {
    report('invalid-profiles', 'give profiles= or sso-session=, not both');
    return undefined;
  }
  if (profiles !== undefined) {
    const read = parseProfileList(profiles);
    if ('error' in read) report('invalid-profiles', read.error);
    else return { profiles: read.profiles };
  }
  if (ssoSession !== undefined) {
    const read = parseSsoSession(ssoSession);
    if ('error' in read) report('invalid-sso-session', read.error);
    else return { ssoSession: read.ssoSession };
  }
  return undefined;
}
