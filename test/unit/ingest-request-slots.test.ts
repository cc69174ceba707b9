// The ingest worker's requests in flight: two batches at once, but a request that must know
// whether it crashed the worker (a retry after a crash, the careful reader) runs with
// nothing else in flight, and nothing starts beside it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RequestSlots } from '../../src/sources/local/requestSlots';

/** A request that runs until the test ends it, recording when it started. */
function request(slots: RequestSlots, alone: boolean, name: string, started: string[]): { end: () => void; done: Promise<string> } {
  let end!: () => void;
  const ended = new Promise<void>((resolve) => (end = resolve));
  const done = slots.run(alone, async () => {
    started.push(name);
    await ended;
    return name;
  });
  return { end, done };
}

/** Lets every promise that can settle do so. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test('two requests in flight, the third waits for one of them to end', async () => {
  const slots = new RequestSlots(2);
  const started: string[] = [];
  const a = request(slots, false, 'a', started);
  const b = request(slots, false, 'b', started);
  const c = request(slots, false, 'c', started);
  await settle();
  assert.deepEqual(started, ['a', 'b']);
  b.end();
  assert.equal(await b.done, 'b');
  await settle();
  assert.deepEqual(started, ['a', 'b', 'c']);
  a.end();
  c.end();
  assert.deepEqual(await Promise.all([a.done, c.done]), ['a', 'c']);
});

test('a request alone waits for those in flight, and those after it wait for it', async () => {
  const slots = new RequestSlots(2);
  const started: string[] = [];
  const a = request(slots, false, 'a', started);
  const retry = request(slots, true, 'retry', started);
  const later = request(slots, false, 'later', started);
  await settle();
  assert.deepEqual(started, ['a']);
  a.end();
  await a.done;
  await settle();
  assert.deepEqual(started, ['a', 'retry']);
  retry.end();
  await retry.done;
  await settle();
  assert.deepEqual(started, ['a', 'retry', 'later']);
  later.end();
  await later.done;
});

test('a request that fails frees its slot', async () => {
  const slots = new RequestSlots(1);
  await assert.rejects(
    slots.run(true, async () => {
      throw new Error('the worker died');
    }),
    /the worker died/,
  );
  assert.equal(await slots.run(false, async () => 'next'), 'next');
});
