// Where a cell runs, decided the same way every time: the cell's attributes over the
// runbook's front matter over the user's choice (status bar) over the settings.
// Plain TypeScript (no vscode), so the precedence is tested in node.
import { isAbsolute, resolve } from 'node:path';
import type { LocalTarget, LookupTarget, RunTarget } from '../app/openSource';
import type { Runbook, RunbookCell } from '../runbook/types';
import { LOOKUP_DEFAULT_WINDOW } from '../sources/lookup/defaults';

export type SourceKind = 'local' | 'lookup';

/** The `trailbook.*` settings, with the user's status-bar choices already laid over them. */
export interface TrailbookSettings {
  readonly source: SourceKind;
  /** As the user wrote it: absolute, or relative to the first workspace folder. */
  readonly logsPath: string;
  readonly profile: string;
  readonly regions: readonly string[];
  readonly window: string;
  readonly endpoint: string;
  readonly rowLimit: number;
}

export type { LocalTarget, LookupTarget, RunTarget } from '../app/openSource';

/** Every source a runbook's cells may ask for, configured; what a run needs to build them. */
export interface RunTargets {
  readonly preferred: SourceKind;
  /** Absent when no log folder is chosen: a cell that needs one says so. */
  readonly local?: LocalTarget;
  readonly lookup: LookupTarget;
  /** The user's default window; the cell's and the runbook's win over it. */
  readonly defaultWindow?: string;
}

export function runTargets(settings: TrailbookSettings, env: NodeJS.ProcessEnv, workspaceRoot: string | undefined): RunTargets {
  const logs = settings.logsPath.trim();
  const profile = settings.profile.trim() || env.AWS_PROFILE;
  const regions = settings.regions.length > 0 ? settings.regions : [env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1'];
  const window = settings.window.trim();
  return {
    preferred: settings.source,
    ...(logs ? { local: { kind: 'local' as const, logsPath: isAbsolute(logs) || !workspaceRoot ? logs : resolve(workspaceRoot, logs) } } : {}),
    lookup: {
      kind: 'lookup',
      ...(profile ? { profile } : {}),
      regions,
      ...(settings.endpoint.trim() ? { endpoint: settings.endpoint.trim() } : {}),
    },
    ...(window ? { defaultWindow: window } : {}),
  };
}

export class TargetError extends Error {}

/** The source a cell runs on: `source=` on the cell, then the runbook's `source:`, then the user's. */
export function sourceKindFor(targets: RunTargets, runbook: Runbook, cell: RunbookCell | undefined): SourceKind | 'athena' | 'trino' {
  return (cell?.source ?? runbook.source ?? targets.preferred) as SourceKind | 'athena' | 'trino';
}

export function targetFor(targets: RunTargets, runbook: Runbook, cell: RunbookCell | undefined): RunTarget {
  const kind = sourceKindFor(targets, runbook, cell);
  if (kind === 'athena') {
    throw new TargetError(`${cell ? `cell ${cell.id}` : 'this runbook'} asks for source athena, which Trailbook cannot run yet: use source=local on exported logs or source=lookup`);
  }
  if (kind === 'trino') {
    throw new TargetError(`${cell ? `cell ${cell.id}` : 'this runbook'} asks for source trino, which runs from the CLI for now (trailbook run --source trino --trino-server URL --trino-table catalog.schema.table)`);
  }
  if (kind === 'local') {
    if (!targets.local) throw new TargetError('no log folder chosen: choose one with "Trailbook: Choose the local log folder", or set trailbook.logsPath');
    return targets.local;
  }
  return targets.lookup;
}

/** The window label a cell will use, for the CodeLens before it runs. */
export function windowLabelFor(targets: RunTargets, runbook: Runbook, cell: RunbookCell | undefined, kind: SourceKind | 'athena' | 'trino'): string {
  const spec = cell?.window ?? runbook.window ?? targets.defaultWindow;
  if (spec !== undefined) return spec;
  return kind === 'lookup' ? LOOKUP_DEFAULT_WINDOW : 'all events';
}

/** `local logs · detonation-logs · all events`, `LookupEvents · audit · us-east-1 · 24h` */
export function targetLabel(target: RunTarget, window: string): string {
  if (target.kind === 'local') {
    const name = target.logsPath.replace(/[\\/]+$/, '').split(/[\\/]/).pop() || target.logsPath;
    return `local logs · ${name} · ${window}`;
  }
  if (target.kind === 'trino') return `Trino · ${target.table} · ${window}`;
  return `LookupEvents · ${target.profile ?? 'default'} · ${target.regions.join(', ')}${target.endpoint ? ` · ${target.endpoint}` : ''} · ${window}`;
}
