// The LookupEvents pushdown planner. LookupEvents takes one lookup attribute per call,
// matched exactly and case-sensitively. From a runbook query's WHERE clause the planner picks
// the most selective predicate that maps exactly onto an attribute, so that AWS sends fewer
// events; DuckDB then applies the whole WHERE clause locally to what was fetched, so the
// choice can only change how much is fetched, never the result. When in doubt nothing is
// pushed down (a full read of the window): correct before fast.
import type { DuckDBConnection } from '@duckdb/node-api';
import { parseSelect } from '../../engine/sqlGuard';
import { firstLine } from '../../protocol/firstLine';
import {
  children,
  columnPaths,
  conjuncts,
  everyNode,
  isNode,
  mentionedPaths,
  stringConstant,
  type TableScope,
  type TreeNode,
} from './plannerTree';

export type LookupKey = 'EventId' | 'AccessKeyId' | 'EventName' | 'EventSource' | 'ReadOnly';

export interface LookupPlan {
  /** One LookupEvents call sequence per entry; empty array = none (a full scan of the window, no attribute). */
  readonly lookups: ReadonlyArray<{ readonly key: LookupKey; readonly value: string }>;
  /** Human sentences: what AWS filters, what is filtered locally and why, other candidates not chosen. */
  readonly explanation: readonly string[];
}

interface Attribute {
  readonly key: LookupKey;
  /** The column path as columnPaths spells it (lower case). */
  readonly path: string;
  /** The column as CloudTrail spells it, for sentences. */
  readonly column: string;
}

/** The attributes that map exactly onto a column, most selective first. */
const ATTRIBUTES: readonly Attribute[] = [
  { key: 'EventId', path: 'eventid', column: 'eventID' },
  { key: 'AccessKeyId', path: 'useridentity.accesskeyid', column: 'userIdentity.accessKeyId' },
  { key: 'EventName', path: 'eventname', column: 'eventName' },
  { key: 'EventSource', path: 'eventsource', column: 'eventSource' },
  { key: 'ReadOnly', path: 'readonly', column: 'readOnly' },
];

/** Columns that look like a lookup attribute but do not mean the same thing. */
const NOT_MAPPED: ReadonlyArray<{ readonly matches: (path: string) => boolean; readonly column: string; readonly why: string }> = [
  {
    matches: (path) => path === 'useridentity.username',
    column: 'userIdentity.userName',
    why: "LookupEvents' Username is not always userIdentity.userName (for an assumed role it is the role session name)",
  },
  {
    matches: (path) => path === 'resources' || path.startsWith('resources.'),
    column: 'resources',
    why: "LookupEvents' ResourceName does not match the resources column's names and ARNs the same way",
  },
];

const LOCAL_NOTE =
  'DuckDB applies the whole WHERE clause locally to every fetched event: pushdown only narrows what is fetched, never what the query returns.';

interface Candidate {
  readonly attribute: Attribute;
  readonly values: readonly string[];
  readonly order: number;
}

const quote = (value: string): string => JSON.stringify(value);

function attributeOf(node: TreeNode, scope: TableScope): Attribute | undefined {
  const paths = columnPaths(node, scope);
  return ATTRIBUTES.find((attribute) => paths.includes(attribute.path));
}

/** Why a value cannot be sent for an attribute, or undefined when it can. */
function valueProblem(attribute: Attribute, value: string): string | undefined {
  if (value === '') return 'it compares with an empty string, which LookupEvents does not accept';
  if (attribute.key === 'ReadOnly' && value !== 'true' && value !== 'false')
    return `it compares with ${quote(value)}, and LookupEvents' ReadOnly only takes "true" or "false"`;
  return undefined;
}

