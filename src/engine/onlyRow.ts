// count(*), min/max facts, json_serialize_sql: queries that give exactly one row. An empty
// answer is a bug in the query or the engine, said as such rather than as a TypeError.

/** The one row of a one-row result. */
export function onlyRow<Row>(rows: readonly Row[]): Row {
  const [row] = rows;
  if (row === undefined) throw new Error('a query that gives one row gave none');
  return row;
}
