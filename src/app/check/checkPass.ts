// One pass of `trailbook check` over its runbooks: each runbook's window since its mark, the
// findings keyed and compared with the alerts already raised, open alerts resolved when their
// detection finds nothing and the verify cells pass, then every alert a notifier has not
// confirmed is sent. The state is written before anything is sent and after each message
// confirmed, so a run stopped anywhere (kill -9 included) neither loses a finding nor
// raises one twice: an unconfirmed message is sent again, with the same id, next time.
import type { EventStore } from '../../engine/eventStore';
import type { CellSource } from '../../engine/eventSource';
import type { Runbook, RunbookCell } from '../../runbook/types';
import { runRunbook, type CellRun } from '../runbookRunner';
import type { AlertAction, AlertNotice } from '../notify/alertNotice';
import { SHOWN_ROWS } from '../notify/alertNotice';
import type { RetryPolicy } from '../notify/delivery';
import { messagesFor, sendMessage, type NotifierMessage } from '../notify/notifier';
import type { NotifierConfig } from '../notify/notifyConfig';
import type { Secrets } from '../notify/secretRef';
import { runbookLink } from './alertLink';
import { runbookState, writeCheckState, type CheckState, type StoredAlert } from './checkState';
import { checkWindow } from './checkWindow';
import { alertId, FindingKeyError, findingGroups } from './findingKeys';

export interface OpenedForCheck {
  readonly source: CellSource;
  readonly store: EventStore;
}

/** The runbook's source and each cell's, opened before the run (the runner asks for them without waiting). */
interface RunbookSources extends OpenedForCheck {
  readonly sourceFor: (cell: RunbookCell) => OpenedForCheck;
}

async function openSources(runbook: Runbook, open: CheckPassOptions['open']): Promise<RunbookSources> {
  const whole = await open(runbook);
  const byCell = new Map<string, OpenedForCheck>();
  for (const cell of runbook.cells) byCell.set(cell.id, await open(runbook, cell));
  return { ...whole, sourceFor: (cell) => byCell.get(cell.id) ?? whole };
}

export interface CheckedRunbook {
  readonly path: string;
  readonly runbook: Runbook;
}

export interface CheckPassOptions {
  readonly runbooks: readonly CheckedRunbook[];
  /**
   * A source for a runbook, or for one of its cells (a cell's own `profiles=` or
   * `sso-session=`); the face opens it (a fresh AWS session each pass).
   */
  readonly open: (runbook: Runbook, cell?: RunbookCell) => Promise<OpenedForCheck>;
  readonly state: CheckState;
  /** Where the state is written; undefined for a dry run, which writes nothing. */
  readonly statePath?: string;
  readonly notifiers: readonly NotifierConfig[];
  readonly retry: RetryPolicy;
  readonly secrets: Secrets;
  /** Base URL of the runbooks' repository, for links to their lines. */
  readonly linkBase?: string;
  /** Print the payloads instead of sending them. */
  readonly onDryRun?: (notifier: NotifierConfig, message: NotifierMessage) => void;
  readonly now: Date;
  readonly delayMs: number;
  readonly overlapMs: number;
  readonly start?: Date;
  readonly end?: Date;
  readonly params: Readonly<Record<string, string>>;
  readonly limit: number;
  /** Resolved alerts whose resolve every notifier confirmed are dropped from the state this long after. */
  readonly keepResolvedMs: number;
  readonly signal?: AbortSignal;
  readonly note: (text: string) => void;
}

export interface RunbookCheck {
  readonly path: string;
  readonly window?: { readonly start: Date; readonly end: Date };
  readonly runs: readonly CellRun[];
  readonly newAlerts: readonly StoredAlert[];
  readonly resolved: readonly StoredAlert[];
  /** Why this runbook did not complete (its mark did not move). */
  readonly failure?: string;
  /**
   * Cells that need a parameter describing the reader's environment and have none: they
   * checked nothing in this window. Not a failure (the mark moves with the cells that ran),
   * not a pass: the exit status says 3 when nothing outranks it.
   */
  readonly unconfigured?: readonly string[];
}

