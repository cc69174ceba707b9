// Which `trailbook.*` settings a workspace may set. A cloned repository or a pull request
// brings its own .vscode/settings.json: it may suggest a window or regions, but it must
// never choose where requests signed with the person's credentials go (endpoint, profile,
// source, the Trino server, table and user, Athena's workgroup, table, endpoint and scan limit)
// nor which local files are read (logsPath).
// package.json declares those `machine`-scoped, so VS Code drops a workspace's value; this file is the second layer,
// for a VS Code (or a fork) that would not. Plain TypeScript: tested in node.

/** Read from the user's (or the remote machine's) settings only, never from a workspace. */
export const USER_ONLY_SETTINGS = [
  'source',
  'logsPath',
  'profile',
  'profiles',
  'ssoSession',
  'endpoint',
  'trino.server',
  'trino.table',
  'trino.user',
  // Athena: where queries go and run, what they read, and what they may cost.
  'athena.workgroup',
  'athena.database',
  'athena.table',
  'athena.catalog',
  'athena.outputLocation',
  'athena.region',
  'athena.endpoint',
  'athena.accounts',
  'athena.regions',
  'athena.maxScanBytes',
  'athena.pricePerTb',
] as const;
export type UserOnlySetting = (typeof USER_ONLY_SETTINGS)[number];

/** The part of `WorkspaceConfiguration.inspect()` that matters here. */
export interface Inspected<T> {
  readonly defaultValue?: T;
  readonly globalValue?: T;
  readonly workspaceValue?: T;
  readonly workspaceFolderValue?: T;
}

/** The user's own value: a workspace's or a folder's value never counts. */
export function userValue<T>(inspected: Inspected<T> | undefined, fallback: T): T {
  return inspected?.globalValue ?? inspected?.defaultValue ?? fallback;
}

/** Whether a workspace or folder tried to set it (seen only when VS Code did not drop it). */
export function setByWorkspace(inspected: Inspected<unknown> | undefined): boolean {
  return inspected?.workspaceValue !== undefined || inspected?.workspaceFolderValue !== undefined;
}

/** The shape the settings' schema asks for; the schema only warns, so the value is checked here too. */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** Region names that can only name an AWS region (they become part of a host name). */
export function validRegions(value: unknown): { regions: string[]; rejected: string[] } {
  const list = Array.isArray(value) ? value : [];
  const regions = list.filter((r): r is string => typeof r === 'string' && REGION.test(r));
  return { regions, rejected: list.filter((r) => !regions.includes(r)).map((r) => String(r)) };
}

/**
 * The user-only settings a settings file (JSON with comments) names: at its top level for a
 * folder's .vscode/settings.json, under "settings" for a .code-workspace file. VS Code
 * drops them without a word, and the person should hear that the repository tried.
 */
export function userOnlySettingsIn(settingsText: string, under: readonly string[] = []): UserOnlySetting[] {
  const keys = new Set(keysAt(settingsText, under));
  return USER_ONLY_SETTINGS.filter((name) => keys.has(`trailbook.${name}`));
}

/**
 * The keys of the object reached from the root by `path` in a JSON-with-comments text,
 * tolerant of what VS Code tolerates (comments, trailing commas). Only keys are read:
 * values are never interpreted.
 */
export function keysAt(text: string, path: readonly string[]): string[] {
  const keys: string[] = [];
  /** Each open object or array: the key it is the value of (the root has none), and its kind. */
  const open: { name: string | undefined; object: boolean }[] = [];
  let expectKey = false;
  let lastKey: string | undefined;
  const here = (): boolean => open.length === path.length + 1 && path.every((name, i) => open[i + 1]?.name === name);
  for (let i = 0; i < text.length; i += 1) {
    const ch = text.charAt(i);
    if (ch === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else if (ch === '"') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j += 1) if (text[j] === '\\') j += 1;
      if (expectKey) {
        // Escapes decoded as VS Code decodes them: "trailbook.\u0065ndpoint" is the endpoint.
        lastKey = jsonString(text.slice(i, j + 1));
        if (here()) keys.push(lastKey);
      }
      expectKey = false;
      i = j;
    } else if (ch === '{' || ch === '[') {
      open.push({ name: lastKey, object: ch === '{' });
      lastKey = undefined;
      expectKey = ch === '{';
    } else if (ch === '}' || ch === ']') {
      open.pop();
      lastKey = undefined;
    } else if (ch === ',') {
      expectKey = open[open.length - 1]?.object ?? false;
      lastKey = undefined;
    }
  }
  return keys;
}

function jsonString(literal: string): string {
  try {
    return String(JSON.parse(literal));
  } catch {
    return literal.slice(1, -1);
  }
}
