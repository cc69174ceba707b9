// What a pivot would pivot on in a row, so the view can disable a pivot the row cannot
// give (the host builds the cell itself, with src/runbook/pivot.ts). Pure: no DOM.
import type { PivotKind, ResultValue } from '../protocol/results';
import { parseEventTime, readField, readText, resourceArns, type FieldMap } from './timeline/eventFields';

/** The value of the row the pivot would use, or undefined when the row has none. */
export function pivotValue(fields: FieldMap, row: readonly ResultValue[], kind: PivotKind): string | undefined {
  switch (kind) {
    case 'principal':
      return readText(row, fields.principal);
    case 'accessKey':
      return readText(row, fields.accessKey);
    case 'sourceIp':
      return readText(row, fields.sourceIp);
    case 'around':
      return Number.isNaN(parseEventTime(readField(row, fields.time))) ? undefined : readText(row, fields.time);
    case 'resource':
      return resourceArns(readField(row, fields.resources))[0];
  }
}
