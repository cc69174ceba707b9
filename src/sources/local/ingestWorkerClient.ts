// Starts and talks to the ingest worker (ingestWorker.ts). One worker serves a scan,
// request by request; when it dies (a native crash on a hostile file, the memory limit)
// the requests in flight fail with WorkerCrashed and the next request starts a fresh one,
// so the scan can retry smaller batches and name the file that brings it down.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { bundledScript } from './bundledScript';
import type { WorkerReply, WorkerRequest, WorkerSetup } from './ingestProtocol';

/** The worker stopped while reading: the files of the request are suspects. */
export class WorkerCrashed extends Error {}

type Request = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'seq'> : never) : never;
type Reply<Op extends Request['op']> = Extract<WorkerReply, { op: Op }>;

export class IngestWorker {
  private child: ChildProcess | undefined;
  /** The process forked last, ready or still starting: what kill() and close() end. */
  private forked: ChildProcess | undefined;
  private started: Promise<ChildProcess> | undefined;
  private readonly pending = new Map<number, { resolve: (reply: WorkerReply) => void; reject: (error: Error) => void }>();
  private seq = 0;
  /** Workers started so far (a crash costs one more). */
  starts = 0;

  constructor(private readonly setup: WorkerSetup) {}

  async request<R extends Request>(request: R): Promise<Reply<R['op']>> {
    const child = await this.start();
    const seq = ++this.seq;
    const reply = new Promise<WorkerReply>((resolve, reject) => this.pending.set(seq, { resolve, reject }));
    child.send({ ...request, seq });
    const answer = await reply;
    if (answer.op === 'failed')
      throw new Error(`the ingest worker could not ${request.op === 'bulk' ? 'read a batch' : 'read a file'}: ${answer.message}`);
    return answer as Reply<R['op']>;
  }

  /** Stops the worker now (a cancelled scan): requests in flight fail. */
  kill(): void {
    this.forked?.kill('SIGKILL');
  }

  /**
   * Starts the worker's process now, so that Node and DuckDB load while the caller is still
   * listing or sniffing files; the first request then finds it ready. A failure to start is
   * that first request's error.
   */
  warmUp(): void {
    this.start().catch(() => undefined);
  }

  /** Lets the worker end once idle (or as soon as it has started, when it is still starting). */
  close(): void {
    if (this.forked?.connected) this.forked.disconnect();
    this.forked = undefined;
    this.child = undefined;
    this.started = undefined;
  }

  private start(): Promise<ChildProcess> {
    this.started ??= new Promise<ChildProcess>((resolve, reject) => {
      const script = bundledScript('ingestWorker');
      if (!existsSync(script.path)) {
        reject(new Error(`the ingest worker ${script.path} is missing: build it with npm run build`));
        return;
      }
      this.starts += 1;
      // In VS Code's extension host, process.execPath is the editor's Electron binary:
      // ELECTRON_RUN_AS_NODE makes it the plain Node it bundles.
      const child = fork(script.path, [JSON.stringify(this.setup)], {
        execArgv: script.execArgv,
        env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      this.forked = child;
      let ready = false;
      child.on('message', (message: WorkerReply) => {
        if (message.op === 'ready') {
          ready = true;
          this.child = child;
          resolve(child);
          return;
        }
        const waiting = this.pending.get(message.seq);
        this.pending.delete(message.seq);
        waiting?.resolve(message);
      });
      child.on('error', (error) => {
        if (!ready) reject(new Error(`the ingest worker could not start: ${error.message}`));
      });
      child.on('exit', (code, signal) => {
        if (this.forked === child) this.forked = undefined;
        if (this.child === child || !ready) {
          this.child = undefined;
          this.started = undefined;
        }
        if (!ready) {
          reject(new Error(`the ingest worker could not start (it ended with ${signal ?? `exit code ${code}`})`));
          return;
        }
        const how = signal ? `was killed by ${signal}` : `ended with exit code ${code}`;
        for (const [seq, waiting] of this.pending) {
          this.pending.delete(seq);
          waiting.reject(new WorkerCrashed(`its process ${how}`));
        }
      });
    });
    return this.started;
  }
}
