// Finds the log files under a path. For the S3 layout CloudTrail writes
// (AWSLogs/[o-org/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/), day folders that cannot hold
// events of the window are skipped without being opened: on a trail with years of logs
// that is the difference between reading a day and reading everything.
import { readdirSync, statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import type { TimeWindow } from '../../engine/timeWindow';

export interface LogFile {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
}

export interface Discovery {
  readonly root: string;
  readonly files: LogFile[];
  /** Day folders of the S3 layout left unopened because they lie outside the window. */
  readonly skippedDayFolders: number;
  /** Files that are not logs by their name (README, hidden files): listed, never read. */
  readonly ignored: string[];
  /** CloudTrail digest files: integrity proofs, not events. */
  readonly digestFolders: number;
}

const LOG_NAME = /\.(json|jsonl|ndjson)(\.gz)?$/i;
const DAY_MS = 86_400_000;

/**
 * CloudTrail names a day folder by the time the file was delivered, which is after the
 * events in it (usually by minutes). So a folder for day D holds events of D, and near
 * midnight of D-1: a window needs its own days plus the day after it ends.
 */
function dayFolderOverlaps(year: number, month: number, day: number | undefined, window: TimeWindow): boolean {
  const first = Date.UTC(year, month - 1, day ?? 1);
  const last = day === undefined ? Date.UTC(year, month, 1) : first + DAY_MS; // exclusive
  const earliestEvent = first - DAY_MS;
  return earliestEvent < window.end.getTime() && last > window.start.getTime();
}

function folderInWindow(relativeDir: string, window: TimeWindow): boolean {
  const parts = relativeDir.split(sep);
  const at = parts.lastIndexOf('CloudTrail');
  if (at < 0) return true;
  const [, year, month, day] = parts.slice(at + 1); // REGION, YYYY, MM, DD
  if (year === undefined || !/^\d{4}$/.test(year)) return true;
  const y = Number(year);
  if (month === undefined) return Date.UTC(y - 1, 11, 31) < window.end.getTime() && Date.UTC(y + 1, 0, 1) > window.start.getTime();
  if (!/^\d{2}$/.test(month)) return true;
  if (day !== undefined && !/^\d{2}$/.test(day)) return true;
  return dayFolderOverlaps(y, Number(month), day === undefined ? undefined : Number(day), window);
}

export async function discoverLogFiles(path: string, window: TimeWindow): Promise<Discovery> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new Error(
      error.code === 'ENOENT' ? `log path ${path} does not exist` : `cannot read log path ${path}: ${error.message}`,
    );
  });
  const result: Discovery = { root: path, files: [], skippedDayFolders: 0, ignored: [], digestFolders: 0 };
  if (info.isFile()) {
    result.files.push({ path, size: info.size, mtimeMs: Math.trunc(info.mtimeMs) });
    return result;
  }
  let skipped = 0;
  let digests = 0;
  let sinceYield = 0;
  // Synchronous stat calls, with a pause now and then: for thousands of small calls the
  // thread-pool round trips of the async API cost more than the calls themselves.
  const walk = async (dir: string): Promise<void> => {
    const entries = readdirSync(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (++sinceYield >= 2000) {
        sinceYield = 0;
        await new Promise((resolve) => setImmediate(resolve));
      }
      const full = join(dir, entry.name);
      // Hidden entries (.git, .DS_Store, a tool's own state) are never logs.
      if (entry.name.startsWith('.')) {
        if (!entry.isDirectory()) result.ignored.push(full);
        continue;
      }
      if (entry.isDirectory()) {
        if (entry.name === 'CloudTrail-Digest') {
          digests += 1;
          continue;
        }
        if (!folderInWindow(relative(path, full), window)) {
          skipped += 1;
          continue;
        }
        await walk(full);
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        if (!LOG_NAME.test(entry.name)) {
          result.ignored.push(full);
          continue;
        }
        const s = statSync(full);
        result.files.push({ path: full, size: s.size, mtimeMs: Math.trunc(s.mtimeMs) });
      }
    }
  };
  await walk(path);
  return { ...result, skippedDayFolders: skipped, digestFolders: digests };
}

/** CloudTrail's own file names: these always hold `{"Records": [...]}`. */
export function isCloudTrailDeliveryName(path: string): boolean {
  return /^\d{12}_CloudTrail_[a-z0-9-]+_\d{8}T\d{4}Z_[A-Za-z0-9]+\.json\.gz$/.test(basename(path));
}
