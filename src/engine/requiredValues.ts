// The string values a cell's WHERE requires of every event it can return. A detection is
// usually `eventName IN ('StopLogging', 'DeleteTrail') AND eventSource = '…'`: an event it
// returns holds one of those strings as a JSON string in its record, so a log file whose
// raw text holds none of them cannot add a row, and a cold scan's first answer need not
// parse it (sources/local/valuePrefilter.ts).
//
// That holds only where the comparison is of the stored value exactly as the log wrote it,
// so this takes a conjunct only when it is certain, and ignores the rest (an ignored
// conjunct only lets more files through):
// - the statement is one SELECT over one reference to cloudtrail_logs: no join, subquery,
//   CTE, set operation or sample, which could read events the WHERE does not filter;
// - the conjunct is at the top of WHERE (joined by AND), `column = 'text'` or
//   `column IN ('text', …)`, with a plain string constant (no cast, no collation), or an OR
//   whose every side requires a string so (each side's first requirement, any of them);
// - the column is a text leaf stored as the log wrote it: a VARCHAR column or struct field,
//   not eventTime (stored in one canonical form), not JSON text, a map or a list;
// - the text is not itself valid JSON (a number, true, null or an object in the log is
//   stored as its JSON text, which would equal such a constant without the string being
//   in the file), and holds no quote, backslash or control character (which the log could
//   only write escaped). A log may write any character as `\uXXXX` and `/` as `\/`: the
//   prefilter lets every file holding those escapes through.
import { CLOUDTRAIL_RECORD, type FieldType } from './schema';

type Node = { [key: string]: unknown };
const isNode = (value: unknown): value is Node => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Each inner list is one conjunct: a matching event holds at least one of its strings. */
export type RequiredValues = readonly (readonly string[])[];

const TABLE = 'cloudtrail_logs';

export function valuesTheCellRequires(tree: unknown): RequiredValues {
  const select = onlySelect(tree);
  if (!select) return [];
  const from = select.from_table;
  if (!isNode(from) || from.type !== 'BASE_TABLE' || String(from.table_name).toLowerCase() !== TABLE || from.sample !== null) return [];
  if (String(from.schema_name ?? '') !== '' || String(from.catalog_name ?? '') !== '') return [];
  if (countTableRefs(select) !== 1 || select.sample !== null) return [];
  const names = [TABLE, typeof from.alias === 'string' ? from.alias.toLowerCase() : ''].filter((name) => name !== '');
  // An alias that is also a column's name makes `x.y` ambiguous: take nothing.
  if (names.some((name) => fieldOf(CLOUDTRAIL_RECORD, name) !== undefined)) return [];
  const required: string[][] = [];
  for (const conjunct of conjuncts(select.where_clause)) {
    const values = requiredBy(conjunct, names);
    if (values) required.push(values);
  }
  return required;
}

function onlySelect(tree: unknown): Node | undefined {
  if (!isNode(tree) || !Array.isArray(tree.statements) || tree.statements.length !== 1) return undefined;
  const [statement] = tree.statements as unknown[];
  const node = isNode(statement) ? statement.node : undefined;
  if (!isNode(node) || node.type !== 'SELECT_NODE') return undefined;
  const ctes = node.cte_map;
  if (isNode(ctes) && Array.isArray(ctes.map) && ctes.map.length > 0) return undefined;
  return node;
}

/** Every table, subquery or table function the statement reads, anywhere in it. */
function countTableRefs(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + countTableRefs(item), 0);
  if (!isNode(value)) return 0;
  const isRef = typeof value.type === 'string' && 'alias' in value && 'sample' in value;
  const isSubquery = value.class === 'SUBQUERY';
  return (isRef || isSubquery ? 1 : 0) + Object.values(value).reduce((sum: number, child) => sum + countTableRefs(child), 0);
}

function conjuncts(where: unknown): unknown[] {
  if (isNode(where) && where.class === 'CONJUNCTION' && where.type === 'CONJUNCTION_AND' && Array.isArray(where.children))
    return where.children.flatMap(conjuncts);
  return where === null || where === undefined ? [] : [where];
}

function requiredBy(conjunct: unknown, tableNames: readonly string[]): string[] | undefined {
  if (!isNode(conjunct)) return undefined;
  if (conjunct.class === 'CONJUNCTION' && conjunct.type === 'CONJUNCTION_OR' && Array.isArray(conjunct.children))
    return requiredByEither(conjunct.children, tableNames);
  let column: unknown;
  let constants: unknown[];
  if (conjunct.class === 'COMPARISON' && conjunct.type === 'COMPARE_EQUAL') {
    // Either side may be the column.
    [column, constants] = isConstant(conjunct.left) ? [conjunct.right, [conjunct.left]] : [conjunct.left, [conjunct.right]];
  } else if (conjunct.class === 'OPERATOR' && conjunct.type === 'COMPARE_IN' && Array.isArray(conjunct.children)) {
    [column, ...constants] = conjunct.children as unknown[];
  } else return undefined;
  if (!isStoredAsWritten(column, tableNames)) return undefined;
  const values: string[] = [];
  for (const constant of constants) {
    const text = searchableText(constant);
    if (text === undefined) return undefined;
    values.push(text);
  }
  return values.length > 0 ? values : undefined;
}

/**
 * `a OR b`: an event that passes it passes one side, so it holds a string that side requires.
 * One requirement of each side, together, is then required (any of them); a side that
 * requires nothing makes the whole require nothing.
 */
function requiredByEither(sides: readonly unknown[], tableNames: readonly string[]): string[] | undefined {
  const values: string[] = [];
  for (const side of sides) {
    const [first] = conjuncts(side)
      .map((conjunct) => requiredBy(conjunct, tableNames))
      .filter((required) => required !== undefined);
    if (first === undefined) return undefined;
    values.push(...first);
  }
  return values.length > 0 ? [...new Set(values)] : undefined;
}

function isConstant(value: unknown): boolean {
  return isNode(value) && value.class === 'CONSTANT';
}

/** A column reference naming a VARCHAR leaf the store keeps as the log wrote it. */
function isStoredAsWritten(value: unknown, tableNames: readonly string[]): boolean {
  if (!isNode(value) || value.class !== 'COLUMN_REF' || !Array.isArray(value.column_names)) return false;
  let path = value.column_names.map((part) => String(part));
  const [first] = path;
  if (first !== undefined && tableNames.includes(first.toLowerCase())) path = path.slice(1);
  if (path.length === 0 || path[0]?.toLowerCase() === 'eventtime') return false;
  let type: FieldType | undefined = CLOUDTRAIL_RECORD;
  for (const part of path) type = type?.kind === 'struct' ? fieldOf(type, part) : undefined;
  return type?.kind === 'varchar';
}

/** A struct's field by name, as DuckDB resolves it: case-insensitively. */
function fieldOf(struct: Extract<FieldType, { kind: 'struct' }>, name: string): FieldType | undefined {
  const lower = name.toLowerCase();
  for (const [field, type] of Object.entries(struct.fields)) if (field.toLowerCase() === lower) return type;
  return undefined;
}

function searchableText(constant: unknown): string | undefined {
  if (!isNode(constant) || constant.class !== 'CONSTANT' || constant.type !== 'VALUE_CONSTANT') return undefined;
  const value = constant.value;
  if (!isNode(value) || value.is_null !== false || !isNode(value.type) || value.type.id !== 'VARCHAR') return undefined;
  const text = value.value;
  if (typeof text !== 'string' || text === '' || /["\\\u0000-\u001f\u007f]/.test(text)) return undefined;
  if (isJson(text)) return undefined;
  return text;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
