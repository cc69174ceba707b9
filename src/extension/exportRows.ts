// A run's rows as a file: CSV (RFC 4180, one table), JSON (an array of objects) or NDJSON
// (one object a line), with the same value rendering as `trailbook run --format`.
import type { ExportFormat } from '../protocol/results';
import type { CellValue } from '../engine/query';
import { csvText, rowObject } from '../app/output';

export function exportRows(format: ExportFormat, columns: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const values = rows as readonly (readonly CellValue[])[];
  switch (format) {
    case 'csv':
      return csvText(columns, values);
    case 'json':
      return `${JSON.stringify(
        values.map((row) => rowObject(columns, row)),
        null,
        2,
      )}\n`;
    case 'ndjson':
      return values.map((row) => `${JSON.stringify(rowObject(columns, row))}\n`).join('');
  }
}
