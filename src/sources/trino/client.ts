// A client of Trino's REST protocol (the one the JDBC driver and the CLI speak): POST the
// statement to /v1/statement, then GET each `nextUri` until there is none, collecting the
// columns and the pages of data; DELETE the current `nextUri` to cancel. Node's own fetch
// is enough: no driver dependency.
import type { CellValue } from '../../engine/query';
import { Cancelled } from '../../protocol/cancelled';
import { TrinoConnectionError, TrinoQueryError, type TrinoErrorBody } from './errors';
import { toCellValue, type TypeSignature } from './values';
import { abortableSleep as sleep } from '../abortableSleep';

export interface TrinoConnection {
  /** `http://127.0.0.1:8080` or `https://trino.example.com` (TLS comes with the https URL). */
  readonly server: string;
  readonly user: string;
  readonly catalog?: string;
  readonly schema?: string;
  /** Basic authentication (Trino accepts it over https only). */
  readonly password?: string;
  /** A JWT or OAuth2 access token, sent as `Authorization: Bearer`. */
  readonly accessToken?: string;
  /** Sent as X-Trino-Source: shows in Trino's query list who ran it. */
  readonly source?: string;
}

export interface TrinoColumn {
  readonly name: string;
  /** Trino's type text, such as `row(arn varchar, accountid varchar, type varchar)`. */
  readonly type: string;
  readonly typeSignature: TypeSignature;
}

export interface TrinoQueryOptions {
  readonly signal?: AbortSignal;
  /** Stop after this many rows (the query is cancelled on the server); the result says it was truncated. */
  readonly limit?: number;
  /** Each page of rows as it arrives. */
  readonly onRows?: (rows: CellValue[][], columns: readonly TrinoColumn[]) => void;
}

export interface TrinoResult {
  readonly queryId: string;
  readonly columns: TrinoColumn[];
  readonly rows: CellValue[][];
  readonly truncated: boolean;
  readonly elapsedMs: number;
  /** From the last response's `stats`: what Trino read. */
  readonly processedBytes: number;
  readonly processedRows: number;
}

interface StatementResponse {
  readonly id: string;
  readonly nextUri?: string;
  readonly columns?: readonly TrinoColumn[];
  readonly data?: readonly (readonly unknown[])[];
  readonly stats?: { readonly state?: string; readonly processedBytes?: number; readonly processedRows?: number };
  readonly error?: TrinoErrorBody;
}

/** Poll delays while a query runs without data: Trino's GET already waits up to a second. */
const LAST_IDLE_DELAY_MS = 200;
const IDLE_DELAYS_MS = [0, 10, 25, 50, 100, LAST_IDLE_DELAY_MS];
/** 502/503/504 and 429 from a proxy or a busy coordinator are retried this many times. */
const RETRIES = 8;

export class TrinoClient {
  private readonly base: URL;

  constructor(private readonly connection: TrinoConnection) {
    try {
      this.base = new URL(connection.server);
    } catch (error) {
      throw new TrinoConnectionError(`the Trino server "${connection.server}" is not a URL: write it as http://host:port or https://host`, {
        cause: error,
      });
    }
    if (this.base.protocol !== 'http:' && this.base.protocol !== 'https:') {
      throw new TrinoConnectionError(`the Trino server must be an http:// or https:// URL, not ${this.base.protocol}`);
    }
    if (!connection.user) throw new TrinoConnectionError('a Trino user is required (X-Trino-User): set the user name');
    if (connection.password !== undefined && connection.accessToken !== undefined) {
      throw new TrinoConnectionError('choose one Trino authentication: a password (basic) or an access token (bearer), not both');
    }
  }

  private headers(): Record<string, string> {
    const c = this.connection;
    const headers: Record<string, string> = {
      'X-Trino-User': c.user,
      'X-Trino-Source': c.source ?? 'trailbook',
      // Athena sessions are UTC and the local engine runs in UTC: the same instants print alike.
      'X-Trino-Time-Zone': 'UTC',
    };
    if (c.catalog) headers['X-Trino-Catalog'] = c.catalog;
    if (c.schema) headers['X-Trino-Schema'] = c.schema;
    if (c.password !== undefined) headers.Authorization = `Basic ${Buffer.from(`${c.user}:${c.password}`).toString('base64')}`;
    if (c.accessToken !== undefined) headers.Authorization = `Bearer ${c.accessToken}`;
    return headers;
  }

