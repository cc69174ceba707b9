// Help while writing the SQL of a cloudtrail block: what may follow the cursor (columns of
// cloudtrail_logs, fields of its structs, the Trino functions that run on every backend,
// `{{param}}` and `{{cell.column}}` names) and what a word under the pointer is (a column's
// type and meaning, a reference's current value). Plain TypeScript over the schema and the
// parsed runbook, tested in node; completion.ts hands it to VS Code.
import { CLOUDTRAIL_RECORD, duckdbType, type FieldType } from '../engine/schema';
import { COLUMN_MEANINGS } from './columnMeanings';
import type { RunbookCell, RunbookOutline } from '../runbook/types';

export type SuggestionKind = 'column' | 'field' | 'function' | 'table' | 'param' | 'cellColumn' | 'cell';

export interface Suggestion {
  readonly label: string;
  readonly kind: SuggestionKind;
  /** Its type, signature or source: shown beside the label. */
  readonly detail?: string;
  readonly documentation?: string;
}

/** A Trino function every backend runs the same way (src/engine/trinoFunctions.ts). */
export interface PortableFunction {
  readonly name: string;
  readonly signature?: string;
  readonly note?: string;
}

/** What the assist knows beyond the runbook's text: functions, and the columns earlier cells returned. */
export interface AssistContext {
  readonly functions: readonly PortableFunction[];
  /** The columns of a cell's last run, when it ran in this session. */
  readonly columnsOf: (cellId: string) => readonly string[] | undefined;
  /** A reference's current values, when known (a cell's last run, a parameter's default). */
  readonly valuesOf?: (cellId: string, column: string) => readonly unknown[] | undefined;
}

/** The cell whose block holds this 0-based line (its SQL lines, between the fences). */
export function cellAtLine(runbook: RunbookOutline, line: number): RunbookCell | undefined {
  return runbook.cells.find((cell) => line >= cell.sqlStartLine && line < cell.endLine);
}

/** The cell whose block (fences included) holds this line: where "run the cell at the cursor" runs. */
export function blockAtLine(runbook: RunbookOutline, line: number): RunbookCell | undefined {
  return runbook.cells.find((cell) => line >= cell.fenceLine && line <= cell.endLine);
}

/** The field type at a dotted path: `userIdentity.sessionContext` → its struct; undefined when no such path. */
export function fieldAt(path: readonly string[]): FieldType | undefined {
  let type: FieldType = CLOUDTRAIL_RECORD;
  for (const part of path) {
    if (type.kind !== 'struct') return undefined;
    // Identifiers are case-insensitive, as on Athena.
    const field: [string, FieldType] | undefined = Object.entries(type.fields).find(([name]) => name.toLowerCase() === part.toLowerCase());
    if (field === undefined) return undefined;
    type = field[1];
  }
  return type;
}

const typeText = (type: FieldType): string =>
  type.kind === 'json' ? 'VARCHAR (JSON text)' : type.kind === 'struct' ? 'STRUCT' : duckdbType(type);

/**
 * What may complete the text before the cursor on its line. `before` is the line up to the
 * cursor; an empty list means "nothing of ours here" (VS Code then offers words).
 */
