// Tests index into the results they check. A missing item fails the test saying which one,
// rather than as a TypeError on `undefined` a line later (or an assertion `!` that lies).
import assert from 'node:assert/strict';

/** `items[index]`, failing the test when there is no such item. */
export function itemAt<T>(items: ArrayLike<T>, index: number): Exclude<T, undefined> {
  const item = items[index];
  assert.ok(item !== undefined, `expected an item at index ${index}, but there are ${items.length}`);
  return item as Exclude<T, undefined>;
}

/** `record[key]`, failing the test when the record has no such key. */
export function entryOf<T>(record: Readonly<Record<string, T>>, key: string): Exclude<T, undefined> {
  const entry = Object.hasOwn(record, key) ? record[key] : undefined;
  assert.ok(entry !== undefined, `expected an entry ${JSON.stringify(key)}, but there are ${Object.keys(record).join(', ') || 'none'}`);
  return entry as Exclude<T, undefined>;
}
