// When the editor lints a document: after a pause in typing, at most one lint in flight per
// document, and the latest text wins. An edit aborts the lint of the older text (it stops
// at its next cell), and however many edits come meanwhile, one lint follows it, never a
// queue. Plain TypeScript, no vscode: the lint itself is a function given in.

export type LintRun = (key: string, signal: AbortSignal) => Promise<void>;

interface Slot {
  timer?: ReturnType<typeof setTimeout> | undefined;
  running?: AbortController | undefined;
  /** Asked again while running: one more lint once the running one has stopped. */
  again: boolean;
}

export class LintScheduler {
  private readonly slots = new Map<string, Slot>();

  constructor(
    private readonly run: LintRun,
    private readonly delayMs: number,
  ) {}

  /** The document changed (or was opened): lint it after the pause. */
  schedule(key: string): void {
    let slot = this.slots.get(key);
    if (!slot) this.slots.set(key, (slot = { again: false }));
    // What is being checked describes text that is gone: stop it now, not after the pause.
    slot.running?.abort();
    clearTimeout(slot.timer);
    slot.timer = setTimeout(() => {
      slot.timer = undefined;
      this.start(key, slot);
    }, this.delayMs);
  }

  /** The document closed: stop and forget it. */
  forget(key: string): void {
    const slot = this.slots.get(key);
    if (!slot) return;
    clearTimeout(slot.timer);
    slot.running?.abort();
    slot.again = false;
    this.slots.delete(key);
  }

  /** Whether a lint of this document is running (for tests and diagnostics). */
  busy(key: string): boolean {
    return this.slots.get(key)?.running !== undefined;
  }

  dispose(): void {
    for (const key of [...this.slots.keys()]) this.forget(key);
  }

  private start(key: string, slot: Slot): void {
    if (this.slots.get(key) !== slot) return;
    if (slot.running) {
      slot.running.abort();
      slot.again = true;
      return;
    }
    const controller = new AbortController();
    slot.running = controller;
    // The run reports its own problems; a rejection here must not become unhandled.
    void this.run(key, controller.signal)
      .catch(() => undefined)
      .finally(() => {
        slot.running = undefined;
        if (slot.again && this.slots.get(key) === slot) {
          slot.again = false;
          this.start(key, slot);
        }
      });
  }
}
