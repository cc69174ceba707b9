// What a runbook query may touch. Runbooks come from pull requests and run in CI, so a
// cell is held to what Athena would allow: one SELECT over `cloudtrail_logs` and the CTEs
// in scope where it names them. DuckDB would otherwise read any file or URL a table name
// spells (`FROM '~/.aws/credentials'`, `FROM "../secret.csv"`) and print it into a CI log.
//
// This is one of two independent layers: the DuckDB instances that run runbook SQL are
// also locked down (no file or network access outside the cache; see lockedDuckDB.ts).
// Each layer alone must stop every shape in test/unit/hostile-runbooks.test.ts.
//
// Names are resolved by scope, as DuckDB's binder does: a CTE is visible in the query
// node that declares it (its body, its subqueries, and the CTEs declared after it),
// never beside or above it. Where DuckDB does not bind a name to a CTE it tries a file,
// so guessing scope too widely is the hole this file once had. Every table name must
// also be a plain identifier: a file or URL needs a `.`, `/`, `~`, `*` or `:`, so that
// rule alone stops them, and Athena accepts nothing else either.
import type { DuckDBConnection } from '@duckdb/node-api';
import { firstLine } from '../protocol/firstLine';
import { onlyRow } from './onlyRow';

const ALLOWED_TABLE_FUNCTIONS = new Set(['unnest', 'generate_series', 'range']);
const PLAIN_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Table references that read nothing but their own children. */
const INNER_TABLE_REFS = new Set(['JOIN', 'SUBQUERY', 'EMPTY', 'EXPRESSION_LIST', 'PIVOT']);

interface Node {
  [key: string]: unknown;
}

type Scope = ReadonlySet<string>;

const isNode = (value: unknown): value is Node => value !== null && typeof value === 'object' && !Array.isArray(value);

class AccessDenied extends Error {}

function plus(scope: Scope, name: string): Scope {
  return new Set([...scope, name.toLowerCase()]);
}

function checkTableName(name: string, scope: Scope, node: Node): void {
  const schema = typeof node.schema_name === 'string' ? node.schema_name : '';
  const catalog = typeof node.catalog_name === 'string' ? node.catalog_name : '';
  if (schema !== '' || catalog !== '') {
    throw new AccessDenied(
      `unknown table ${[catalog, schema, name].filter(Boolean).join('.')}: runbook queries read the table cloudtrail_logs`,
    );
  }
  if (!PLAIN_IDENTIFIER.test(name)) {
    throw new AccessDenied(
      `the table name ${JSON.stringify(name)} is not a plain name: runbook queries read the table cloudtrail_logs, never a file or URL`,
    );
  }
  const lower = name.toLowerCase();
  if (lower !== 'cloudtrail_logs' && !scope.has(lower)) {
    throw new AccessDenied(
      `unknown table ${name}: runbook queries read the table cloudtrail_logs (and CTEs declared in an enclosing WITH)`,
    );
  }
}

function checkTableRef(node: Node, scope: Scope): void {
  const type = String(node.type);
  if (type === 'BASE_TABLE') {
    checkTableName(String(node.table_name), scope, node);
  } else if (type === 'TABLE_FUNCTION') {
    const fn = isNode(node.function) ? node.function.function_name : undefined;
    const name = typeof fn === 'string' ? fn : '(unknown)';
    if (!ALLOWED_TABLE_FUNCTIONS.has(name.toLowerCase())) {
      throw new AccessDenied(`the table function ${name} is not available in runbook queries: they read cloudtrail_logs`);
    }
  } else if (!INNER_TABLE_REFS.has(type)) {
    throw new AccessDenied(`${type.toLowerCase().replace(/_/g, ' ')} is not available in runbook queries: they read cloudtrail_logs`);
  }
}

/** True for the objects DuckDB serialises as table references (FROM items). */
function isTableRef(node: Node): boolean {
  return typeof node.type === 'string' && 'alias' in node && 'sample' in node && !('class' in node) && !('cte_map' in node);
}

function visit(value: unknown, scope: Scope): void {
  if (Array.isArray(value)) {
    for (const item of value) visit(item, scope);
    return;
  }
  if (!isNode(value)) return;
  if ('cte_map' in value) return visitQueryNode(value, scope);
  if (isTableRef(value)) checkTableRef(value, scope);
  for (const child of Object.values(value)) visit(child, scope);
}

