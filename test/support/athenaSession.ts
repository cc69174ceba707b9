// The Athena calls the endpoint tests make, as the Athena source makes them: start, poll to
// a final state, read every page. Through the real @aws-sdk/client-athena.
import assert from 'node:assert/strict';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  type GetQueryResultsCommandOutput,
  type QueryExecution,
} from '@aws-sdk/client-athena';
import type { AthenaEndpoint } from '../../src/testbed/athenaEndpoint';

export type Cell = string | null;

export class AthenaSession {
  readonly client: AthenaClient;

  constructor(endpoint: AthenaEndpoint, credentials: { accessKeyId: string; secretAccessKey: string } = endpoint.credentials) {
    // One attempt: a refusal is what a test looks at, not something to retry.
    this.client = new AthenaClient({ endpoint: endpoint.url, region: endpoint.region, credentials, maxAttempts: 1 });
  }

  async start(sql: string, extra: { ClientRequestToken?: string } = {}): Promise<string> {
    const out = await this.client.send(
      new StartQueryExecutionCommand({ QueryString: sql, QueryExecutionContext: { Database: 'default' }, ...extra }),
    );
    return out.QueryExecutionId!;
  }

  /** Polls until a final state; every state seen and the last QueryExecution. */
  async wait(id: string): Promise<{ states: string[]; execution: QueryExecution }> {
    const states: string[] = [];
    for (;;) {
      const { QueryExecution: execution } = await this.client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
      const state = execution!.Status!.State!;
      states.push(state);
      if (!['QUEUED', 'RUNNING'].includes(state)) return { states, execution: execution! };
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Every page, header row included. */
  async allPages(id: string, maxResults?: number): Promise<{ pages: GetQueryResultsCommandOutput[]; rows: Cell[][] }> {
    const pages: GetQueryResultsCommandOutput[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new GetQueryResultsCommand({
          QueryExecutionId: id,
          ...(maxResults ? { MaxResults: maxResults } : {}),
          ...(token ? { NextToken: token } : {}),
        }),
      );
      pages.push(page);
      token = page.NextToken;
    } while (token);
    return { pages, rows: pages.flatMap((p) => p.ResultSet!.Rows!.map((r) => r.Data!.map((d) => d.VarCharValue ?? null))) };
  }

  /** Start, wait for SUCCEEDED, read every page. */
  async run(sql: string): Promise<{ execution: QueryExecution; rows: Cell[][]; pages: GetQueryResultsCommandOutput[] }> {
    const id = await this.start(sql);
    const { execution } = await this.wait(id);
    assert.equal(execution.Status!.State, 'SUCCEEDED', execution.Status!.StateChangeReason);
    return { execution, ...(await this.allPages(id)) };
  }
}

/** The error a call was refused with; fails when it was not. */
export async function refusal(promise: Promise<unknown>): Promise<Error & { name: string; AthenaErrorCode?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { name: string };
  }
  assert.fail('expected the call to be refused');
}
