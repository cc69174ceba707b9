// Where a cell runs, decided the same way every time: the cell's attributes over the
// runbook's front matter over the user's choice (status bar) over the settings. Its window
// follows src/app/windowChoice.ts, where the investigation window comes first.
// Plain TypeScript (no vscode), so the precedence is tested in node.
import { isAbsolute, resolve } from 'node:path';
import type { AthenaTarget, LocalTarget, LookupTarget, RunTarget, TrinoTarget } from '../app/openSource';
import { athenaTarget, AthenaTargetError, type AthenaInput, type AthenaInputNames } from '../app/athenaTarget';
import type { ErrorKind } from '../engine/errorKind';
import { trinoTarget, TrinoTargetError, type TrinoInputNames } from '../app/trinoTarget';
import { AccountsNotAllowedError, accountsLabel, runbookAccounts, withAccounts } from '../app/accountTarget';
import type { RunbookCell, RunbookOutline } from '../runbook/types';
import { chooseWindowSpec, type WindowChoice } from '../app/windowChoice';
import { windowCaption } from './investigationWindow';
import { LOOKUP_DEFAULT_WINDOW } from '../sources/lookup/defaults';
import { TRINO_DEFAULT_WINDOW } from '../sources/trino/defaults';
import { ATHENA_DEFAULT_WINDOW } from '../sources/athena/defaults';

export type SourceKind = 'local' | 'lookup' | 'trino' | 'athena';

/** The `trailbook.*` settings, with the user's status-bar choices already laid over them. */
export interface TrailbookSettings {
  readonly source: SourceKind;
  /** As the user wrote it: absolute, or relative to the first workspace folder. */
  readonly logsPath: string;
  readonly profile: string;
  /** trailbook.profiles: several accounts at once (empty: the one profile above). */
  readonly profiles?: readonly string[];
  /** trailbook.ssoSession: every profile of this sso-session of ~/.aws/config (blank: none). */
  readonly ssoSession?: string;
  readonly regions: readonly string[];
  /** The user's default window (trailbook.window): below the cell's and the runbook's. */
  readonly window: string;
  /** The investigation window (status bar): above the runbook's; blank when not set. */
  readonly investigationWindow?: string;
  readonly endpoint: string;
  readonly rowLimit: number;
  /** trailbook.trino.*: the server's URL, `catalog.schema.table`, and the user (blank: the OS user). */
  readonly trinoServer: string;
  readonly trinoTable: string;
  readonly trinoUser: string;
  /** trailbook.athena.*: as written (blank: the defaults, workgroup primary, table default.cloudtrail_logs). */
  readonly athena?: AthenaInput;
}

export type { AthenaTarget, LocalTarget, LookupTarget, RunTarget, TrinoTarget } from '../app/openSource';

/** The settings that configure Athena, named in its errors. */
export const ATHENA_SETTINGS: AthenaInputNames = {
  workgroup: 'trailbook.athena.workgroup',
  database: 'trailbook.athena.database',
  table: 'trailbook.athena.table',
  catalog: 'trailbook.athena.catalog',
  outputLocation: 'trailbook.athena.outputLocation',
  region: 'trailbook.athena.region',
  profile: 'trailbook.profile',
  endpoint: 'trailbook.athena.endpoint',
  accounts: 'trailbook.athena.accounts',
  regions: 'trailbook.athena.regions',
  maxScan: 'trailbook.athena.maxScanBytes',
  pricePerTb: 'trailbook.athena.pricePerTb',
};

/** The settings that configure Trino, named in its errors. */
export const TRINO_SETTINGS: TrinoInputNames = {
  server: 'trailbook.trino.server',
  table: 'trailbook.trino.table',
  give: (setting, example) => `set ${setting} to ${example}`,
  credentials: 'a password or an access token ("Trailbook: Set the Trino password or token")',
};

/** Said wherever a cell needs Trino and neither setting is written. */
export const TRINO_NOT_CONFIGURED = 'set trailbook.trino.server and trailbook.trino.table';

/** The password or the access token, from the editor's secret storage; never in a setting. */
export type TrinoCredential = { readonly password: string } | { readonly accessToken: string };