export function suggestionsAt(before: string, runbook: RunbookOutline, cell: RunbookCell, context: AssistContext): Suggestion[] {
  // Inside {{…}}: parameters, cells above, and their columns.
  const reference = /\{\{\s*([\w-]*)(?:\.([\w]*))?$/.exec(before);
  if (reference) {
    const [, head, column] = reference;
    if (column !== undefined) {
      const columns = context.columnsOf(head!);
      return (columns ?? []).map((name) => ({ label: name, kind: 'cellColumn', detail: `a column of cell ${head}` }));
    }
    const above = runbook.cells.filter((c) => c.fenceLine < cell.fenceLine);
    return [
      ...runbook.params.map((p): Suggestion => ({
        label: p.name,
        kind: 'param',
        detail: `parameter${p.default !== undefined ? ` (default ${JSON.stringify(p.default)})` : ''}`,
        ...(p.description ? { documentation: p.description } : {}),
      })),
      ...above.map((c): Suggestion => ({
        label: c.id,
        kind: 'cell',
        detail: `cell above${c.heading ? `: ${c.heading}` : ''}; type . for its columns`,
      })),
    ];
  }
  // After a dotted path: the fields of that struct.
  const [, dotted] = /([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)\.(\w*)$/.exec(before) ?? [];
  if (dotted !== undefined) {
    const parts = dotted.split('.');
    // `t.col` where t is an alias: drop a leading part that is not a column.
    const path = fieldAt(parts) ? parts : fieldAt(parts.slice(1)) ? parts.slice(1) : undefined;
    const type = path && fieldAt(path);
    if (type?.kind === 'struct') {
      return Object.entries(type.fields).map(([name, field]) => ({
        label: name,
        kind: 'field',
        detail: typeText(field),
        ...meaning([...path!, name]),
      }));
    }
    return [];
  }
  return [
    { label: 'cloudtrail_logs', kind: 'table', detail: "the one table: CloudTrail events in the run's window" },
    ...Object.entries(CLOUDTRAIL_RECORD.fields).map(([name, field]): Suggestion => ({
      label: name,
      kind: 'column',
      detail: typeText(field),
      ...meaning([name]),
    })),
    ...context.functions.map((f): Suggestion => ({
      label: f.name,
      kind: 'function',
      detail: f.signature ?? 'Trino function',
      ...(f.note ? { documentation: f.note } : {}),
    })),
  ];
}

function meaning(path: readonly string[]): { documentation?: string } {
  const text = COLUMN_MEANINGS[path.join('.')];
  return text ? { documentation: text } : {};
}

/** The word (a dotted path, or a {{reference}}) under a character of a line, with its span. */
export function wordAt(
  line: string,
  character: number,
): { readonly text: string; readonly start: number; readonly end: number } | undefined {
  for (const match of line.matchAll(/\{\{[^{}]*\}\}|[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*/g)) {
    const start = match.index!;
    const end = start + match[0].length;
    if (character >= start && character <= end) return { text: match[0], start, end };
  }
  return undefined;
}

const MAX_SHOWN_VALUES = 5;

/** Markdown for the pointer over `word`: a column (its type and meaning) or a reference (its current value, default, description). */
export function hoverText(word: string, runbook: RunbookOutline, context: AssistContext): string | undefined {
  const reference = /^\{\{\s*([\w-]+)(?:\.(\w+))?\s*\}\}$/.exec(word);
  if (reference) {
    const [, head, column] = reference;
    if (column !== undefined) {
      const values = context.valuesOf?.(head!, column);
      if (!values)
        return `\`{{${head}.${column}}}\`: the \`${column}\` values cell \`${head}\` returns. It has not run in this session: run it to see them.`;
      const distinct = [...new Set(values.filter((v) => v !== null && v !== undefined).map((v) => String(v)))];
      const shown = distinct
        .slice(0, MAX_SHOWN_VALUES)
        .map((v) => `\`${v.replace(/`/g, "'")}\``)
        .join(', ');
      return `\`{{${head}.${column}}}\`: ${distinct.length === 0 ? 'no value in the last run of' : `${distinct.length} value${distinct.length === 1 ? '' : 's'} from the last run of`} cell \`${head}\`${distinct.length > 0 ? `: ${shown}${distinct.length > MAX_SHOWN_VALUES ? ', …' : ''}` : ''}`;
    }
    const param = runbook.params.find((p) => p.name === head);
    if (!param) return `\`{{${head}}}\`: no parameter of that name under \`params:\``;
    return [
      `\`{{${param.name}}}\`: parameter (${param.type})`,
      param.description,
      param.default !== undefined ? `Default: \`${param.default}\`` : 'No default: asked for when a cell uses it',
    ]
      .filter(Boolean)
      .join('\n\n');
  }
  const parts = word.split('.');
  const path = fieldAt(parts) ? parts : fieldAt(parts.slice(1)) ? parts.slice(1) : undefined;
  if (path && path.length > 0) {
    const type = fieldAt(path)!;
    const canonical = canonicalPath(path);
    const text = COLUMN_MEANINGS[canonical.join('.')];
    return [`\`${canonical.join('.')}\` · ${typeText(type)}`, text].filter(Boolean).join('\n\n');
  }
  const fn = context.functions.find((f) => f.name === word.toLowerCase());
  if (fn) return [`\`${fn.signature ?? fn.name}\` · Trino function, the same on every backend`, fn.note].filter(Boolean).join('\n\n');
  return undefined;
}

/** The path as the schema spells it (`useridentity.ARN` → `userIdentity.arn`). */
function canonicalPath(path: readonly string[]): string[] {
  const out: string[] = [];
  let type: FieldType = CLOUDTRAIL_RECORD;
  for (const part of path) {
    if (type.kind !== 'struct') break;
    const [key, field]: [string, FieldType] = Object.entries(type.fields).find(([name]) => name.toLowerCase() === part.toLowerCase())!;
    out.push(key);
    type = field;
  }
  return out;
}
