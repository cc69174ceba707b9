// How long a run took, as the CLI, the editor's summary and the results view all say it.
// Every unit is floored: a time shown has always elapsed, so a finished run never reads
// longer than it ran (rounding made 59.96 s "60.0 s" and 119.6 s "1 min 60 s"), and a
// running clock that ticks from 59 s goes to "1 min 0 s", never back.

/** `850 ms`, `1.4 s`, `2 min 5 s`. Negative or non-finite times read as `0 ms`. */
export function formatElapsed(ms: number): string {
  const time = Number.isFinite(ms) ? Math.max(0, ms) : 0;
  if (time < 1000) return `${Math.floor(time)} ms`;
  if (time < 60_000) return `${(Math.floor(time / 100) / 10).toFixed(1)} s`;
  return `${Math.floor(time / 60_000)} min ${Math.floor((time % 60_000) / 1000)} s`;
}

/** A running run's time, in whole seconds: it ticks once a second, not every frame. */
export function runningElapsed(startedAt: number, now: number): string {
  const seconds = Math.floor(Math.max(0, now - startedAt) / 1000);
  return seconds < 60 ? `${seconds} s` : formatElapsed(seconds * 1000);
}
