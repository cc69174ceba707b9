// The evidence report of a runbook run, for audits and incident reviews: which runbook
// (its bytes' hash and git commit), where it ran, and for each cell the SQL as run, its
// window, when it ran, what it found, and a SHA-256 of its result set, so a reviewer can
// later show that a saved result is the one this run produced.
//
// Result hash (documented in docs/evidence.md; keep the two in step):
//   SHA-256 over the UTF-8 bytes of JSON.stringify({"columns": [...], "rows": [[...], ...]})
//   with no whitespace, rows as arrays in column order, values as `--format json` prints
//   them (text, numbers, true/false, null, lists, structs as objects), and the keys of
//   every object sorted by UTF-16 code unit (JavaScript's default sort), recursively.
// Runbook hash: SHA-256 of the runbook text as UTF-8, i.e. of the file's bytes.
//
// What is not in the report: rows (only their count and hash), credentials. Access key
// IDs can appear (they are CloudTrail data and not secrets); secret keys and session
// tokens must not, so every string goes through scrubSecrets before rendering.
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { realpath } from 'node:fs/promises';
import { basename, dirname, relative, resolve } from 'node:path';
import type { Runbook, RunbookProblem } from '../runbook/types';
import type { CellValue } from '../engine/query';
import type { EngineScan } from '../engine/eventSource';
import type { CellRun } from './runbookRunner';
import type { WindowOrigin } from '../engine/timeWindow';

export const EVIDENCE_FORMAT = 'trailbook-evidence/1';

// ---------------------------------------------------------------- hashes

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256')
    .update(typeof data === 'string' ? Buffer.from(data, 'utf8') : data)
    .digest('hex');
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])] as const);
    return Object.fromEntries(entries);
  }
  return value;
}

/** The canonical text a result hash is computed over (see the top of this file). */
export function canonicalResultJson(columns: readonly string[], rows: readonly (readonly CellValue[])[]): string {
  return JSON.stringify(sortKeys({ columns, rows }));
}

export function resultSha256(columns: readonly string[], rows: readonly (readonly CellValue[])[]): string {
  return sha256Hex(canonicalResultJson(columns, rows));
}

// ---------------------------------------------------------------- git

export type GitInfo =
  | {
      readonly repository: true;
      /** The file's path inside the repository, with `/`. */
      readonly path: string;
      /** HEAD when the run happened (absent in a repository without commits). */
      readonly head?: string;
      /** The last commit that changed the file (absent when it was never committed). */
      readonly commit?: string;
      readonly tracked: boolean;
      /** Staged, unstaged or untracked changes: the text that ran is not the committed one. */
      readonly uncommittedChanges: boolean;
    }
  | { readonly repository: false; readonly reason: string };

interface GitOutput {
  readonly ok: boolean;
  readonly stdout: string;
  readonly stderr: string;
  readonly missing?: boolean;
}

function git(args: readonly string[], cwd: string): Promise<GitOutput> {
  return new Promise((done) => {
    // execFile, not a shell: the path is an argument, never command text. No optional
    // locks, so `git status` cannot take the index lock from someone working in the checkout.
    execFile(
      'git',
      [...args],
      { cwd, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' }, timeout: 15_000, maxBuffer: 1 << 20 },
      (error, stdout, stderr) => {
        const code = (error as NodeJS.ErrnoException | null)?.code;
        done({ ok: !error, stdout: String(stdout), stderr: String(stderr), ...(code === 'ENOENT' ? { missing: true } : {}) });
      },
    );
  });
}

/** Where the runbook stands in git: commit, tracked, uncommitted changes; or why that is unknown. */
export async function gitInfo(runbookPath: string): Promise<GitInfo> {
  let file: string;
  try {
    file = await realpath(resolve(runbookPath));
  } catch (error) {
    return { repository: false, reason: `cannot resolve ${runbookPath}: ${(error as Error).message}` };
  }
  const cwd = dirname(file);
  const name = basename(file);
  const top = await git(['rev-parse', '--show-toplevel'], cwd);
  if (top.missing) return { repository: false, reason: 'git is not installed' };
  if (!top.ok) {
    if (/not a git repository/i.test(top.stderr)) return { repository: false, reason: 'not in a git repository' };
    return { repository: false, reason: `git failed: ${top.stderr.trim().split('\n')[0] || 'unknown error'}` };
  }
  const root = await realpath(top.stdout.trim()).catch(() => top.stdout.trim());
  const [head, tracked, last, status] = await Promise.all([
    git(['rev-parse', '--verify', '-q', 'HEAD'], cwd),
    git(['ls-files', '--error-unmatch', '--', name], cwd),
    git(['log', '-1', '--format=%H', '--', name], cwd),
    git(['status', '--porcelain', '--untracked-files=all', '--', name], cwd),
  ]);
  const commit = last.ok ? last.stdout.trim() : '';
  return {
    repository: true,
    path: relative(root, file).split('\\').join('/'),
    ...(head.ok && head.stdout.trim() ? { head: head.stdout.trim() } : {}),
    ...(commit ? { commit } : {}),
    tracked: tracked.ok,
    uncommittedChanges: !status.ok || status.stdout.trim() !== '',
  };
}

// ---------------------------------------------------------------- secrets

const SECRET_ENV = [
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'AWS_BEARER_TOKEN_BEDROCK',
];

/** The secret values of the environment, to be kept out of every report. */
export function secretsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return SECRET_ENV.map((name) => env[name]).filter((v): v is string => typeof v === 'string' && v.length >= 8);
}

