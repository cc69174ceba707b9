// A stop that comes while Trino is still answering the POST of a statement: Trino has the
// query by then, so the client must cancel it with the nextUri that answer brings, not
// abandon it running on the cluster. The server is a real HTTP receiver on loopback.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Cancelled } from '../../src/protocol/cancelled';
import { TrinoClient } from '../../src/sources/trino/client';
import { startReceiver } from '../support/receiver';

test('a stop during the POST rejects at once, and the query is cancelled when its answer arrives', async () => {
  const server = await startReceiver('');
  server.answer = (n) => (n === 0 ? 'hold' : { status: 204 });
  const posted = new Promise<void>((resolve) => {
    server.onRequest = (request) => {
      if (request.method === 'POST') resolve();
    };
  });
  try {
    const client = new TrinoClient({ server: server.url, user: 'test' });
    const stop = new AbortController();
    const running = client.query('SELECT 1', { signal: stop.signal });
    await posted;
    stop.abort();
    await assert.rejects(running, (error: unknown) => error instanceof Cancelled);
    assert.deepEqual(
      server.requests.map((r) => r.method),
      ['POST'],
    );

    // Without the cancel no DELETE ever comes: give up after 5 s rather than hang the suite.
    const deleted = new Promise<string>((resolve, reject) => {
      const gaveUp = setTimeout(() => reject(new Error('no DELETE reached the server within 5 s of the POST being answered')), 5000);
      server.onRequest = (request) => {
        if (request.method !== 'DELETE') return;
        clearTimeout(gaveUp);
        resolve(request.path);
      };
    });
    server.release({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'q1', nextUri: `${server.url}/v1/statement/queued/q1/y1/1`, stats: { state: 'QUEUED' } }),
    });
    assert.equal(await deleted, '/v1/statement/queued/q1/y1/1');
    assert.deepEqual(
      server.requests.map((r) => r.method),
      ['POST', 'DELETE'],
    );
  } finally {
    await server.close();
  }
});

test('a stop before the statement is sent sends nothing', async () => {
  const server = await startReceiver('');
  try {
    const client = new TrinoClient({ server: server.url, user: 'test' });
    await assert.rejects(client.query('SELECT 1', { signal: AbortSignal.abort() }), (error: unknown) => error instanceof Cancelled);
    assert.equal(server.requests.length, 0);
  } finally {
    await server.close();
  }
});
