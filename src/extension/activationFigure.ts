// The activation figure the extension logs (and the e2e run prints): the wall time of the
// bundle's evaluation (marked by its first and last lines, scripts/build.mjs) and of
// activate(), each with the CPU time the process spent meanwhile. On a busy machine the two
// part: the wall time is what a person waits, the CPU time what the code costs. An e2e run
// on a shared two-core machine measured 166.8 ms of wall time for 14.9 ms of CPU.

/** Set by the bundle's first and last lines; absent when run from source. */
declare const globalThis: {
  __trailbookLoadStart?: number;
  __trailbookLoadEnd?: number;
  __trailbookLoadStartCpu?: NodeJS.CpuUsage;
  __trailbookLoadEndCpu?: NodeJS.CpuUsage;
};

export interface Span {
  readonly ms: number;
  readonly cpuMs: number;
}

const cpuMs = (usage: NodeJS.CpuUsage): number => (usage.user + usage.system) / 1000;

/** The bundle's evaluation; zero when run from source (no marks). */
export function bundleEvaluation(): Span {
  const {
    __trailbookLoadStart: start,
    __trailbookLoadEnd: end,
    __trailbookLoadStartCpu: startCpu,
    __trailbookLoadEndCpu: endCpu,
  } = globalThis;
  return {
    ms: start !== undefined && end !== undefined ? end - start : 0,
    cpuMs: startCpu && endCpu ? cpuMs(endCpu) - cpuMs(startCpu) : 0,
  };
}

/** A clock started now: call the result to read the span since. */
export function startSpan(): () => Span {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  return () => ({ ms: performance.now() - wall, cpuMs: cpuMs(process.cpuUsage(cpu)) });
}

const timed = ({ ms, cpuMs: cpu }: Span): string => `${ms.toFixed(1)} ms (CPU ${cpu.toFixed(1)} ms)`;

/** `activated in 12.0 ms (CPU 11.2 ms): bundle evaluated in …, activate() in …; slowest: …` */
export function activationLine(load: Span, activate: Span, registrations: readonly (readonly [string, number])[]): string {
  const slowest = [...registrations]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([name, ms]) => `${name} ${ms.toFixed(1)} ms`)
    .join(', ');
  const total = { ms: load.ms + activate.ms, cpuMs: load.cpuMs + activate.cpuMs };
  return `activated in ${timed(total)}: bundle evaluated in ${timed(load)}, activate() in ${timed(activate)} (DuckDB loads on the first run, the AWS SDK on the first that calls AWS); slowest: ${slowest}`;
}
