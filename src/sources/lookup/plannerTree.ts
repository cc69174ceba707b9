// Reading DuckDB's serialized syntax tree (json_serialize_sql) for the LookupEvents planner:
// which column an expression names, which string constant a value is, and which columns a
// predicate mentions. Everything here is deliberately narrow: what it does not recognise is
// not pushed down.

export interface TreeNode {
  readonly [key: string]: unknown;
}

export function isNode(value: unknown): value is TreeNode {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function children(node: TreeNode): TreeNode[] {
  return Array.isArray(node.children) ? node.children.filter(isNode) : [];
}

/** Every object in the tree, the root included. */
export function everyNode(value: unknown, visit: (node: TreeNode) => void): void {
  if (Array.isArray(value)) value.forEach((item) => everyNode(item, visit));
  else if (isNode(value)) {
    visit(value);
    Object.values(value).forEach((item) => everyNode(item, visit));
  }
}

/** The table's qualifier as a query may write it: its alias, or its name when it has none. */
export interface TableScope {
  readonly qualifier: string;
}

/** The string a VARCHAR constant holds (also through a cast to VARCHAR), else undefined. */
export function stringConstant(node: TreeNode): string | undefined {
  if (node.class === 'CAST') {
    const target = (node.cast_type as TreeNode | undefined)?.id;
    return target === 'VARCHAR' && isNode(node.child) ? stringConstant(node.child) : undefined;
  }
  if (node.class !== 'CONSTANT' || !isNode(node.value)) return undefined;
  const value = node.value;
  const type = (value.type as TreeNode | undefined)?.id;
  if (type !== 'VARCHAR' || value.is_null !== false || typeof value.value !== 'string') return undefined;
  return value.value;
}

/**
 * The column paths (lower case, dot-separated, without the table qualifier) that an
 * expression may name exactly: `eventName`, `t.eventName`, `userIdentity.accessKeyId`,
 * `userIdentity['accessKeyId']`, `struct_extract(userIdentity, 'accessKeyId')`. More than
 * one when a qualifier is also a column's name; empty when the expression is anything else.
 */
export function columnPaths(node: TreeNode, scope: TableScope): string[] {
  if (node.class === 'COLUMN_REF' && Array.isArray(node.column_names)) {
    const parts = node.column_names.map((part) => String(part).toLowerCase());
    const paths = [parts.join('.')];
    if (parts.length > 1 && parts[0] === scope.qualifier.toLowerCase()) paths.unshift(parts.slice(1).join('.'));
    return paths;
  }
  const isFieldAccess =
    (node.class === 'OPERATOR' && node.type === 'ARRAY_EXTRACT') ||
    (node.class === 'FUNCTION' && String(node.function_name).toLowerCase() === 'struct_extract');
  if (isFieldAccess) {
    const [base, field] = children(node);
    const name = field === undefined ? undefined : stringConstant(field);
    if (base === undefined || name === undefined || children(node).length !== 2) return [];
    return columnPaths(base, scope).map((path) => `${path}.${name.toLowerCase()}`);
  }
  return [];
}

/** Every column path mentioned anywhere inside an expression, including partial ones. */
export function mentionedPaths(node: TreeNode, scope: TableScope): Set<string> {
  const paths = new Set<string>();
  everyNode(node, (inner) => columnPaths(inner, scope).forEach((path) => paths.add(path)));
  return paths;
}

/** The conjuncts of a top-level AND (nested ANDs flattened), or the predicate itself. */
export function conjuncts(node: TreeNode): TreeNode[] {
  if (node.class === 'CONJUNCTION' && node.type === 'CONJUNCTION_AND') return children(node).flatMap(conjuncts);
  return [node];
}