// `name = value` / `"name": "value"` for the names under which AWS secrets travel.
const SECRET_ASSIGNMENT =
  /((?:aws_?)?secret_?access_?key|(?:aws_?)?session_?token|security_?token|x-amz-security-token|x-amz-signature|x-amz-credential|authorization)(["']?\s*[:=]\s*["']?)([^\s"'&,;]+)/gi;

export const REDACTED = '[redacted]';

/** `text` with known secret values, secret-named assignments and URL passwords replaced by [redacted]. */
export function scrubText(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 8) out = out.split(secret).join(REDACTED);
  out = out.replace(SECRET_ASSIGNMENT, (_m, name: string, sep: string) => `${name}${sep}${REDACTED}`);
  return out.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/@:]+:[^\s/@]+@/gi, `$1${REDACTED}@`);
}

/** Every string inside `value` scrubbed (keys too), structure kept. */
export function scrubSecrets<T>(value: T, secrets: readonly string[] = []): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return scrubText(v, secrets);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [scrubText(k, secrets), walk(x)]));
    return v;
  };
  return walk(value) as T;
}

// ---------------------------------------------------------------- the report

/** Where the cells ran, as the person chose it. */
export interface EvidenceSource {
  /** `local`, `lookup` or `trino`. */
  readonly kind: string;
  /** e.g. `local logs ./incident-42`, `LookupEvents us-east-1,eu-west-1 (profile audit)`. */
  readonly label: string;
  readonly profile?: string;
  readonly regions?: readonly string[];
}

/** The source of `trailbook run`'s arguments, described without anything secret. */
export function describeSource(source: {
  readonly kind: string;
  readonly logs?: string;
  readonly regions?: readonly string[];
  readonly profile?: string;
  readonly endpoint?: string;
  readonly server?: string;
  readonly table?: string;
  readonly user?: string;
  readonly workgroup?: string;
  readonly database?: string;
  readonly region?: string;
}): EvidenceSource {
  if (source.kind === 'local') return { kind: 'local', label: `local logs ${source.logs ?? ''}`.trimEnd() };
  // Named fields only: a Trino password or token in the same object never reaches the report.
  if (source.kind === 'trino')
    return { kind: 'trino', label: `Trino ${source.server ?? ''} ${source.table ?? ''} (user ${source.user ?? ''})` };
  if (source.kind === 'athena') {
    const who = source.profile ? `profile ${source.profile}` : 'credentials from the environment or the default profile';
    return {
      kind: 'athena',
      label: `Athena workgroup ${source.workgroup ?? ''} ${source.database ?? ''}.${source.table ?? ''} in ${source.region ?? ''} (${who})${source.endpoint ? ` via ${source.endpoint}` : ''}`,
      ...(source.profile ? { profile: source.profile } : {}),
    };
  }
  const regions = source.regions ?? [];
  const who = source.profile ? `profile ${source.profile}` : 'credentials from the environment or the default profile';
  const endpoint = source.endpoint ? ` via ${source.endpoint}` : '';
  const name = source.kind === 'lookup' ? 'LookupEvents' : source.kind;
  return {
    kind: source.kind,
    label: `${name}${regions.length ? ` ${regions.join(',')}` : ''} (${who})${endpoint}`,
    ...(source.profile ? { profile: source.profile } : {}),
    ...(regions.length ? { regions: [...regions] } : {}),
  };
}

/** When each cell finished, kept by the caller's onCell; start = finish - elapsed. */
export class CellClock {
  private readonly finished = new Map<string, Date>();
  constructor(private readonly now: () => Date = () => new Date()) {}
  record(run: Pick<CellRun, 'cell'>): void {
    this.finished.set(run.cell.id, this.now());
  }
  finishedAt(id: string): Date | undefined {
    return this.finished.get(id);
  }
}