export interface DeliveryReport {
  readonly notifier: string;
  readonly sent: number;
  readonly failed: readonly string[];
}

export interface CheckPassResult {
  readonly runbooks: readonly RunbookCheck[];
  readonly deliveries: readonly DeliveryReport[];
  /** 0 nothing new; 1 new findings; 2 could not run or not sent; 3 only "not configured" cells left unchecked. */
  readonly exitCode: 0 | 1 | 2 | 3;
}

const isVerifyCell = (id: string): boolean => id.startsWith('verify-');

async function checkRunbook(entry: CheckedRunbook, options: CheckPassOptions, notifierNames: readonly string[]): Promise<RunbookCheck> {
  const { path, runbook } = entry;
  const stored = runbookState(options.state, path);
  const window = checkWindow({
    now: options.now,
    delayMs: options.delayMs,
    overlapMs: options.overlapMs,
    ...(stored.mark ? { mark: stored.mark } : {}),
    ...(options.start ? { start: options.start } : {}),
    ...(options.end ? { end: options.end } : {}),
    ...(runbook.window ? { runbookWindow: runbook.window } : {}),
  });
  if (window.start.getTime() >= window.end.getTime()) {
    options.note(`${path}: nothing new to check before ${window.end.toISOString()} (the last window ended later)`);
    return { path, runs: [], newAlerts: [], resolved: [] };
  }
  const windowText = `${window.start.toISOString()}/${window.end.toISOString()}`;
  const sources = await openSources(runbook, options.open);
  const runs = await runRunbook(runbook, {
    ...sources,
    params: options.params,
    window: windowText,
    limit: options.limit,
    ...(options.signal ? { signal: options.signal } : {}),
    now: options.now,
  });
  const said = (r: CellRun): string =>
    `cell ${r.cell.id} (line ${(r.error?.line ?? r.cell.fenceLine) + 1}): ${r.error?.message ?? r.status}`;
  const failures = runs.filter((r) => r.status === 'error' || r.status === 'skipped').map(said);
  // Some accounts not read: the window is not checked for them, so the mark must not move past it.
  failures.push(
    ...runs.filter((r) => r.partial !== undefined).map((r) => `cell ${r.cell.id} (line ${r.cell.fenceLine + 1}): ${r.partial}`),
  );
  const unconfigured = runs.filter((r) => r.status === 'unconfigured').map(said);

  const newAlerts: StoredAlert[] = [];
  const foundNow = new Set<string>();
  for (const run of runs) {
    // verify-* cells judge whether a response held; they gate resolving, and alert on nothing themselves.
    if (isVerifyCell(run.cell.id)) continue;
    let groups;
    try {
      groups = findingGroups(run);
    } catch (error) {
      if (!(error instanceof FindingKeyError)) throw error;
      failures.push(`${error.message} (line ${error.line + 1})`);
      continue;
    }
    for (const group of groups) {
      const id = alertId(path, run.cell.id, group.key);
      foundNow.add(id);
      const known = stored.alerts.findIndex((a) => a.id === id);
      const before = stored.alerts[known];
      if (before !== undefined) {
        // Already alerted: not new, whatever the window; unless it was resolved and is found
        // again with other rows by an incremental run (a backfill finds the old rows again).
        const again =
          before.status === 'resolved' &&
          !options.start &&
          !options.end &&
          JSON.stringify(group.rows.slice(0, SHOWN_ROWS)) !== JSON.stringify(before.rows);
        if (!again) continue;
        const { resolvedAt: _resolved, ...rest } = before;
        const reopened: StoredAlert = {
          ...rest,
          status: 'open',
          reopenedAt: options.now.toISOString(),
          reopened: (before.reopened ?? 0) + 1,
          window: { start: window.start.toISOString(), end: window.end.toISOString() },
          rows: group.rows.slice(0, SHOWN_ROWS),
          rowCount: group.rows.length,
          notifiers: notifierNames,
          sent: {},
        };
        stored.alerts[known] = reopened;
        newAlerts.push(reopened);
        continue;
      }
      const alert: StoredAlert = {
        id,
        cell: run.cell.id,
        key: group.key,
        title: runbook.title,
        ...(run.cell.heading ? { heading: run.cell.heading } : {}),
        line: run.cell.fenceLine + 1,
        severity: run.cell.severity ?? 'error',
        status: 'open',
        firstSeen: options.now.toISOString(),
        window: { start: window.start.toISOString(), end: window.end.toISOString() },
        columns: run.columns,
        rows: group.rows.slice(0, SHOWN_ROWS),
        rowCount: group.rows.length,
        notifiers: notifierNames,
        sent: {},
      };
      stored.alerts.push(alert);
      newAlerts.push(alert);
    }
  }

  const resolved = failures.length === 0 ? await resolveVerified(entry, options, stored.alerts, runs, foundNow, window.end, sources) : [];
  // A backfill of an older span leaves a later mark where it is.
  if (failures.length === 0 && (!stored.mark || Date.parse(stored.mark) < window.end.getTime())) stored.mark = window.end.toISOString();
  return {
    path,
    window,
    runs,
    newAlerts,
    resolved,
    ...(failures.length > 0 ? { failure: failures.join('; ') } : {}),
    ...(unconfigured.length > 0 ? { unconfigured } : {}),
  };
}

