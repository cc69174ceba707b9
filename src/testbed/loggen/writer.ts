// Writes log files: JSON text on the main thread, gzip on libuv's thread pool. On two
// cores the best split is the main thread building records while one or two pool
// threads compress: more compressions at once would take CPU from the main thread,
// which produces everything. Files wait in a short queue; when it is full the producer
// waits, which bounds memory.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { gzip as gzipCb } from 'node:zlib';
import type { CloudTrailRecord } from './types';

const gzip = promisify(gzipCb);

interface Job {
  path: string;
  json: string;
  count: number;
}

export class GzipWriter {
  files = 0;
  bytes = 0;
  events = 0;
  private readonly queue: Job[] = [];
  private compressing = 0;
  private readonly pending = new Set<Promise<void>>();
  private waiter: (() => void) | undefined;
  private failure: unknown;
  private readonly dirs = new Map<string, Promise<unknown>>();

  constructor(
    private readonly level = 6,
    private readonly parallel = 2,
    private readonly maxQueued = 8,
    private readonly onWritten?: (events: number) => void,
  ) {}

  /** The producer should wait (waitForRoom) before writing more. */
  get full(): boolean {
    return this.queue.length >= this.maxQueued;
  }

  write(path: string, records: CloudTrailRecord[]): void {
    this.queue.push({ path, json: JSON.stringify({ Records: records }), count: records.length });
    this.pump();
  }

  private pump(): void {
    while (this.compressing < this.parallel && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.compressing++;
      const p = this.run(job)
        .catch((e: unknown) => {
          this.failure ??= e;
        })
        .finally(() => this.pending.delete(p));
      this.pending.add(p);
    }
  }

  private async run({ path, json, count }: Job): Promise<void> {
    const dir = dirname(path);
    let made = this.dirs.get(dir);
    if (!made) {
      made = mkdir(dir, { recursive: true });
      this.dirs.set(dir, made);
    }
    let gz: Buffer;
    try {
      // An output buffer that holds the whole file: zlib then compresses it in one
      // thread-pool job instead of coming back to the busy main thread every 16 KB.
      const chunkSize = Math.max(64 * 1024, 2 ** Math.ceil(Math.log2(json.length / 4)));
      gz = await gzip(json, { level: this.level, chunkSize });
    } finally {
      this.compressing--;
      this.pump();
      const w = this.waiter;
      this.waiter = undefined;
      w?.();
    }
    // The gzip header's OS byte depends on the platform zlib was built for; pin it
    // ("unknown") so identical content gives identical files on Linux, macOS, Windows.
    gz[9] = 0xff;
    await made;
    await writeFile(path, gz);
    this.files++;
    this.bytes += gz.length;
    this.events += count;
    this.onWritten?.(this.events);
  }

  /** Resolves once the queue has room again. */
  async waitForRoom(): Promise<void> {
    while (this.full) await new Promise<void>((resolve) => (this.waiter = resolve));
    if (this.failure) throw this.failure;
  }

  async finish(): Promise<void> {
    while (this.queue.length > 0 || this.pending.size > 0) await Promise.all([...this.pending]);
    if (this.failure) throw this.failure;
  }
}