export interface EvidenceInput {
  readonly runbookPath: string;
  readonly runbookText: string;
  readonly runbook: Pick<Runbook, 'title'> & { readonly problems?: readonly RunbookProblem[] };
  readonly runs: readonly CellRun[];
  readonly source: EvidenceSource;
  readonly git: GitInfo;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly params?: Readonly<Record<string, string>>;
  /** The window given for the whole run (--window, --start/--end), if any. */
  readonly window?: string;
  /** Cells asked for with --cell, if any. */
  readonly cellIds?: readonly string[];
  readonly exitCode?: number;
  readonly clock?: CellClock;
  readonly generatedAt?: Date;
  readonly generator?: string;
  /** Secret values to keep out (secretsFromEnv() by default). */
  readonly secrets?: readonly string[];
}

export interface EvidenceCell {
  readonly id: string;
  readonly line: number;
  readonly heading?: string;
  readonly expect?: 'empty' | 'rows';
  readonly status: CellRun['status'];
  /** Rows of a detection (expect=empty) that found something; 0 otherwise. */
  readonly findings: number;
  readonly source: string;
  readonly sourceLabel: string;
  readonly profile?: string;
  readonly account?: string;
  readonly regions?: readonly string[];
  /** `rule`: which window applied (src/app/windowChoice.ts): the run's, the cell's, the runbook's, a default's. */
  readonly window?: { readonly start: string; readonly end: string; readonly label: string; readonly rule?: WindowOrigin };
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly elapsedMs: number;
  readonly sql?: string;
  readonly columns: readonly string[];
  readonly rowCount: number;
  readonly truncated: boolean;
  /** SHA-256 of the canonical result (see docs/evidence.md); null when the cell produced no result. */
  readonly resultSha256: string | null;
  readonly notes: readonly string[];
  readonly problems: readonly { readonly where: string; readonly message: string }[];
  readonly error?: { readonly message: string; readonly line: number };
  /** Athena: the QueryExecutionId, the bytes scanned and what they cost. */
  readonly scan?: EngineScan;
}

export interface EvidenceReport {
  readonly format: typeof EVIDENCE_FORMAT;
  readonly generatedAt: string;
  readonly generator: string;
  readonly runbook: {
    readonly path: string;
    readonly title: string;
    readonly sha256: string;
    readonly git: GitInfo;
    readonly problems: readonly { readonly line: number; readonly severity: string; readonly code: string; readonly message: string }[];
  };
  readonly run: {
    readonly startedAt: string;
    readonly finishedAt: string;
    readonly source: EvidenceSource;
    readonly params: Readonly<Record<string, string>>;
    readonly window?: string;
    readonly cells?: readonly string[];
    readonly exitCode?: number;
  };
  readonly summary: {
    readonly cells: number;
    readonly ok: number;
    readonly findings: number;
    readonly errors: number;
    readonly skipped: number;
    readonly unconfigured: number;
  };
  readonly cells: readonly EvidenceCell[];
}

function evidenceCell(run: CellRun, input: EvidenceInput): EvidenceCell {
  const { cell } = run;
  const finished = input.clock?.finishedAt(cell.id);
  const hasResult = run.status === 'ok' || run.status === 'finding';
  const lookup = (cell.source ?? input.source.kind) === 'lookup';
  return {
    id: cell.id,
    line: cell.fenceLine + 1,
    ...(cell.heading !== undefined ? { heading: cell.heading } : {}),
    ...(cell.expect ? { expect: cell.expect } : {}),
    status: run.status,
    findings: run.status === 'finding' && cell.expect === 'empty' ? run.rows.length : 0,
    source: cell.source ?? input.source.kind,
    sourceLabel: input.source.label,
    ...(lookup && input.source.profile ? { profile: input.source.profile } : {}),
    ...(run.account !== undefined ? { account: run.account } : {}),
    ...(lookup && input.source.regions ? { regions: input.source.regions } : {}),
    ...(run.window
      ? {
          window: {
            start: run.window.start.toISOString(),
            end: run.window.end.toISOString(),
            label: run.window.label,
            ...(run.window.origin ? { rule: run.window.origin } : {}),
          },
        }
      : {}),
    ...(finished ? { startedAt: new Date(finished.getTime() - run.elapsedMs).toISOString(), finishedAt: finished.toISOString() } : {}),
    elapsedMs: run.elapsedMs,
    ...(run.sql !== undefined ? { sql: run.sql } : {}),
    columns: run.columns,
    rowCount: run.rows.length,
    truncated: run.truncated,
    resultSha256: hasResult ? resultSha256(run.columns, run.rows) : null,
    notes: run.notes,
    problems: run.problems.map((p) => ({ where: p.where, message: p.message })),
    ...(run.error ? { error: { message: run.error.message, line: run.error.line + 1 } } : {}),
    ...(run.scan ? { scan: run.scan } : {}),
  };
}

