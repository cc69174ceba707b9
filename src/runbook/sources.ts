// The backends a runbook or a cell may ask for (see DESIGN.md, "One query language").

export const SOURCES = ['local', 'lookup', 'trino', 'athena'] as const;
export type SourceName = (typeof SOURCES)[number];

export function isSource(value: unknown): value is SourceName {
  return typeof value === 'string' && (SOURCES as readonly string[]).includes(value);
}

export function sourceError(value: unknown): string {
  return `source ${JSON.stringify(value)} is not known; use one of ${SOURCES.join(', ')}`;
}
