// A DuckDB instance for SQL that someone else wrote. Runbooks arrive in pull requests, so
// the instances that run or check their SQL can reach no file, no URL and no extension
// except what the engine itself must read, and nothing a query says can undo that:
// the configuration is locked before the first runbook statement. The SQL guard
// (sqlGuard.ts) is the other, independent layer.
import { mkdirSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { literalPath, sqlString } from './sqlText';

export interface LockedDuckDBOptions {
  /**
   * Folders the instance may read (the store's Parquet files). Empty: no file at all, as
   * for lint, which only parses and binds against an empty table.
   */
  readonly allowedDirectories: readonly string[];
  /** Where DuckDB may spill when a query outgrows memory; unset disables spilling. */
  readonly spillDirectory?: string;
  readonly threads?: number;
  readonly memoryLimit?: string;
  /** Statements to run before the lock (macros, tables), in the instance's own catalog. */
  readonly prepare?: (connection: DuckDBConnection) => Promise<void>;
}

const asFolder = (path: string): string => {
  const absolute = resolve(path);
  return absolute.endsWith(sep) ? absolute : `${absolute}${sep}`;
};

/** Config for a new instance: no extension is installed or loaded behind our back. */
export function lockedConfig(options: { readonly threads?: number; readonly memoryLimit?: string }): Record<string, string> {
  // A query naming `https://…` or `s3://…` must not install or load httpfs (nor reach the
  // extension repository to try).
  const config: Record<string, string> = {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  };
  if (options.threads) config.threads = String(options.threads);
  if (options.memoryLimit) config.memory_limit = options.memoryLimit;
  return config;
}

/** Closes the instance to every file outside `allowedDirectories`, for good. */
export async function lockDown(
  connection: DuckDBConnection,
  options: Pick<LockedDuckDBOptions, 'allowedDirectories' | 'spillDirectory'>,
): Promise<void> {
  // DuckDB adds its temporary folder to the allowed ones, so it is chosen here: the
  // default is `.tmp` under whatever the working directory happens to be.
  if (options.spillDirectory) mkdirSync(options.spillDirectory, { recursive: true, mode: 0o700 });
  await connection.run(`SET temp_directory = ${sqlString(options.spillDirectory ?? '')}`);
  // DuckDB checks a path as given, then each file a glob makes of it. The engine gives its
  // readers paths with `*`, `?` and `[` escaped (sqlPathList), so a folder whose own name
  // has one is also allowed as so escaped: `trail[[]1]/`, which as a glob is `trail[1]/`
  // alone. (Taken as a name, it is a folder of that odd name beside the allowed one.)
  const literal = options.allowedDirectories.map(asFolder);
  const folders = [...new Set([...literal, ...literal.map(literalPath)])];
  await connection.run(`SET allowed_directories = [${folders.map(sqlString).join(', ')}]`);
  await connection.run(`SET allowed_paths = []`);
  await connection.run('SET enable_external_access = false');
  await connection.run('SET lock_configuration = true');
}

export async function openLockedDuckDB(options: LockedDuckDBOptions): Promise<DuckDBInstance> {
  const instance = await DuckDBInstance.create(':memory:', lockedConfig(options));
  const connection = await instance.connect();
  try {
    await options.prepare?.(connection);
    await lockDown(connection, options);
  } catch (error) {
    connection.closeSync();
    instance.closeSync();
    throw error;
  }
  connection.closeSync();
  return instance;
}
