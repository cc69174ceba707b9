// What a runbook query may touch. Runbooks come from pull requests and run in CI, so a
// cell is held to what Athena would allow: one SELECT over `cloudtrail_logs` (and its own
// CTEs). DuckDB could otherwise read any file (`FROM '~/.aws/credentials'`, read_text)
// and print it into a CI log.
import type { DuckDBConnection } from '@duckdb/node-api';

const ALLOWED_TABLE_FUNCTIONS = new Set(['unnest', 'generate_series', 'range']);

interface Node {
  [key: string]: unknown;
}

function walk(value: unknown, visit: (node: Node) => void): void {
  if (Array.isArray(value)) value.forEach((item) => walk(item, visit));
  else if (value !== null && typeof value === 'object') {
    visit(value as Node);
    Object.values(value).forEach((item) => walk(item, visit));
  }
}

/** Why the statement may not run, or undefined when it may. */
export function tableAccessProblem(tree: unknown): string | undefined {
  const ctes = new Set<string>();
  const tables: string[] = [];
  const functions: string[] = [];
  walk(tree, (node) => {
    const map = (node.cte_map as { map?: { key: string }[] } | undefined)?.map;
    map?.forEach((entry) => ctes.add(entry.key.toLowerCase()));
    if (node.type === 'BASE_TABLE' && typeof node.table_name === 'string') {
      const qualified = Boolean(node.schema_name) || Boolean(node.catalog_name);
      tables.push(qualified ? `${node.schema_name || node.catalog_name}.${node.table_name}` : node.table_name);
    }
    if (node.type === 'TABLE_FUNCTION') {
      const fn = (node.function as Node | undefined)?.function_name;
      if (typeof fn === 'string') functions.push(fn);
    }
  });
  const badTable = tables.find((name) => name.toLowerCase() !== 'cloudtrail_logs' && !ctes.has(name.toLowerCase()));
  if (badTable !== undefined) return `unknown table ${badTable}: runbook queries read the table cloudtrail_logs`;
  const badFunction = functions.find((name) => !ALLOWED_TABLE_FUNCTIONS.has(name.toLowerCase()));
  if (badFunction !== undefined) return `the table function ${badFunction} is not available in runbook queries: they read cloudtrail_logs`;
  return undefined;
}

/** DuckDB's syntax tree of the one SELECT in `sql`, or why there is none. */
export async function parseSelect(connection: DuckDBConnection, sql: string): Promise<{ tree: unknown } | { problem: string }> {
  const statements = (await connection.extractStatements(sql)).count;
  if (statements !== 1) return { problem: `a cell holds exactly one SELECT statement; this one has ${statements}` };
  const serialized = await connection.runAndReadAll('SELECT json_serialize_sql($sql::VARCHAR)', { sql });
  const tree = JSON.parse(String(serialized.getRowsJS()[0]![0])) as { error: boolean; error_message?: string };
  if (!tree.error) return { tree };
  const message = tree.error_message ?? '';
  return {
    problem: /Only SELECT/i.test(message)
      ? 'only SELECT statements can run in a cell: it reads cloudtrail_logs and never changes anything'
      : message.split('\n')[0]!,
  };
}

/** Names of the functions the statement calls, lower case. */
export function calledFunctions(tree: unknown): Set<string> {
  const names = new Set<string>();
  walk(tree, (node) => {
    if (node.class === 'FUNCTION' && typeof node.function_name === 'string') names.add(node.function_name.toLowerCase());
  });
  return names;
}

/** Parses the statement with DuckDB and returns why it may not run, or undefined. */
export async function guardSql(connection: DuckDBConnection, sql: string): Promise<string | undefined> {
  const parsed = await parseSelect(connection, sql);
  return 'problem' in parsed ? parsed.problem : tableAccessProblem(parsed.tree);
}
