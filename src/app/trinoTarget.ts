// Where `source: trino` runs, checked the same way for both faces: the CLI names its flags
// (--trino-server), the editor its settings (trailbook.trino.server), and each error names
// the one the person must change and what to write there. A password or token goes only
// over https or to this machine, so the server's scheme is held to that here, once.
import { userInfo } from 'node:os';
import type { TrinoTarget } from './openSource';
import type { ErrorKind } from '../engine/errorKind';

/** What the person wrote, before any check; blank values count as not given. */
export interface TrinoInput {
  readonly server?: string | undefined;
  readonly table?: string | undefined;
  readonly user?: string | undefined;
  readonly password?: string | undefined;
  readonly accessToken?: string | undefined;
}

/** How a face names each input in its errors. */
export interface TrinoInputNames {
  /** `--trino-server` or `trailbook.trino.server`. */
  readonly server: string;
  readonly table: string;
  /** How to give a missing value: `--trino-server https://…` or `set trailbook.trino.server to https://…`. */
  readonly give: (name: string, example: string) => string;
  /** Where a password and a token both came from, for the error that asks for one of them. */
  readonly credentials: string;
}

/** An input the person must change; `input` is the flag or setting to fix. */
export class TrinoTargetError extends Error {
  constructor(
    message: string,
    readonly input: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  readonly errorKind: ErrorKind = { kind: 'trinoTarget' };
}

const LOOPBACK = ['127.0.0.1', '[::1]', 'localhost'];
/** `catalog.schema.table`, `schema.table` or `table`: identifiers only, so it cannot carry SQL. */
const TABLE = /^[A-Za-z_]\w*(\.[A-Za-z_]\w*){0,2}$/;

/** The server URL, or an error naming `name`: https, or plain http only to this machine. */
export function checkTrinoServer(url: string, name: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new TrinoTargetError(`${name} ${url}: write it as https://host[:port] (or http://127.0.0.1:PORT for a local server)`, name, {
      cause: error,
    });
  }
  // A password in the URL would be shown wherever the server is named: the URL is not repeated.
  if (parsed.username !== '' || parsed.password !== '') {
    throw new TrinoTargetError(
      `${name}: write the server without a user or password in it (https://host[:port]); the user and the secret are given apart`,
      name,
    );
  }
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && LOOPBACK.includes(parsed.hostname))) {
    throw new TrinoTargetError(`${name} ${url}: use https (plain http only to this machine: 127.0.0.1, [::1] or localhost)`, name);
  }
  return url;
}

/** The table name, or an error naming `name`. */
export function checkTrinoTable(table: string, name: string): string {
  if (!TABLE.test(table)) throw new TrinoTargetError(`${name} ${table}: write it as catalog.schema.table (letters, digits and _)`, name);
  return table;
}

/** The OS user's name, as Trino's own CLI sends it when no user is given. */
export function defaultTrinoUser(env: NodeJS.ProcessEnv): string {
  try {
    const name = userInfo().username;
    if (name) return name;
  } catch {
    // No passwd entry (some containers): the environment's name, else a fixed one.
  }
  return env.USER || env.USERNAME || 'trailbook';
}

/** A checked target; the first missing or malformed input is the error. */
export function trinoTarget(input: TrinoInput, names: TrinoInputNames, env: NodeJS.ProcessEnv): TrinoTarget {
  const server = input.server?.trim();
  if (!server)
    throw new TrinoTargetError(`source trino needs the server: ${names.give(names.server, 'https://trino.example.com')}`, names.server);
  checkTrinoServer(server, names.server);
  const table = input.table?.trim();
  if (!table)
    throw new TrinoTargetError(`source trino needs the table: ${names.give(names.table, 'catalog.schema.cloudtrail_logs')}`, names.table);
  checkTrinoTable(table, names.table);
  if (input.password !== undefined && input.accessToken !== undefined) {
    throw new TrinoTargetError(`choose one: ${names.credentials}, not both`, names.credentials);
  }
  return {
    kind: 'trino',
    server,
    user: input.user?.trim() || defaultTrinoUser(env),
    table,
    ...(input.password !== undefined ? { password: input.password } : {}),
    ...(input.accessToken !== undefined ? { accessToken: input.accessToken } : {}),
  };
}
