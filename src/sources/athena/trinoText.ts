// Athena's GetQueryResults gives every value as a string, and a ROW, ARRAY or MAP as Trino's
// text for it: `{arn=arn:aws:iam::1:user/a, accountid=1, type=null}`, `[a, b]`. Nothing
// in that text is quoted, so a field value holding `, ` or `=` (a user agent, a policy
// document, an ARN with a path) cannot be told from the structure by reading alone. With
// the type known (the CloudTrail table's schema gives the fields of every struct, in order)
// it can, nearly always: a field ends where `, nextfield=` (or the closing brace of the
// last field, followed by what must come after it) begins. What stays ambiguous, and how it
// is read, is listed in docs/athena.md:
// - an array of strings: an element holding `, ` is split there;
// - a map: a value holding `, key=` is cut there;
// - a string field whose value is the text `null` reads as SQL NULL;
// - a field value that itself contains `, nextfield=` ends early.
// Without a known type (an expression's row or array), keys are read up to `=`, and a
// value that does not parse as a nested row or array is kept as text.
import type { CellValue } from '../../engine/query';
import type { FieldType } from '../../engine/schema';

/**
 * Can a value that started earlier end at `at`? (What follows it is what its parent
 * expects.) `stops`: the characters an end can start with, so a scan tests only those
 * places (and the end of the text); paging 60,000 rows spends its time here otherwise.
 */
type End = ((text: string, at: number) => boolean) & { readonly stops?: string };

const ending = (stops: string, test: (text: string, at: number) => boolean): End => Object.assign(test, { stops });

/** `text` holds `word` at `at`, compared in lower case, without copying. */
function holdsAt(text: string, at: number, word: string): boolean {
  if (at + word.length > text.length) return false;
  for (let i = 0; i < word.length; i += 1) {
    const c = text.charCodeAt(at + i);
    const lower = c >= 65 && c <= 90 ? c + 32 : c;
    if (lower !== word.charCodeAt(i)) return false;
  }
  return true;
}

interface Parsed {
  readonly value: CellValue;
  readonly next: number;
}

const atEnd: End = (text, at) => at === text.length;

/**
 * The first place at or after `from` where a value may end; undefined when there is none.
 * With `stops`, indexOf jumps to the next place holding one of them (each stop's next place
 * is kept until passed), then the end of the text; paging spends its time here otherwise.
 */
function scanTo(text: string, from: number, end: End): number | undefined {
  if (from > text.length) return undefined;
  const stops = end.stops;
  if (stops === undefined) {
    for (let at = from; at <= text.length; at += 1) if (end(text, at)) return at;
    return undefined;
  }
  if (stops.length === 1) {
    for (let at = text.indexOf(stops, from); at >= 0; at = text.indexOf(stops, at + 1)) if (end(text, at)) return at;
    return end(text, text.length) ? text.length : undefined;
  }
  // Per stop: where it next is; -2 not looked for yet, -1 none left.
  const next = Array.from(stops, (stop) => ({ stop, at: -2 }));
  let at = from;
  for (;;) {
    let nearest = -1;
    for (const s of next) {
      if (s.at === -2 || (s.at >= 0 && s.at < at)) s.at = text.indexOf(s.stop, at);
      if (s.at >= 0 && (nearest < 0 || s.at < nearest)) nearest = s.at;
    }
    if (nearest < 0) return end(text, text.length) ? text.length : undefined;
    if (end(text, nearest)) return nearest;
    at = nearest + 1;
  }
}

function leaf(text: string, from: number, end: End): Parsed | undefined {
  const to = scanTo(text, from, end);
  if (to === undefined) return undefined;
  const raw = text.slice(from, to);
  return { value: raw === 'null' ? null : raw, next: to };
}

function parseStruct(text: string, from: number, fields: readonly StructField[], end: End): Parsed | undefined {
  if (text[from] !== '{') return undefined;
  let at = from + 1;
  const out: Record<string, CellValue> = {};
  for (const field of fields) {
    if (!holdsAt(text, at, field.key)) return undefined;
    at += field.key.length;
    const fieldEnd: End = field.beforeNext ?? ending('}', (t, p) => t[p] === '}' && end(t, p + 1));
    const parsed = parseTyped(text, at, field.type, fieldEnd);
    if (!parsed) return undefined;
    out[field.name] = parsed.value;
    at = parsed.next + (field.beforeNext ? 2 : 0);
  }
  if (fields.length === 0 && text[at] !== '}') return undefined;
  if (text[at] !== '}' || !end(text, at + 1)) return undefined;
  return { value: out, next: at + 1 };
}

