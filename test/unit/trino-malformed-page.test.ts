// A Trino server (or a proxy in front of one) that sends a row with more values than the
// columns it announced: the run ends with an error naming both counts, not a TypeError.
// The server is a real HTTP receiver on loopback speaking the client protocol's JSON.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TrinoClient } from '../../src/sources/trino/client';
import { TrinoConnectionError } from '../../src/sources/trino/errors';
import { startReceiver } from '../support/receiver';

test('a row longer than the announced columns is a TrinoConnectionError naming both counts', async () => {
  const server = await startReceiver('');
  server.answer = () => ({
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      id: 'q1',
      columns: [{ name: 'n', type: 'bigint', typeSignature: { rawType: 'bigint', arguments: [] } }],
      data: [[1, 'extra']],
      stats: { state: 'FINISHED' },
    }),
  });
  try {
    const client = new TrinoClient({ server: server.url, user: 'test' });
    await assert.rejects(client.query('SELECT 1'), (error: unknown) => {
      assert.ok(error instanceof TrinoConnectionError, String(error));
      assert.match(error.message, /^Trino sent a row of 2 values for 1 columns \(query q1\)$/);
      return true;
    });
    assert.equal(server.requests.length, 1);
  } finally {
    await server.close();
  }
});
