// Checks a cell's SQL without running it: one SELECT, over `cloudtrail_logs` only, that
// DuckDB can parse and bind against the schema (so unknown columns and functions are
// caught in a pull request, not at 3 am).
import type { DuckDBConnection } from '@duckdb/node-api';
import { openLockedDuckDB } from './lockedDuckDB';
import { COLUMN_DEFINITIONS } from './schema';
import { placeSqlError } from './sqlErrorPlace';
import { calledFunctions, parseSelect, treeProblem } from './sqlGuard';
import { installTrinoFunctions, NONDETERMINISTIC_TRINO_FUNCTIONS, UNSUPPORTED_TRINO_FUNCTIONS } from './trinoFunctions';

export interface SqlProblem {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  /** 1-based line within the SQL, when DuckDB says. */
  readonly sqlLine?: number;
  /** 0-based column in that line, and the length of the name there, when DuckDB's error places one. */
  readonly sqlColumn?: number;
  readonly length?: number;
  /** DuckDB's candidate for that name ("did you mean"), for a quick fix. */
  readonly replacement?: string;
}

/**
 * A connection with an empty `cloudtrail_logs` table of the real schema, for checking.
 * Lint runs on runbooks nobody has vetted (a pull request, a file just opened), so its
 * instance reaches no file at all: binding `FROM 'x.csv'` fails before it opens anything.
 */
export async function openSqlChecker(): Promise<{ connection: DuckDBConnection; close(): void }> {
  const instance = await openLockedDuckDB({
    allowedDirectories: [],
    threads: 1,
    prepare: async (connection) => {
      await installTrinoFunctions(connection);
      await connection.run(`CREATE TABLE cloudtrail_logs (${COLUMN_DEFINITIONS})`);
    },
  });
  const connection = await instance.connect();
  return {
    connection,
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

export async function checkSql(connection: DuckDBConnection, sql: string): Promise<SqlProblem[]> {
  try {
    await connection.extractStatements(sql);
  } catch (error) {
    return [{ severity: 'error', ...placeSqlError((error as Error).message, sql) }];
  }
  const parsed = await parseSelect(connection, sql);
  if ('problem' in parsed) return [{ severity: 'error', message: parsed.problem }];
  // The same refusals as a run's (guardSql), so that lint says what the run would.
  const refused = treeProblem(parsed.tree);
  if (refused) return [{ severity: 'error', message: refused }];
  const problems: SqlProblem[] = [];
  const called = calledFunctions(parsed.tree);
  for (const fn of UNSUPPORTED_TRINO_FUNCTIONS) {
    if (!called.has(fn.name)) continue;
    const instead = fn.instead === '—' ? '' : `; instead: ${fn.instead}`;
    problems.push({
      severity: 'warning',
      message: `${fn.name} does not behave as in Athena here (${fn.reason.replace(/\.$/, '')})${instead}`,
    });
  }
  for (const fn of NONDETERMINISTIC_TRINO_FUNCTIONS) {
    if (!called.has(fn.name)) continue;
    problems.push({
      severity: 'warning',
      message: `${fn.name} gives different rows in Athena than here (${fn.reason}); instead: ${fn.instead}`,
    });
  }
  for (const field of correlatedStructFields(parsed.tree)) {
    problems.push({
      severity: 'warning',
      message: `a subquery refers to ${field}, a field of a row of the enclosing query: Athena (Trino) cannot run a subquery correlated on a row's field ("Given correlated subquery is not supported", or EXPRESSION_NOT_AGGREGATE after GROUP BY); select the field in a CTE and join it instead, e.g. LEFT JOIN the CTE ON it and keep the rows WHERE the CTE's column IS NULL for NOT EXISTS`,
    });
  }
  try {
    const prepared = await connection.prepare(sql);
    prepared.destroySync();
  } catch (error) {
    problems.push({ severity: 'error', ...placeSqlError((error as Error).message, sql) });
  }
  return problems;
}

// ------------------------------------------- subqueries correlated on a row's field
//
// Trino decorrelates `r.x = c.eventName` but not `r.x = c.userIdentity.accessKeyId`: a
// subquery expression (EXISTS, IN, scalar) that reads a field of a row column of an
// enclosing query fails there. In DuckDB's syntax tree (before binding) such a reference
// is a COLUMN_REF of three or more names whose first is a table name or alias visible from
// an enclosing query and not declared in the subquery's own FROM. Names resolve as in SQL:
// a subquery's own FROM shadows enclosing ones; a derived table or CTE body does not see the
// FROM beside it (LATERAL is not looked at). A two-name reference (`c.eventName`) is a plain
// column, which Trino runs, and is not reported.

type TreeNode = { [key: string]: unknown };
const isTreeNode = (value: unknown): value is TreeNode => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Names a FROM clause declares: each table's alias, or its name when it has none. */
function fromNames(table: unknown, into: Set<string>): Set<string> {
  if (!isTreeNode(table)) return into;
  const alias = typeof table.alias === 'string' && table.alias !== '' ? table.alias : undefined;
  if (table.type === 'JOIN') {
    fromNames(table.left, into);
    fromNames(table.right, into);
  } else if (alias) {
    into.add(alias.toLowerCase());
  } else if (table.type === 'BASE_TABLE' && typeof table.table_name === 'string') {
    into.add(table.table_name.toLowerCase());
  }
  return into;
}

/** `alias.column.field…` references, in subqueries, to rows of an enclosing query. */
export function correlatedStructFields(tree: unknown): string[] {
  const found = new Set<string>();
  // `outer`: names of enclosing queries a subquery expression here may correlate with;
  // `own`: names the current query's FROM declares.
  const expression = (value: unknown, outer: ReadonlySet<string>, own: ReadonlySet<string>): void => {
    if (Array.isArray(value)) {
      for (const item of value) expression(item, outer, own);
      return;
    }
    if (!isTreeNode(value)) return;
    if ('cte_map' in value && typeof value.type === 'string') return query(value, outer);
    if (value.class === 'SUBQUERY') {
      // `x IN (…)`: x belongs to this query; the subquery sees this query's names too.
      expression(value.child, outer, own);
      const body = isTreeNode(value.subquery) ? value.subquery.node : undefined;
      if (isTreeNode(body)) query(body, new Set([...outer, ...own]));
      return;
    }
    if (value.class === 'COLUMN_REF' && Array.isArray(value.column_names)) {
      const names = value.column_names.map(String);
      const first = names[0]?.toLowerCase();
      if (names.length >= 3 && first !== undefined && outer.has(first) && !own.has(first)) found.add(names.join('.'));
      return;
    }
    for (const child of Object.values(value)) expression(child, outer, own);
  };
  const query = (node: TreeNode, outer: ReadonlySet<string>): void => {
    const own = node.type === 'SELECT_NODE' ? fromNames(node.from_table, new Set()) : new Set<string>();
    // Names an enclosing query declares are not correlated when this query redeclares them.
    const visible = new Set([...outer].filter((name) => !own.has(name)));
    for (const [key, child] of Object.entries(node)) {
      if (key === 'cte_map') {
        const entries = isTreeNode(child) && Array.isArray(child.map) ? child.map : [];
        for (const entry of entries) expression(isTreeNode(entry) ? entry.value : undefined, visible, new Set());
      } else {
        expression(child, visible, own);
      }
    }
  };
  try {
    expression(tree, new Set(), new Set());
  } catch (error) {
    // A tree too deep to walk is reported by the access check; this warning is only advice.
    if (!(error instanceof RangeError)) throw error;
  }
  return [...found];
}
