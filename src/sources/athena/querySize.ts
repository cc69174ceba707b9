// Athena refuses a query string over 262,144 bytes. A runbook cell is far shorter; what
// makes one that long is a `{{cell.column}}` list of thousands of values (every key an
// earlier cell found). Said with the list that did it, so the person knows what to narrow.
import type { RemoteCellContext } from '../../engine/eventSource';
import { ATHENA_MAX_QUERY_BYTES } from './defaults';

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

/**
 * How many bytes each reference became in `sql` (the cell's SQL after substitution). The
 * text between references is unchanged by substitution, so each reference spans from the
 * end of the text before it to where the text after it resumes; where the text after it
 * is short enough to occur inside the values too, the span found may be shorter.
 */
export function referenceSizes(sql: string, cell: RemoteCellContext): { text: string; bytes: number }[] {
  const refs = [...cell.references].sort((a, b) => a.start - b.start);
  const sizes: { text: string; bytes: number }[] = [];
  let at = 0; // where the current reference's values start in `sql`
  let previousEnd = 0; // where the text before it starts in the template
  refs.forEach((ref, i) => {
    at += ref.start - previousEnd;
    const next = refs[i + 1];
    const after = cell.template.slice(ref.end, next ? next.start : cell.template.length);
    // The last reference ends exactly where the unchanged tail begins.
    const found = next ? (after === '' ? at : sql.indexOf(after, at)) : sql.length - after.length;
    const end = found < at ? at : found;
    sizes.push({ text: ref.text, bytes: Buffer.byteLength(sql.slice(at, end)) });
    at = end + after.length;
    previousEnd = next ? next.start : cell.template.length;
  });
  return sizes;
}

/** Undefined when the query fits; else the error text, naming the biggest reference when one made it so. */
export function querySizeProblem(sqlAsRun: string, cellSql: string, cell: RemoteCellContext | undefined): string | undefined {
  const bytes = Buffer.byteLength(sqlAsRun);
  if (bytes <= ATHENA_MAX_QUERY_BYTES) return undefined;
  const base = `the query is ${bytes.toLocaleString('en-US')} bytes, over Athena's limit of ${ATHENA_MAX_QUERY_BYTES.toLocaleString('en-US')}`;
  const biggest = cell ? referenceSizes(cellSql, cell).sort((a, b) => b.bytes - a.bytes)[0] : undefined;
  if (biggest && biggest.bytes > bytes / 2) {
    return `${base}: ${biggest.text} alone became ${kb(biggest.bytes)} of values. Narrow the cell it comes from (a shorter window, a stricter WHERE, fewer distinct values), or join on that cell's condition instead of listing its values`;
  }
  return `${base}: shorten the cell`;
}
