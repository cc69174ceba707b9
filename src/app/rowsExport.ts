// A result's rows as a file, a chunk of rows at a time: the text of the editor's export
// (src/extension/exportRows.ts: CSV, an indented JSON array, NDJSON), so a result the host
// keeps whole (a million rows) is written as DuckDB gives it, never held as one string.
import type { CellValue } from '../engine/query';
import { csvField, rowObject } from './output';

export type RowsFormat = 'csv' | 'json' | 'ndjson';

type Rows = readonly (readonly CellValue[])[];

/** The file's text for `chunks` of rows, in order; joined, it is exportRows' text for all the rows. */
export async function* exportChunks(
  format: RowsFormat,
  columns: readonly string[],
  chunks: AsyncIterable<Rows> | Iterable<Rows>,
): AsyncGenerator<string> {
  let first = true;
  if (format === 'csv') yield `${columns.map(csvField).join(',')}\r\n`;
  for await (const rows of chunks) {
    if (rows.length === 0) continue;
    switch (format) {
      case 'csv':
        yield rows.map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
        break;
      case 'ndjson':
        yield rows.map((row) => `${JSON.stringify(rowObject(columns, row))}\n`).join('');
        break;
      case 'json':
        // As JSON.stringify(array, null, 2) lays it out: each object indented one level.
        yield rows
          .map(
            (row, i) => `${first && i === 0 ? '[\n' : ',\n'}  ${JSON.stringify(rowObject(columns, row), null, 2).replaceAll('\n', '\n  ')}`,
          )
          .join('');
        break;
    }
    first = false;
  }
  if (format === 'json') yield first ? '[]\n' : '\n]\n';
}
