// The attacks and services take resources of the generated organisation by position (the
// second instance, the first snapshot). The footprint decides how many there are, so a
// change to it says here which resource went missing instead of failing on `undefined`.

/** `items[index]`, or an error naming what the generated organisation lacks. */
export function nth<T>(items: readonly T[], index: number, what: string): T {
  const item = items[index];
  if (item === undefined) throw new Error(`the generated organisation has no ${what} number ${index + 1} (it has ${items.length})`);
  return item;
}