/** The report, scrubbed of secrets; hashes are computed before scrubbing, over the real data. */
export function buildEvidence(input: EvidenceInput): EvidenceReport {
  const cells = input.runs.map((run) => evidenceCell(run, input));
  const count = (status: CellRun['status']): number => input.runs.filter((r) => r.status === status).length;
  const report: EvidenceReport = {
    format: EVIDENCE_FORMAT,
    generatedAt: (input.generatedAt ?? new Date()).toISOString(),
    generator: input.generator ?? 'trailbook',
    runbook: {
      path: input.runbookPath,
      title: input.runbook.title,
      sha256: sha256Hex(input.runbookText),
      git: input.git,
      problems: (input.runbook.problems ?? []).map((p) => ({ line: p.line + 1, severity: p.severity, code: p.code, message: p.message })),
    },
    run: {
      startedAt: input.startedAt.toISOString(),
      finishedAt: input.finishedAt.toISOString(),
      source: input.source,
      params: { ...(input.params ?? {}) },
      ...(input.window !== undefined ? { window: input.window } : {}),
      ...(input.cellIds && input.cellIds.length > 0 ? { cells: [...input.cellIds] } : {}),
      ...(input.exitCode !== undefined ? { exitCode: input.exitCode } : {}),
    },
    summary: {
      cells: cells.length,
      ok: count('ok'),
      findings: count('finding'),
      errors: count('error'),
      skipped: count('skipped'),
      unconfigured: count('unconfigured'),
    },
    cells,
  };
  return scrubSecrets(report, input.secrets ?? secretsFromEnv());
}

// ---------------------------------------------------------------- renderings

