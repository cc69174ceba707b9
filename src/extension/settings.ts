// The settings (`trailbook.*`) with the user's choices from the status bar laid over them.
// Choices are remembered per workspace (workspaceState), so choosing a log folder for one
// incident never edits a settings file that is checked in. Where requests and credentials
// go is read from the user's own settings only (settingsScope.ts says why).
import * as vscode from 'vscode';
import type { SourceKind, TrailbookSettings } from './runTarget';
import type { AthenaInput } from '../app/athenaTarget';
import { userValue, validRegions, type UserOnlySetting } from './settingsScope';

type Choosable = Pick<TrailbookSettings, 'source' | 'logsPath' | 'profile' | 'regions' | 'window' | 'investigationWindow'>;

/** A choice given as undefined clears it: the setting applies again. */
export type Choices = { [K in keyof Choosable]?: Choosable[K] | undefined } & {
  /** What the investigation window was set from, said in the status bar's tooltip. */
  readonly investigationAbout?: string | undefined;
};

const CHOICES_KEY = 'trailbook.choices';

export class RunSettings implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly state: vscode.Memento) {
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('trailbook')) this.changed.fire();
    });
  }

  get choices(): Choices {
    return this.state.get<Choices>(CHOICES_KEY) ?? {};
  }

  async choose(patch: Choices): Promise<void> {
    await this.state.update(CHOICES_KEY, { ...this.choices, ...patch });
    this.changed.fire();
  }

  current(): TrailbookSettings {
    const config = vscode.workspace.getConfiguration('trailbook');
    const choices = this.choices;
    const limit = config.get<number>('rowLimit', 10_000);
    const mine = (name: UserOnlySetting): string => {
      const value = userValue<unknown>(config.inspect<unknown>(name), '');
      return typeof value === 'string' ? value : '';
    };
    return {
      source: choices.source ?? sourceSetting(mine('source')),
      logsPath: choices.logsPath ?? mine('logsPath'),
      profile: choices.profile ?? mine('profile'),
      profiles: profileList(userValue<unknown>(config.inspect<unknown>('profiles'), [])),
      ssoSession: mine('ssoSession'),
      regions: choices.regions ?? validRegions(config.get<unknown>('regions', [])).regions,
      window: choices.window ?? config.get<string>('window', ''),
      investigationWindow: choices.investigationWindow ?? '',
      endpoint: mine('endpoint'),
      rowLimit: Number.isInteger(limit) && limit > 0 ? limit : 10_000,
      trinoServer: mine('trino.server'),
      trinoTable: mine('trino.table'),
      trinoUser: mine('trino.user'),
      athena: athenaSettings(config, mine),
    };
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/** Trino's server and table in the user's settings, written when the source picker asks for them. */
export async function writeTrinoSettings(server: string, table: string): Promise<void> {
  const config = vscode.workspace.getConfiguration('trailbook');
  await config.update('trino.server', server, vscode.ConfigurationTarget.Global);
  await config.update('trino.table', table, vscode.ConfigurationTarget.Global);
}

/** trailbook.profiles as names; anything else in the list is left out (the schema already warns of it). */
function profileList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item.trim() !== '') : [];
}

function sourceSetting(value: string): SourceKind {
  return value === 'lookup' || value === 'trino' || value === 'athena' ? value : 'local';
}

/** trailbook.athena.*: every one from the user's settings only (a workspace must not choose where queries go, or what they may cost). */
function athenaSettings(config: vscode.WorkspaceConfiguration, mine: (name: UserOnlySetting) => string): AthenaInput {
  const list = (name: UserOnlySetting): string[] => {
    const value = userValue<unknown>(config.inspect<unknown>(name), []);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  };
  const number = (name: UserOnlySetting): number | undefined => {
    const value = userValue<unknown>(config.inspect<unknown>(name), undefined);
    return typeof value === 'number' ? value : undefined;
  };
  const maxScan = number('athena.maxScanBytes');
  const price = number('athena.pricePerTb');
  return {
    workgroup: mine('athena.workgroup'),
    database: mine('athena.database'),
    table: mine('athena.table'),
    catalog: mine('athena.catalog'),
    outputLocation: mine('athena.outputLocation'),
    region: mine('athena.region'),
    endpoint: mine('athena.endpoint'),
    accounts: list('athena.accounts'),
    regions: list('athena.regions'),
    ...(maxScan !== undefined ? { maxScan } : {}),
    ...(price !== undefined ? { pricePerTb: price } : {}),
  };
}

export function workspaceRoot(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}