/** A query node: its CTEs are in scope for what follows them in it, and nowhere else. */
function visitQueryNode(node: Node, outer: Scope): void {
  const entries = isNode(node.cte_map) && Array.isArray(node.cte_map.map) ? (node.cte_map.map as Node[]) : [];
  let scope = outer;
  for (const entry of entries) {
    const name = String(entry.key);
    if (!PLAIN_IDENTIFIER.test(name)) {
      throw new AccessDenied(`the CTE name ${JSON.stringify(name)} is not a plain name: name CTEs like columns (letters, digits, _)`);
    }
    // A CTE does not see itself unless it is recursive; the recursive node adds its own name.
    visit(entry.value, scope);
    scope = plus(scope, name);
  }
  if (node.type === 'RECURSIVE_CTE_NODE') {
    visit(node.left, scope);
    visit(node.right, plus(scope, String(node.cte_name)));
    for (const [key, child] of Object.entries(node)) if (key !== 'left' && key !== 'right' && key !== 'cte_map') visit(child, scope);
    return;
  }
  for (const [key, child] of Object.entries(node)) if (key !== 'cte_map') visit(child, scope);
}

/** Why the statement may not run, or undefined when it may. */
export function tableAccessProblem(tree: unknown): string | undefined {
  try {
    visit(tree, new Set());
    return undefined;
  } catch (error) {
    if (error instanceof AccessDenied) return error.message;
    if (error instanceof RangeError) return 'the query is nested too deeply to check';
    throw error;
  }
}

/** DuckDB's syntax tree of the one SELECT in `sql`, or why there is none. */
export async function parseSelect(connection: DuckDBConnection, sql: string): Promise<{ tree: unknown } | { problem: string }> {
  const statements = (await connection.extractStatements(sql)).count;
  if (statements !== 1) return { problem: `a cell holds exactly one SELECT statement; this one has ${statements}` };
  const serialized = await connection.runAndReadAll('SELECT json_serialize_sql($sql::VARCHAR)', { sql });
  const tree = JSON.parse(String(onlyRow(serialized.getRowsJS())[0])) as { error: boolean; error_message?: string };
  if (!tree.error) return { tree };
  const message = tree.error_message ?? '';
  return {
    problem: /Only SELECT/i.test(message)
      ? 'only SELECT statements can run in a cell: it reads cloudtrail_logs and never changes anything'
      : firstLine(message),
  };
}

/** Every function call in the statement's tree (CTEs, subqueries and lambdas included). */
function functionCalls(tree: unknown): Node[] {
  const calls: Node[] = [];
  const stack: unknown[] = [tree];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) stack.push(...value);
    else if (isNode(value)) {
      if (value.class === 'FUNCTION' && typeof value.function_name === 'string') calls.push(value);
      stack.push(...Object.values(value));
    }
  }
  return calls;
}

/** Names of the functions the statement calls, lower case. */
export function calledFunctions(tree: unknown): Set<string> {
  return new Set(functionCalls(tree).map((call) => String(call.function_name).toLowerCase()));
}

const RECURSES_ON_DEPTH =
  "it recurses once per level of the JSON it reads, and a log's text can nest deep enough to crash the process running the query";

/**
 * Functions a runbook may not call, and why.
 * - json_structure() and json_group_structure() recurse once per level of the JSON text they
 *   are given and kill the process running the query past a few thousand levels (measured:
 *   20,000 levels, SIGSEGV): the CLI, or VS Code's extension host. Every text of a log is the
 *   attacker's, a string field's content included (`"userAgent": "[[[[…"` nests nowhere in
 *   the file), so no check of the files can keep such a text out of the cache. The other JSON
 *   functions were tried on such a text (extraction, ->>, json_contains, json_keys,
 *   json_transform, json_merge_patch, casts) and answer or fail with an error.
 * - json_serialize_plan() binds and plans the SQL text it is given, which this guard never
 *   sees: its tables, and the files a table function opens to learn its columns.
 * Athena has none of them, so no runbook that also runs there loses anything.
 */
const REFUSED_FUNCTIONS = new Map([
  ['json_structure', RECURSES_ON_DEPTH],
  ['json_group_structure', RECURSES_ON_DEPTH],
  ['json_serialize_plan', 'it plans the SQL text it is given, which is never checked as a cell is'],
]);

/**
 * Functions whose last argument is a structure that DuckDB turns into a type. Its time grows
 * with about the cube of the depth, and DuckDB folds an expression into the structure
 * (`repeat('{"a":', 20000) || …`), so a short query can build a deep one. Lint prepares a cell
 * for a runbook just opened, which folds a call on constants: 128 levels took 48 ms, 512
 * levels 2.5 s, 1,000 levels 17 s, and 20,000 crashed the process (SIGSEGV), which in the
 * editor is the extension host. A run over a column pays at execution (700 levels 2.2 s,
 * 20,000 over a minute). So the structure must be a string literal nesting at most this
 * deep: a CloudTrail field is a handful of levels.
 */