export function evidenceJson(report: EvidenceReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** `json` for .json, `markdown` for .md/.markdown, undefined otherwise. */
export function evidenceFormatFor(path: string): 'json' | 'markdown' | undefined {
  if (/\.json$/i.test(path)) return 'json';
  if (/\.(?:md|markdown)$/i.test(path)) return 'markdown';
  return undefined;
}

export function renderEvidence(report: EvidenceReport, format: 'json' | 'markdown'): string {
  return format === 'json' ? evidenceJson(report) : evidenceMarkdown(report);
}

/** Text for Markdown prose and tables: markup escaped, one line, `|` escaped. */
function md(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/[\\`*_{}[\]()<>#!|~&]/g, (ch) => `\\${ch}`);
}

/** An inline code span that holds `text` whatever backticks it contains (one line). */
function code(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat === '' ? ' ' : '';
  // In a table `|` would still split the row, even inside a code span.
  return `${ticks}${pad}${flat.replaceAll('|', '\\|')}${pad}${ticks}`;
}

/** A fenced block longer than any backtick run inside, so the SQL cannot close it. */
function fenced(text: string, info: string): string {
  const longest = Math.max(0, ...(text.match(/`{3,}/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${text}\n${fence}`;
}

function gitLine(git: GitInfo): string {
  if (!git.repository) return md(git.reason);
  const parts = [
    git.head ? `HEAD ${code(git.head)}` : 'no commits yet',
    git.commit ? `file last changed in ${code(git.commit)}` : 'file never committed',
    git.tracked ? 'tracked' : 'not tracked',
    git.uncommittedChanges ? '**uncommitted changes**: the text that ran differs from the commit' : 'no uncommitted changes',
  ];
  return `${parts.join('; ')} (${code(git.path)})`;
}

/** Why a cell ran over its window, in the words of the precedence table (docs/runbook-format.md). */
const WINDOW_RULE_TEXT: Record<WindowOrigin, string> = {
  explicit: "the run's window (--window, --start/--end or the editor's investigation window)",
  cell: "the cell's own window=",
  runbook: "the runbook's window:",
  default: "the user's default window",
  source: "the source's default window",
  none: 'no window: every event',
};

const STATUS_TEXT: Record<CellRun['status'], string> = {
  ok: 'ok',
  finding: 'finding',
  error: 'error',
  skipped: 'skipped',
  unconfigured: 'not configured',
};

export function evidenceMarkdown(report: EvidenceReport): string {
  const { runbook, run, summary } = report;
  const out: string[] = [];
  out.push(`# Evidence: ${md(runbook.title)}`, '');
  out.push(`Format ${code(report.format)}, generated by ${md(report.generator)} at ${report.generatedAt}.`, '');
  out.push('| | |', '|---|---|');
  const row = (name: string, value: string): void => void out.push(`| ${name} | ${value} |`);
  row('Runbook', code(runbook.path));
  row('Runbook SHA-256', code(runbook.sha256));
  row('Git', gitLine(runbook.git));
  row('Source', md(run.source.label));
  if (run.source.profile) row('Profile', code(run.source.profile));
  if (run.source.regions) row('Regions', md(run.source.regions.join(', ')));
  const params = Object.entries(run.params);
  row('Parameters', params.length === 0 ? 'none' : params.map(([k, v]) => `${md(k)} = ${code(v)}`).join(', '));
  if (run.window) row('Window (for the whole run)', code(run.window));
  if (run.cells) row('Cells asked for', run.cells.map(code).join(', '));
  row('Started', run.startedAt);
  row('Finished', run.finishedAt);
  if (run.exitCode !== undefined) row('Exit status', String(run.exitCode));
  row(
    'Summary',
    `${summary.cells} cells: ${summary.ok} ok, ${summary.findings} with findings, ${summary.errors} errors, ${summary.skipped} skipped, ${summary.unconfigured} not configured`,
  );
  out.push('');
  if (runbook.problems.length > 0) {
    out.push('## Runbook problems', '');
    for (const p of runbook.problems) out.push(`- line ${p.line}: ${p.severity} ${code(p.code)}: ${md(p.message)}`);
    out.push('');
  }
  out.push('## Cells', '');
  if (report.cells.length === 0) out.push('No cell ran.', '');
  else {
    out.push('| Cell | Line | Status | Rows | Window | Account | Result SHA-256 |', '|---|---|---|---|---|---|---|');
    for (const cell of report.cells) {
      const status = cell.status === 'finding' && cell.expect === 'empty' ? `finding (${cell.findings})` : STATUS_TEXT[cell.status];
      const rows = `${cell.rowCount}${cell.truncated ? ' (truncated)' : ''}`;
      const window = cell.window ? `${cell.window.start} – ${cell.window.end}` : '';
      out.push(
        `| ${code(cell.id)} | ${cell.line} | ${status} | ${rows} | ${window} | ${cell.account ? code(cell.account) : ''} | ${cell.resultSha256 ? code(cell.resultSha256) : '—'} |`,
      );
    }
    out.push('');
  }
  for (const cell of report.cells) {
    out.push(`### ${md(cell.id)}${cell.heading ? ` · ${md(cell.heading)}` : ''}`, '');
    const item = (name: string, value: string): void => void out.push(`- ${name}: ${value}`);
    item('Line', String(cell.line));
    item(
      'Status',
      `${cell.status}${cell.expect ? ` (expect=${cell.expect})` : ''}${cell.findings > 0 ? `, ${cell.findings} findings` : ''}`,
    );
    item('Source', `${md(cell.source)} · ${md(cell.sourceLabel)}`);
    if (cell.profile) item('Profile', code(cell.profile));
    if (cell.account) item('Account', code(cell.account));
    if (cell.regions) item('Regions', md(cell.regions.join(', ')));
    if (cell.window)
      item(
        'Window',
        `${cell.window.start} – ${cell.window.end} (${md(cell.window.label)}${cell.window.rule ? `; ${WINDOW_RULE_TEXT[cell.window.rule]}` : ''})`,
      );
    if (cell.startedAt && cell.finishedAt) item('Ran', `${cell.startedAt} – ${cell.finishedAt} (${cell.elapsedMs} ms)`);
    item('Rows', `${cell.rowCount}${cell.truncated ? ' (truncated at the row limit: more rows exist)' : ''}`);
    if (cell.columns.length > 0) item('Columns', cell.columns.map(code).join(', '));
    item('Result SHA-256', cell.resultSha256 ? code(cell.resultSha256) : 'none (no result)');
    if (cell.scan)
      item(
        'Scanned',
        `${cell.scan.scannedBytes} bytes${cell.scan.costUsd !== undefined ? `, ${cell.scan.costUsd.toFixed(5)} USD` : ''} (${md(cell.scan.engine)} query ${code(cell.scan.queryId)})`,
      );
    for (const note of cell.notes) item('Note', md(note));
    for (const p of cell.problems) item('Problem', `${md(p.where)}: ${md(p.message)}`);
    if (cell.error) item('Error', `line ${cell.error.line}: ${md(cell.error.message)}`);
    if (cell.sql !== undefined) out.push('', 'SQL as run:', '', fenced(cell.sql, 'sql'));
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