/** Every source a runbook's cells may ask for, configured; what a run needs to build them. */
export interface RunTargets {
  readonly preferred: SourceKind;
  /** Absent when no log folder is chosen: a cell that needs one says so. */
  readonly local?: LocalTarget;
  readonly lookup: LookupTarget;
  /** Absent when Trino is not configured, or configured wrongly (`trinoProblem` says how). Never holds a secret. */
  readonly trino?: TrinoTarget;
  readonly trinoProblem?: TrinoTargetError;
  /** Absent when a trailbook.athena.* value is not usable (`athenaProblem` says which); the defaults otherwise. */
  readonly athena?: AthenaTarget;
  readonly athenaProblem?: AthenaTargetError;
  /** The user's default window; the cell's and the runbook's win over it. */
  readonly defaultWindow?: string;
  /** The investigation window: wins over the runbook's and a cell's relative window (src/app/windowChoice.ts). */
  readonly investigationWindow?: string;
}

export function runTargets(settings: TrailbookSettings, env: NodeJS.ProcessEnv, workspaceRoot: string | undefined): RunTargets {
  const logs = settings.logsPath.trim();
  const profile = settings.profile.trim() || env.AWS_PROFILE;
  const regions = settings.regions.length > 0 ? settings.regions : [env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1'];
  const window = settings.window.trim();
  const investigation = settings.investigationWindow?.trim() ?? '';
  const trino = trinoTargetFrom(settings, env);
  return {
    preferred: settings.source,
    ...(logs
      ? { local: { kind: 'local' as const, logsPath: isAbsolute(logs) || !workspaceRoot ? logs : resolve(workspaceRoot, logs) } }
      : {}),
    lookup: withAccounts(
      {
        kind: 'lookup',
        ...(profile ? { profile } : {}),
        regions,
        ...(settings.endpoint.trim() ? { endpoint: settings.endpoint.trim() } : {}),
      },
      settings.ssoSession?.trim() ? { ssoSession: settings.ssoSession.trim() } : undefined,
      { profiles: (settings.profiles ?? []).map((p) => p.trim()).filter((p) => p !== '') },
    ),
    ...trino,
    ...athenaTargetFrom(settings, profile, env),
    ...(window ? { defaultWindow: window } : {}),
    ...(investigation ? { investigationWindow: investigation } : {}),
  };
}

function trinoTargetFrom(settings: TrailbookSettings, env: NodeJS.ProcessEnv): { trino?: TrinoTarget; trinoProblem?: TrinoTargetError } {
  if (!settings.trinoServer.trim() && !settings.trinoTable.trim()) return {};
  try {
    return {
      trino: trinoTarget({ server: settings.trinoServer, table: settings.trinoTable, user: settings.trinoUser }, TRINO_SETTINGS, env),
    };
  } catch (error) {
    if (error instanceof TrinoTargetError) return { trinoProblem: error };
    throw error;
  }
}

function athenaTargetFrom(
  settings: TrailbookSettings,
  profile: string | undefined,
  env: NodeJS.ProcessEnv,
): { athena?: AthenaTarget; athenaProblem?: AthenaTargetError } {
  try {
    return { athena: athenaTarget({ ...(settings.athena ?? {}), ...(profile ? { profile } : {}) }, ATHENA_SETTINGS, env) };
  } catch (error) {
    if (error instanceof AthenaTargetError) return { athenaProblem: error };
    throw error;
  }
}

/**
 * The targets with the stored secret laid on the Trino target, just before a run: only the
 * runtime sees it, never the status bar, the lenses or the recorded run an evidence report
 * is written from.
 */
export function withTrinoCredential(targets: RunTargets, credential: TrinoCredential | undefined): RunTargets {
  if (!targets.trino || !credential) return targets;
  return { ...targets, trino: { ...targets.trino, ...credential } };
}

/** A cell cannot run where it asks; `setting` is what to change, `summary` fits on a CodeLens. */
export class TargetError extends Error {
  constructor(
    message: string,
    readonly summary: string = message.split(':')[0] ?? message,
    readonly setting?: string,
    readonly errorKind?: ErrorKind,
  ) {
    super(message);
  }
}

/** The source a cell runs on: `source=` on the cell, then the runbook's `source:`, then the user's. */
export function sourceKindFor(targets: RunTargets, runbook: RunbookOutline, cell: RunbookCell | undefined): SourceKind {
  return (cell?.source ?? runbook.source ?? targets.preferred) as SourceKind;
}

export function targetFor(targets: RunTargets, runbook: RunbookOutline, cell: RunbookCell | undefined): RunTarget {
  const kind = sourceKindFor(targets, runbook, cell);
  if (kind === 'athena') {
    if (targets.athena) return targets.athena;
    const problem = targets.athenaProblem!;
    throw new TargetError(problem.message, `fix ${problem.input}`, problem.input, { kind: 'athenaTarget' });
  }
  if (kind === 'trino') {
    if (targets.trino) return targets.trino;
    if (targets.trinoProblem)
      throw new TargetError(targets.trinoProblem.message, `fix ${targets.trinoProblem.input}`, targets.trinoProblem.input, {
        kind: 'trinoTarget',
      });
    const who = cell ? `cell ${cell.id}` : 'this runbook';
    throw new TargetError(
      `${TRINO_NOT_CONFIGURED}: ${who} runs on Trino (or choose Trino in the status bar to be asked for them)`,
      TRINO_NOT_CONFIGURED,
      'trailbook.trino',
      { kind: 'trinoTarget' },
    );
  }
  if (kind === 'local') {
    if (!targets.local)
      throw new TargetError(
        'no log folder chosen: choose one with "Trailbook: Choose the local log folder", or set trailbook.logsPath',
        undefined,
        'trailbook.logsPath',
        { kind: 'noLogs' },
      );
    return targets.local;
  }
  // The cell's accounts, else the runbook's, among the user's (already in targets.lookup).
  try {
    return runbookAccounts(targets.lookup, cell?.accounts ?? runbook.accounts, (asked) =>
      asked.ssoSession !== undefined
        ? `set trailbook.ssoSession to ${asked.ssoSession} to allow it`
        : `add ${asked.profiles!.join(', ')} to trailbook.profiles to allow it`,
    );
  } catch (error) {
    if (!(error instanceof AccountsNotAllowedError)) throw error;
    const setting = (cell?.accounts ?? runbook.accounts)?.ssoSession !== undefined ? 'trailbook.ssoSession' : 'trailbook.profiles';
    throw new TargetError(error.message, 'the runbook asks for accounts you have not named', setting);
  }
}

/** The window a cell will use, by the same table as the run (src/app/windowChoice.ts). */
export function windowChoiceFor(
  targets: RunTargets,
  runbook: RunbookOutline,
  cell: RunbookCell | undefined,
  kind: SourceKind,
): WindowChoice {
  return chooseWindowSpec({
    explicit: targets.investigationWindow,
    cell: cell?.window,
    runbook: runbook.window,
    userDefault: targets.defaultWindow,
    sourceDefault:
      kind === 'lookup'
        ? LOOKUP_DEFAULT_WINDOW
        : kind === 'trino'
          ? TRINO_DEFAULT_WINDOW
          : kind === 'athena'
            ? ATHENA_DEFAULT_WINDOW
            : undefined,
  });
}

/** The window label a cell will use, for the CodeLens before it runs. */
export function windowLabelFor(targets: RunTargets, runbook: RunbookOutline, cell: RunbookCell | undefined, kind: SourceKind): string {
  return windowCaption(windowChoiceFor(targets, runbook, cell, kind));
}

/** `local logs · detonation-logs · all events`, `LookupEvents · audit · us-east-1 · 24h` */
export function targetLabel(target: RunTarget, window: string): string {
  if (target.kind === 'local') {
    const name =
      target.logsPath
        .replace(/[\\/]+$/, '')
        .split(/[\\/]/)
        .pop() || target.logsPath;
    return `local logs · ${name} · ${window}`;
  }
  if (target.kind === 'trino') return `Trino · ${target.table} · ${window}`;
  if (target.kind === 'athena') return `Athena · ${target.workgroup} · ${target.database}.${target.table} · ${window}`;
  return `LookupEvents · ${accountsLabel(target)} · ${target.regions.join(', ')}${target.endpoint ? ` · ${target.endpoint}` : ''} · ${window}`;
}
