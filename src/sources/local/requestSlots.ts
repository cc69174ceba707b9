// How many requests the ingest worker works on at once. Two batches in flight keep both
// cores busy: while one batch's files are still being parsed, or its Parquet file closed,
// or its row committed in the parent, the other is being parsed (docs/local-logs.md has the
// figures). But a worker that dies takes every request in flight down with it, and only one
// of them is to blame: a request that must know whether its own files crashed the worker
// (after a crash, and for the careful reader) runs alone.

export class RequestSlots {
  private running = 0;
  private alone = false;
  private readonly waiting: { readonly alone: boolean; readonly start: () => void }[] = [];

  constructor(private readonly size: number) {}

  /** Runs `work` beside up to size − 1 others, or with nothing else in flight when `alone`. */
  async run<T>(alone: boolean, work: () => Promise<T>): Promise<T> {
    await new Promise<void>((start) => {
      this.waiting.push({ alone, start });
      this.next();
    });
    try {
      return await work();
    } finally {
      this.running -= 1;
      this.alone = false;
      this.next();
    }
  }

  /** Starts waiting requests in order: one that must run alone waits for the others to finish, and holds back those behind it. */
  private next(): void {
    while (!this.alone) {
      const first = this.waiting[0];
      if (first === undefined || (first.alone ? this.running > 0 : this.running >= this.size)) return;
      this.waiting.shift();
      this.running += 1;
      this.alone = first.alone;
      first.start();
    }
  }
}