/** The conjunct as a candidate, or why a comparison on an attribute's column is not one. */
function asCandidate(node: TreeNode, scope: TableScope, order: number): Candidate | { problem: string } | undefined {
  let attribute: Attribute | undefined;
  let values: Array<string | undefined> = [];
  if (node.class === 'COMPARISON' && node.type === 'COMPARE_EQUAL' && isNode(node.left) && isNode(node.right)) {
    const leftAttribute = attributeOf(node.left, scope);
    const rightAttribute = attributeOf(node.right, scope);
    if (leftAttribute !== undefined) [attribute, values] = [leftAttribute, [stringConstant(node.right)]];
    else if (rightAttribute !== undefined) [attribute, values] = [rightAttribute, [stringConstant(node.left)]];
  } else if (node.class === 'OPERATOR' && node.type === 'COMPARE_IN') {
    const [column, ...list] = children(node);
    attribute = column === undefined ? undefined : attributeOf(column, scope);
    values = list.map(stringConstant);
  }
  if (attribute === undefined) return undefined;
  const strings = values.filter((value): value is string => value !== undefined);
  if (strings.length === 0 || strings.length !== values.length)
    return {
      problem: `The condition on ${attribute.column} is not pushed down: it compares with something other than string constants; DuckDB applies it locally.`,
    };
  for (const value of strings) {
    const problem = valueProblem(attribute, value);
    if (problem !== undefined)
      return { problem: `The condition on ${attribute.column} is not pushed down: ${problem}; DuckDB applies it locally.` };
  }
  return { attribute, values: [...new Set(strings)], order };
}

/** Sentences for a conjunct that is not a candidate but mentions lookup-like columns. */
function notPushed(node: TreeNode, scope: TableScope): string[] {
  const paths = [...mentionedPaths(node, scope)];
  const sentences: string[] = [];
  for (const attribute of ATTRIBUTES) {
    if (!paths.includes(attribute.path)) continue;
    const where =
      node.type === 'CONJUNCTION_OR'
        ? 'sits under OR, so an event may be returned without meeting it'
        : node.type === 'OPERATOR_NOT'
          ? 'sits under NOT, so it does not say which events to fetch'
          : `is not \`${attribute.column} = 'value'\` or \`${attribute.column} IN ('a', 'b')\` on the column itself (a function, LIKE, <>, a cast, NOT IN …), which LookupEvents cannot apply exactly`;
    sentences.push(`The condition on ${attribute.column} ${where}: it is not pushed down and DuckDB applies it locally.`);
  }
  return sentences;
}

function mappedNowhere(node: TreeNode, scope: TableScope): string[] {
  const paths = [...mentionedPaths(node, scope)];
  return NOT_MAPPED.filter((entry) => paths.some(entry.matches)).map(
    (entry) => `The condition on ${entry.column} is not pushed down because ${entry.why}; DuckDB applies it locally.`,
  );
}

/** Why the statement's shape allows no pushdown, or its one table's qualifier. */
function shapeOf(tree: unknown): { scope: TableScope; where: TreeNode | undefined } | { problem: string } {
  const statements = isNode(tree) && Array.isArray(tree.statements) ? tree.statements : [];
  const root = isNode(statements[0]) ? statements[0].node : undefined;
  if (statements.length !== 1 || !isNode(root)) return { problem: 'the query is not a single SELECT' };
  if (root.type !== 'SELECT_NODE')
    return {
      problem: 'the query combines several SELECTs (UNION, INTERSECT or EXCEPT), and a condition of one part does not hold for the others',
    };
  const ctes = isNode(root.cte_map) && Array.isArray(root.cte_map.map) ? root.cte_map.map : [];
  if (ctes.length > 0)
    return { problem: 'the query has a WITH clause (CTE), and its conditions may not hold for every read of cloudtrail_logs' };
  const from = isNode(root.from_table) ? root.from_table : undefined;
  if (from?.type === 'JOIN') return { problem: 'the query joins tables, and a condition may hold for only one side of the join' };
  if (from?.type === 'SUBQUERY') return { problem: 'the query reads from a subquery, not from cloudtrail_logs directly' };
  const isCloudTrail =
    from?.type === 'BASE_TABLE' && String(from.table_name).toLowerCase() === 'cloudtrail_logs' && !from.schema_name && !from.catalog_name;
  if (!isCloudTrail) return { problem: 'the query does not read the table cloudtrail_logs directly' };
  let tables = 0;
  everyNode(root, (node) => {
    if (node.type === 'BASE_TABLE' || node.type === 'TABLE_FUNCTION') tables += 1;
  });
  if (tables !== 1)
    return { problem: 'the query reads tables more than once (a subquery), and the WHERE clause of one read does not hold for the other' };
  const qualifier = typeof from.alias === 'string' && from.alias !== '' ? from.alias : String(from.table_name);
  return { scope: { qualifier }, where: isNode(root.where_clause) ? root.where_clause : undefined };
}