const STRUCTURE_FUNCTIONS = new Set(['json_transform', 'json_transform_strict', 'from_json', 'from_json_strict']);
export const MAX_STRUCTURE_DEPTH = 32;

/**
 * How deep the JSON text nests (its brackets outside strings), without parsing it. The local
 * reader's jsonDepth.ts follows whole files so, as bytes in chunks with lines and records;
 * a structure is a short string, and the engine does not import the sources.
 */
function jsonNesting(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '[' || c === '{') deepest = Math.max(deepest, ++depth);
    else if (c === ']' || c === '}') depth--;
  }
  return deepest;
}

/** The text of a string literal, or undefined for anything else (an expression, a cast, NULL). */
function stringLiteral(node: unknown): string | undefined {
  if (!isNode(node) || node.class !== 'CONSTANT' || !isNode(node.value)) return undefined;
  const { type, is_null: isNull, value } = node.value;
  return isNode(type) && type.id === 'VARCHAR' && isNull === false && typeof value === 'string' ? value : undefined;
}

function structureProblem(name: string, call: Node): string | undefined {
  const args = Array.isArray(call.children) ? call.children : [];
  // The structure is the last argument, also in method syntax (`x.from_json('…')`, where x is no argument).
  const structure = stringLiteral(args[args.length - 1]);
  if (structure === undefined) {
    return `${name}()'s structure must be written out as a string literal: DuckDB builds a type from it, and one built by an expression can be deep enough to hang or crash the process checking or running the runbook`;
  }
  const levels = jsonNesting(structure);
  if (levels > MAX_STRUCTURE_DEPTH) {
    return `${name}()'s structure nests ${levels} levels, more than ${MAX_STRUCTURE_DEPTH}: DuckDB's time to build its type grows with about the cube of the depth, and a deep one crashes the process checking or running the runbook`;
  }
  return undefined;
}

/** Why the statement calls a function it may not, or calls one in a way it may not; undefined when it does neither. */
function refusedFunctionProblem(tree: unknown): string | undefined {
  for (const call of functionCalls(tree)) {
    const name = String(call.function_name).toLowerCase();
    const refused = REFUSED_FUNCTIONS.get(name);
    if (refused !== undefined) return `${name}() cannot run in a runbook query: ${refused}`;
    if (STRUCTURE_FUNCTIONS.has(name)) {
      const problem = structureProblem(name, call);
      if (problem !== undefined) return problem;
    }
  }
  return undefined;
}

/**
 * Expressions nested deeper than this are refused. DuckDB's parser allows 1,000 levels, but
 * binding takes time that grows with about the cube of the depth (measured: a list literal
 * nested 128 levels 125 ms, 300 levels 1.2 s, 990 levels 30 s; struct_pack() nested 300
 * levels 5.1 s), and lint binds every cell of a runbook just opened. The deepest cell of
 * the bundled runbooks nests 16 levels.
 */
export const MAX_EXPRESSION_DEPTH = 128;

/** Why the statement nests its expressions too deeply to bind in good time, or undefined. */
function nestingProblem(tree: unknown): string | undefined {
  let deepest = 0;
  const stack: [unknown, number][] = [[tree, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (Array.isArray(value)) for (const item of value) stack.push([item, depth]);
    else if (isNode(value)) {
      // Expressions are the nodes with a class (FUNCTION, CONSTANT, SUBQUERY, …).
      const here = typeof value.class === 'string' ? depth + 1 : depth;
      deepest = Math.max(deepest, here);
      for (const child of Object.values(value)) stack.push([child, here]);
    }
  }
  return deepest > MAX_EXPRESSION_DEPTH
    ? `the query nests its expressions ${deepest} levels deep, more than ${MAX_EXPRESSION_DEPTH}: DuckDB's time to bind it grows with about the cube of the depth`
    : undefined;
}

/** Every refusal of a parsed statement, in the order a run and lint give them. */
export function treeProblem(tree: unknown): string | undefined {
  return nestingProblem(tree) ?? tableAccessProblem(tree) ?? refusedFunctionProblem(tree);
}

/** Parses the statement with DuckDB and returns why it may not run, or undefined. */
export async function guardSql(connection: DuckDBConnection, sql: string): Promise<string | undefined> {
  const parsed = await parseSelect(connection, sql);
  return 'problem' in parsed ? parsed.problem : treeProblem(parsed.tree);
}