function parseList(text: string, from: number, item: FieldType | undefined, end: End): Parsed | undefined {
  if (text[from] !== '[') return undefined;
  const closes: End = ending(']', (t, p) => t[p] === ']' && end(t, p + 1));
  if (closes(text, from + 1)) return { value: [], next: from + 2 };
  const itemEnd: End = ending(',]', (t, p) => t.startsWith(', ', p) || closes(t, p));
  const out: CellValue[] = [];
  let at = from + 1;
  for (;;) {
    const parsed = item ? parseTyped(text, at, item, itemEnd) : parseUntyped(text, at, itemEnd);
    if (!parsed) return undefined;
    out.push(parsed.value);
    at = parsed.next;
    if (closes(text, at)) return { value: out, next: at + 1 };
    at += 2; // ', '
  }
}

/** `{key=value, …}` with string values (a map), or, untyped, values that may nest. */
function parseMap(text: string, from: number, end: End, typed: boolean): Parsed | undefined {
  if (text[from] !== '{') return undefined;
  const closes: End = ending('}', (t, p) => t[p] === '}' && end(t, p + 1));
  if (closes(text, from + 1)) return { value: {}, next: from + 2 };
  // A value ends before `, key=` (a key being what a key can be: no space, comma or brace) or the closing brace.
  const nextKey = /^, [^\s,={}[\]]+=/;
  const valueEnd: End = ending(',}', (t, p) => (t.startsWith(', ', p) && nextKey.test(t.slice(p, p + 200))) || closes(t, p));
  const out: Record<string, CellValue> = {};
  let at = from + 1;
  for (;;) {
    const equals = text.indexOf('=', at);
    if (equals < 0) return undefined;
    const key = text.slice(at, equals);
    if (key === '' || /[,{}[\]]/.test(key)) return undefined;
    const parsed = typed ? leaf(text, equals + 1, valueEnd) : parseUntyped(text, equals + 1, valueEnd);
    if (!parsed) return undefined;
    out[key] = parsed.value;
    at = parsed.next;
    if (closes(text, at)) return { value: out, next: at + 1 };
    at += 2;
  }
}

function parseUntyped(text: string, from: number, end: End): Parsed | undefined {
  if (text[from] === '{') {
    const nested = parseMap(text, from, end, false);
    if (nested) return nested;
  } else if (text[from] === '[') {
    const nested = parseList(text, from, undefined, end);
    if (nested) return nested;
  }
  return leaf(text, from, end);
}

/** A struct field as read: its lower-case name, `name=`, and (but the last) where it ends: `, nextname=`. */
interface StructField {
  readonly name: string;
  readonly key: string;
  readonly type: FieldType;
  readonly beforeNext: End | undefined;
}

const FIELDS = new WeakMap<FieldType, readonly StructField[]>();
/** A struct's fields in order, with their keys and ends made once per type rather than once per value. */
function fieldsOf(type: Extract<FieldType, { kind: 'struct' }>): readonly StructField[] {
  let fields = FIELDS.get(type);
  if (!fields) {
    const entries = Object.entries(type.fields);
    fields = entries.map(([name, fieldType], i) => {
      const following = entries[i + 1];
      const nextKey = following ? `${following[0].toLowerCase()}=` : '';
      const beforeNext = following
        ? ending(',', (t, p) => t.charCodeAt(p + 1) === 32 && t.charCodeAt(p) === 44 && holdsAt(t, p + 2, nextKey))
        : undefined;
      return { name: name.toLowerCase(), key: `${name.toLowerCase()}=`, type: fieldType, beforeNext };
    });
    FIELDS.set(type, fields);
  }
  return fields;
}

function parseTyped(text: string, from: number, type: FieldType, end: End): Parsed | undefined {
  if (text.startsWith('null', from) && end(text, from + 4)) return { value: null, next: from + 4 };
  switch (type.kind) {
    case 'varchar':
    case 'json':
      return leaf(text, from, end);
    case 'map':
      return parseMap(text, from, end, true);
    case 'list':
      return parseList(text, from, type.item, end);
    case 'struct':
      return parseStruct(text, from, fieldsOf(type), end);
  }
}

/**
 * A ROW, ARRAY or MAP value in Trino's text form as the engine's CellValue (rows as objects
 * keyed by Athena's lower-case field names, as the Trino source gives them). With `type`,
 * the schema guides the reading; when the text does not fit it (the table has other fields),
 * or without a type, the value is read without one. Text that is not structured at all is
 * returned as it came.
 */
export function parseTrinoText(text: string, type?: FieldType): CellValue {
  if (type) {
    const typed = parseTyped(text, 0, type, atEnd);
    if (typed) return typed.value;
  }
  return parseUntyped(text, 0, atEnd)?.value ?? text;
}