function fullScan(why: string, more: readonly string[] = []): LookupPlan {
  return {
    lookups: [],
    explanation: [
      `Nothing is pushed down to LookupEvents: ${why}. Trailbook fetches every management event of the window, with no lookup attribute.`,
      LOCAL_NOTE,
      ...more,
    ],
  };
}

function describe(candidate: Candidate): string {
  const { attribute, values } = candidate;
  const [only, ...more] = values;
  return only !== undefined && more.length === 0
    ? `${attribute.key} = ${quote(only)}`
    : `${attribute.key} in ${values.map(quote).join(', ')}`;
}

/** Which LookupEvents calls fetch a superset of what `sql` can return, and why. */
export async function planLookup(connection: DuckDBConnection, sql: string): Promise<LookupPlan> {
  const parsed = await parseSelect(connection, sql).catch((error: unknown) => ({
    problem: firstLine(String(error instanceof Error ? error.message : error)),
  }));
  if ('problem' in parsed) return fullScan(`DuckDB could not read the query (${parsed.problem})`);
  const shape = shapeOf(parsed.tree);
  if ('problem' in shape) return fullScan(shape.problem);
  const { scope, where } = shape;
  if (where === undefined) return fullScan('the query has no WHERE clause');

  const candidates: Candidate[] = [];
  const notes: string[] = [];
  conjuncts(where).forEach((node, order) => {
    const found = asCandidate(node, scope, order);
    if (found === undefined) notes.push(...notPushed(node, scope));
    else if ('problem' in found) notes.push(found.problem);
    else candidates.push(found);
    notes.push(...mappedNowhere(node, scope));
  });
  const uniqueNotes = [...new Set(notes)];

  const rank = (candidate: Candidate): number => ATTRIBUTES.indexOf(candidate.attribute);
  const ranked = [...candidates].sort((a, b) => rank(a) - rank(b) || a.values.length - b.values.length || a.order - b.order);
  const chosen = ranked[0];
  if (chosen === undefined) return fullScan('no condition of the WHERE clause maps exactly onto a lookup attribute', uniqueNotes);

  const lookups = chosen.values.map((value) => ({ key: chosen.attribute.key, value }));
  const how =
    lookups.length === 1
      ? `AWS filters by ${describe(chosen)} (from the condition on ${chosen.attribute.column}).`
      : `AWS filters by ${chosen.attribute.key}, one lookup per value (${lookups.length} lookups: ${chosen.values.map(quote).join(', ')}), from the condition on ${chosen.attribute.column}; together they cover every value it allows.`;
  const others = ranked
    .slice(1)
    .map((other) =>
      other.attribute === chosen.attribute && other.values.length === chosen.values.length
        ? `Also usable, not chosen: ${describe(other)} (the first of equally selective conditions was chosen); DuckDB applies it locally.`
        : `Also usable, not chosen: ${describe(other)} (${describe(chosen)} is more selective); DuckDB applies it locally.`,
    );
  return { lookups, explanation: [how, LOCAL_NOTE, ...others, ...uniqueNotes] };
}