/**
 * Open alerts whose detection found nothing in this window are resolved when the runbook's
 * verify cells pass over the span since the first of them was found: that span holds both
 * the finding and the response, which is what the verify cells compare.
 */
async function resolveVerified(
  entry: CheckedRunbook,
  options: CheckPassOptions,
  alerts: StoredAlert[],
  runs: readonly CellRun[],
  foundNow: ReadonlySet<string>,
  end: Date,
  sources: RunbookSources,
): Promise<StoredAlert[]> {
  const quiet = new Set(runs.filter((r) => r.status === 'ok').map((r) => r.cell.id));
  const candidates = alerts.filter((a) => a.status === 'open' && quiet.has(a.cell) && !foundNow.has(a.id));
  if (candidates.length === 0) return [];
  const verify = entry.runbook.cells.filter((c) => isVerifyCell(c.id)).map((c) => c.id);
  if (verify.length === 0) {
    options.note(
      `${entry.path}: ${candidates.length} alert(s) stay open: the detection finds nothing now, but the runbook has no verify-* cells to show the response held`,
    );
    return [];
  }
  const start = new Date(Math.min(...candidates.map((a) => Date.parse(a.window.start))));
  const verifyRuns = await runRunbook(entry.runbook, {
    ...sources,
    params: options.params,
    cellIds: verify,
    window: `${start.toISOString()}/${end.toISOString()}`,
    limit: options.limit,
    ...(options.signal ? { signal: options.signal } : {}),
    now: options.now,
  });
  const failing = verifyRuns.filter((r) => isVerifyCell(r.cell.id) && r.status !== 'ok');
  if (failing.length > 0) {
    options.note(
      `${entry.path}: ${candidates.length} alert(s) stay open: ${failing.map((r) => `${r.cell.id} ${r.status === 'finding' ? `finds ${r.rows.length} row(s)` : `did not run (${r.error?.message ?? r.status})`}`).join(', ')}`,
    );
    return [];
  }
  for (const alert of candidates) {
    alert.status = 'resolved';
    alert.resolvedAt = options.now.toISOString();
  }
  return candidates;
}

function noticeOf(path: string, alert: StoredAlert, action: AlertAction, linkBase: string | undefined): AlertNotice {
  const link = runbookLink(linkBase, path, alert.line);
  return {
    action,
    alertId: alert.id,
    runbook: path,
    title: alert.title,
    cell: alert.cell,
    ...(alert.heading ? { heading: alert.heading } : {}),
    line: alert.line,
    severity: alert.severity,
    key: alert.key,
    window: alert.window,
    columns: alert.columns,
    rows: alert.rows,
    rowCount: alert.rowCount,
    ...(link ? { link } : {}),
  };
}