  private async request(method: 'POST' | 'GET', url: string, signal: AbortSignal | undefined, body?: string): Promise<StatementResponse> {
    for (let attempt = 0; ; attempt += 1) {
      let response: Response;
      try {
        response = await fetch(url, {
          method,
          headers: this.headers(),
          ...(body !== undefined ? { body } : {}),
          ...(signal ? { signal } : {}),
        });
      } catch (error) {
        if (signal?.aborted) throw new Cancelled();
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        throw new TrinoConnectionError(
          `cannot reach Trino at ${this.base.origin}: ${cause?.code ?? cause?.message ?? (error as Error).message}; is the server running, and is the URL right?`,
          { cause: error },
        );
      }
      if ([429, 502, 503, 504].includes(response.status) && attempt < RETRIES) {
        await response.body?.cancel();
        await sleep(Math.min(100 * 2 ** attempt, 2000), signal);
        if (signal?.aborted) throw new Cancelled();
        continue;
      }
      const text = await response.text();
      if (response.status === 401) {
        throw new TrinoConnectionError(
          `Trino at ${this.base.origin} refused the credentials of user "${this.connection.user}" (401): check the password or access token${this.base.protocol === 'http:' ? '; Trino accepts passwords over https only' : ''}`,
        );
      }
      if (response.status === 403)
        throw new TrinoConnectionError(`Trino at ${this.base.origin} denied user "${this.connection.user}" (403): ${text.slice(0, 300)}`);
      if (!response.ok)
        throw new TrinoConnectionError(
          `Trino at ${this.base.origin} answered ${response.status} ${response.statusText} to ${method} ${new URL(url).pathname}: ${text.slice(0, 300)}`,
        );
      try {
        return JSON.parse(text) as StatementResponse;
      } catch (error) {
        throw new TrinoConnectionError(`${this.base.origin} did not answer like a Trino server (not JSON): ${text.slice(0, 200)}`, {
          cause: error,
        });
      }
    }
  }

  /** Best effort: tells the server to stop the query; a failure here changes nothing for the caller. */
  private async cancel(nextUri: string): Promise<void> {
    try {
      const response = await fetch(nextUri, { method: 'DELETE', headers: this.headers(), signal: AbortSignal.timeout(5000) });
      await response.body?.cancel();
    } catch {
      // The server is gone or slow: the query ends with the client anyway once Trino's client timeout passes.
    }
  }

  /**
   * POSTs the statement. The request itself is never aborted: once Trino has read it the
   * query exists, and only the nextUri in the answer can cancel it. A stop during the POST
   * rejects at once, and the query is cancelled when that answer arrives.
   */
  private async submit(sql: string, signal: AbortSignal | undefined): Promise<StatementResponse> {
    const posting = this.request('POST', new URL('/v1/statement', this.base).href, undefined, sql);
    if (!signal) return posting;
    let onAbort: (() => void) | undefined;
    const stopped = new Promise<never>((_, reject) => {
      onAbort = () => reject(new Cancelled());
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([posting, stopped]);
    } catch (error) {
      if (error instanceof Cancelled)
        void posting.then(
          (late) => (late.nextUri ? this.cancel(late.nextUri) : undefined),
          () => undefined,
        );
      throw error;
    } finally {
      if (onAbort) signal.removeEventListener('abort', onAbort);
    }
  }

  /** Runs one statement to the end and returns every row (or `limit` of them). */
  async query(sql: string, options: TrinoQueryOptions = {}): Promise<TrinoResult> {
    const started = Date.now();
    const { signal } = options;
    if (signal?.aborted) throw new Cancelled();
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    let page = await this.submit(sql, signal);
    const queryId = page.id;
    let columns: TrinoColumn[] | undefined;
    const rows: CellValue[][] = [];
    let truncated = false;
    let idle = 0;
    for (;;) {
      if (page.error) throw new TrinoQueryError(page.error, queryId);
      if (page.columns && !columns) columns = [...page.columns];
      if (page.data && page.data.length > 0) {
        if (!columns) throw new TrinoConnectionError(`Trino sent rows before their columns (query ${queryId})`);
        const cols = columns;
        const room = limit - rows.length;
        const converted = page.data.slice(0, room).map((row) =>
          row.map((value, i) => {
            const column = cols[i];
            if (column === undefined)
              throw new TrinoConnectionError(`Trino sent a row of ${row.length} values for ${cols.length} columns (query ${queryId})`);
            return toCellValue(value, column.typeSignature);
          }),
        );
        rows.push(...converted);
        if (converted.length > 0) options.onRows?.(converted, cols);
        if (page.data.length > room) truncated = true;
        idle = 0;
      } else {
        idle += 1;
      }
      const next = page.nextUri;
      if (!next) break;
      if (truncated || signal?.aborted) {
        await this.cancel(next);
        if (signal?.aborted) throw new Cancelled();
        break;
      }
      await sleep(IDLE_DELAYS_MS[idle] ?? LAST_IDLE_DELAY_MS, signal);
      try {
        page = await this.request('GET', next, signal);
      } catch (error) {
        if (error instanceof Cancelled) await this.cancel(next);
        throw error;
      }
    }
    return {
      queryId,
      columns: columns ?? [],
      rows,
      truncated,
      elapsedMs: Date.now() - started,
      processedBytes: page.stats?.processedBytes ?? 0,
      processedRows: page.stats?.processedRows ?? 0,
    };
  }
}
