// Messages from DuckDB, Trino, YAML and the AWS SDK run over several lines; a summary, a
// problem list or a status line shows the first, which says what went wrong.

/** The text before the first line break (all of it when there is none). */
export function firstLine(text: string): string {
  const end = text.indexOf('\n');
  return end < 0 ? text : text.slice(0, end);
}
