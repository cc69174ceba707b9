// The catalogue's files by path (knownFiles()), remembered between its writes. A warm run asks
// for them twice (whether to answer from the logs, then which files changed), and the
// editor's next cell asks again: at 146,305 files each read took 0.3-0.35 s. Writes that add
// or forget files apply the same change to what is remembered, so the first cell after a cold
// scan does not read them all again; any other write forgets it. Only the catalogue writes
// its tables (one store per folder in a process, and a store in use is locked against other
// processes), and it calls this for each of its writes, one at a time.
import type { KnownFile, StoredLogFile } from './logFiles';

export class KnownFilesMemo {
  private known: Map<string, KnownFile> | undefined;
  /** `known` was handed out: callers may still hold it, so a change goes to a copy. */
  private shared = false;

  async read(load: () => Promise<Map<string, KnownFile>>): Promise<ReadonlyMap<string, KnownFile>> {
    this.known ??= await load();
    this.shared = true;
    return this.known;
  }

  /** Before a write that changes files in ways not followed here. */
  forget(): void {
    this.known = undefined;
  }

  /**
   * Runs `write`, which adds `added` to the catalogue's files and deletes those of `removed`
   * ids. What is remembered is set aside while it runs, and comes back with the same change
   * only once the write has succeeded: a write that fails, whatever it left, is read again.
   */
  async changing<T>(
    change: { readonly added?: readonly StoredLogFile[] | undefined; readonly removed?: readonly number[] },
    write: () => Promise<T>,
  ): Promise<T> {
    const before = this.known;
    this.known = undefined;
    const result = await write();
    if (before) {
      const known = this.shared ? new Map(before) : before;
      if (change.removed && change.removed.length > 0) {
        const gone = new Set(change.removed);
        for (const [path, file] of known) if (gone.has(file.id)) known.delete(path);
      }
      for (const file of change.added ?? []) known.set(file.path, { id: file.id, size: file.size, mtimeMs: file.mtimeMs });
      this.known = known;
      this.shared = false;
    }
    return result;
  }
}