/** What a notifier still has to be told: a trigger it has not confirmed, or a resolve of one it has. */
function pendingFor(notifier: string, alert: StoredAlert): AlertAction | undefined {
  if (!alert.notifiers.includes(notifier)) return undefined;
  const sent = alert.sent[notifier];
  if (alert.status === 'open') return sent === undefined ? 'trigger' : undefined;
  return sent === 'trigger' ? 'resolve' : undefined;
}

async function deliver(options: CheckPassOptions): Promise<DeliveryReport[]> {
  const reports: DeliveryReport[] = [];
  const byId = new Map<string, StoredAlert>();
  for (const stored of Object.values(options.state.runbooks)) for (const alert of stored.alerts) byId.set(alert.id, alert);
  for (const notifier of options.notifiers) {
    const notices = Object.entries(options.state.runbooks).flatMap(([path, stored]) =>
      stored.alerts.flatMap((alert) => {
        const action = pendingFor(notifier.name, alert);
        return action ? [noticeOf(path, alert, action, options.linkBase)] : [];
      }),
    );
    const failed: string[] = [];
    let sent = 0;
    for (const message of messagesFor(notifier, notices, options.now)) {
      if (options.onDryRun) {
        options.onDryRun(notifier, message);
        continue;
      }
      const result = await sendMessage(notifier, message, options.secrets, options.retry, options.now, options.signal);
      if (!result.ok) {
        failed.push(`${message.notices.length} ${message.notices[0].action}: ${result.reason}`);
        continue;
      }
      sent += message.notices.length;
      for (const notice of message.notices) byId.get(notice.alertId)!.sent[notifier.name] = notice.action;
      if (options.statePath) await writeCheckState(options.statePath, options.state);
    }
    reports.push({ notifier: notifier.name, sent, failed });
  }
  return reports;
}

/**
 * Resolved alerts, long after their resolve went out, leave the state: it would otherwise grow
 * with every finding ever made. One found again later is a new alert, as it would be anyway
 * for a dedup= key; a backfill over a span older than this may raise its findings again.
 */
function pruneResolved(options: CheckPassOptions): number {
  const before = options.now.getTime() - options.keepResolvedMs;
  let pruned = 0;
  for (const stored of Object.values(options.state.runbooks)) {
    const kept = stored.alerts.filter(
      (a) =>
        a.status !== 'resolved' ||
        a.resolvedAt === undefined ||
        Date.parse(a.resolvedAt) >= before ||
        a.notifiers.some((n) => pendingFor(n, a) !== undefined),
    );
    pruned += stored.alerts.length - kept.length;
    stored.alerts = kept;
  }
  return pruned;
}

export async function checkPass(options: CheckPassOptions): Promise<CheckPassResult> {
  const names = options.notifiers.map((n) => n.name);
  const runbooks: RunbookCheck[] = [];
  for (const entry of options.runbooks) {
    try {
      runbooks.push(await checkRunbook(entry, options, names));
    } catch (error) {
      if (options.signal?.aborted) throw error;
      runbooks.push({ path: entry.path, runs: [], newAlerts: [], resolved: [], failure: (error as Error).message });
    }
  }
  const pruned = pruneResolved(options);
  if (pruned > 0)
    options.note(
      `${pruned} alert(s) resolved before ${new Date(options.now.getTime() - options.keepResolvedMs).toISOString()} left the state file (--keep-resolved)`,
    );
  // Recorded before anything is sent: an alert raised is never forgotten, whatever stops the run.
  if (options.statePath) await writeCheckState(options.statePath, options.state);
  const deliveries = await deliver(options);
  const failed = runbooks.some((r) => r.failure !== undefined) || deliveries.some((d) => d.failed.length > 0);
  const found = runbooks.some((r) => r.newAlerts.length > 0);
  const unconfigured = runbooks.some((r) => (r.unconfigured?.length ?? 0) > 0);
  return { runbooks, deliveries, exitCode: failed ? 2 : found ? 1 : unconfigured ? 3 : 0 };
}
