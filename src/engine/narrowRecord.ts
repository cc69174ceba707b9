// The record type a cold cell's narrow read converts (directAnswer.ts): the columns the cell
// reads, and of a struct column only the fields it reads, plus the skeleton every struct and
// list column needs so that a record of the wrong shape fails the narrow read exactly as it
// fails the full one.
//
// Why fields: converting `userIdentity` whole (twenty strings a record) was a sixth of the
// narrow read's CPU on a million events when the cell read only `userIdentity.arn`.
//
// Why the skeleton is enough: DuckDB's JSON reader fails a record only where a value cannot
// take the type asked for, and every leaf of the schema is VARCHAR, which takes any value
// (an object becomes its JSON text). So a record fails where a struct, list or map is asked
// for and something else is there, and the skeleton keeps every struct, list and map of the
// schema (a struct keeps one leaf when it has no struct, list or map to keep).
import type { FieldType } from './schema';

/** What a cell reads of a struct, list or map column: some paths of fields, or all of it. */
export type FieldsRead = 'whole' | readonly (readonly string[])[];

/** The part of `type` that fails on a record exactly when `type` does. */
export function skeleton(type: FieldType): FieldType {
  switch (type.kind) {
    case 'struct': {
      const entries = Object.entries(type.fields);
      const shaped = entries.filter(([, field]) => isShaped(field)).map(([name, field]) => [name, skeleton(field)] as const);
      const [first] = entries;
      if (shaped.length === 0 && first !== undefined) return { kind: 'struct', fields: { [first[0]]: first[1] } };
      return { kind: 'struct', fields: Object.fromEntries(shaped) };
    }
    case 'list':
      return { kind: 'list', item: skeleton(type.item) };
    default:
      return type;
  }
}

/** Struct, list and map: the kinds that refuse a value of another shape. */
export const isShaped = (type: FieldType): boolean => type.kind === 'struct' || type.kind === 'list' || type.kind === 'map';

/**
 * `type` with only what `read` names, over its skeleton, fields in the schema's order and
 * spelling. A path is matched without regard to case (as DuckDB matches fields); a name the
 * type does not have is left out (the cell then fails to bind on either table). A path that
 * ends at, or goes past, a list, map or leaf keeps that node whole.
 */
export function narrowType(type: FieldType, read: FieldsRead): FieldType {
  if (read === 'whole') return type;
  let narrowed = skeleton(type);
  for (const path of read) narrowed = merge(narrowed, along(type, path), type);
  return narrowed;
}

/** The part of `type` that `path` reaches, whole at its end. */
function along(type: FieldType, path: readonly string[]): FieldType {
  const [head, ...rest] = path;
  if (head === undefined || type.kind !== 'struct') return type;
  const found = Object.entries(type.fields).find(([name]) => name.toLowerCase() === head.toLowerCase());
  if (found === undefined) return { kind: 'struct', fields: {} };
  return { kind: 'struct', fields: { [found[0]]: along(found[1], rest) } };
}

/** Both parts together, the fields in the order the schema's `type` has them. */
function merge(a: FieldType, b: FieldType, type: FieldType): FieldType {
  if (a.kind === 'list' && b.kind === 'list' && type.kind === 'list') return { kind: 'list', item: merge(a.item, b.item, type.item) };
  if (a.kind !== 'struct' || b.kind !== 'struct' || type.kind !== 'struct') return a;
  const fields: Record<string, FieldType> = {};
  for (const [name, field] of Object.entries(type.fields)) {
    const left = Object.hasOwn(a.fields, name) ? a.fields[name] : undefined;
    const right = Object.hasOwn(b.fields, name) ? b.fields[name] : undefined;
    const both = left !== undefined && right !== undefined ? merge(left, right, field) : (left ?? right);
    if (both !== undefined) fields[name] = both;
  }
  return { kind: 'struct', fields };
}
