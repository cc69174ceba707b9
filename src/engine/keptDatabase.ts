// Where a kept result's rows live (keptResult.ts): an in-memory database of the result's own,
// attached with COMPRESS, and compressed by a checkpoint once the result's summary is made.
// A temporary table, as before, held its rows as they are: DuckDB held 752 MB for the bench's
// kept million, where compressed it holds 90 MB, for a checkpoint of 1.1–2.4 s; the view
// keeps up to four results (src/app/keptResults.ts), all in the extension host's memory. The
// filters' texts are kept beside the rows (keptFilterTexts.ts) and go with them.
//
// The connection uses the database (USE), so the queries over the result name `kept_rows`
// and `kept_texts` alone; their own tables (the time index, listings, matches) are temporary
// and stay with the connection. An attached database outlives the connection that attached
// it, so it is detached before the connection closes, whatever ended the result.
import type { DuckDBConnection } from '@duckdb/node-api';
import { onlyRow } from './onlyRow';
import { sqlIdentifier } from './sqlText';

/** Databases made in this process: each is seen by every connection of the instance, so each has a name of its own. */
let made = 0;

export class KeptDatabase {
  private constructor(
    /** The database's name (made here, never taken from a request). */
    readonly name: string,
    /** The database the connection used before: a database in use cannot be detached. */
    private readonly home: string,
  ) {}

  static async attach(connection: DuckDBConnection): Promise<KeptDatabase> {
    const home = String(onlyRow((await connection.runAndReadAll('SELECT current_database()')).getRowsJS())[0]);
    made += 1;
    const name = `kept_${made}`;
    // COMPRESS: DuckDB keeps an in-memory database's tables as they are unless told.
    await connection.run(`ATTACH ':memory:' AS ${name} (COMPRESS)`);
    return new KeptDatabase(name, home);
  }

  /** Makes it the connection's database: `kept_rows` is then this database's. */
  async use(connection: DuckDBConnection): Promise<void> {
    await connection.run(`USE ${this.name}`);
  }

  /** Compresses what was written since the last time. */
  async compress(connection: DuckDBConnection): Promise<void> {
    await connection.run(`CHECKPOINT ${this.name}`);
  }

  async detach(connection: DuckDBConnection): Promise<void> {
    await connection.run(`USE ${sqlIdentifier(this.home)}`);
    await connection.run(`DETACH DATABASE IF EXISTS ${this.name}`);
  }
}

/** Detaches the result's database (when there is one) and closes its connection, whatever fails on the way. */
export async function letGo(connection: DuckDBConnection, database: KeptDatabase | undefined): Promise<void> {
  try {
    await database?.detach(connection);
  } catch {
    // The connection closes anyway; the instance lets the database go when it ends.
  } finally {
    connection.closeSync();
  }
}
