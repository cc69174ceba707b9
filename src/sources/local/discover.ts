// Finds the log files under a path. For the S3 layout CloudTrail writes
// (AWSLogs/[o-org/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/), day folders that cannot hold
// events of the window are skipped without being opened: on a trail with years of logs
// that is the difference between reading a day and reading everything.
//
// A log folder can come from anywhere (an incident's archive, a colleague's export), so
// one bad entry is a problem to report, never the end of the run: a broken or looping
// symbolic link, a folder that cannot be read, a FIFO or a device named like a log.
// Symbolic links are followed only within the folder: a "log" that links to a file
// elsewhere (a credentials file, /dev/zero) is reported, not read.
import { readdirSync, realpathSync, statSync, type Dirent, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, join, normalize, relative, sep } from 'node:path';
import type { TimeWindow } from '../../engine/timeWindow';
import { errorCode, isRegularFile, kindOfMode, statFiles, type FileFacts } from './statFiles';

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
  /** Entries that could not be listed or followed, each with why. */
  readonly problems: { readonly path: string; readonly message: string }[];
}

const LOG_NAME = /\.(json|jsonl|ndjson)(\.gz)?$/i;
/** What Trailbook itself leaves in a log folder: the generator's manifest (src/testbed/loggen/manifest.ts's MANIFEST_FILE). */
export const TRAILBOOK_FILES: ReadonlySet<string> = new Set(['.trailbook-manifest.json']);
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

/**
 * What the walk found, in its order: a problem, or a file named like a log with its facts
 * (a symbolic link's target, stat-ed as it was followed) or without (stat-ed after the walk,
 * all at once: statFiles.ts).
 */
type Found = { readonly problem: string; readonly path: string } | { readonly path: string; readonly facts: FileFacts | undefined };

/** Why a symbolic link cannot be followed, in words. */
function linkProblem(error: unknown): string {
  switch (errorCode(error)) {
    case 'ENOENT':
      return 'a broken symbolic link: its target does not exist';
    case 'ELOOP':
      return 'a symbolic link loop: it never reaches a file';
    default:
      return `a symbolic link that cannot be followed (${errorCode(error)})`;
  }
}

/**
 * `join(dir, name)` for a name readdir gave (never `.`, `..` or holding a separator) in a
 * folder the walk built: as the listing's paths are kept, join's normalising walk over
 * every character, and the pieces it leaves, cost a warm run over 146,305 files 0.2 s of
 * its own and 0.4 s of garbage collection more.
 */
function childPath(dir: string, name: string): string {
  return dir.endsWith(sep) ? dir + name : dir + sep + name;
}

const within = (root: string, path: string): boolean => path === root || path.startsWith(root.endsWith(sep) ? root : `${root}${sep}`);

export async function discoverLogFiles(path: string, window: TimeWindow): Promise<Discovery> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new Error(error.code === 'ENOENT' ? `log path ${path} does not exist` : `cannot read log path ${path}: ${error.message}`);
  });
  const result: Discovery = { root: path, files: [], skippedDayFolders: 0, ignored: [], digestFolders: 0, problems: [] };
  if (info.isFile()) {
    result.files.push({ path, size: info.size, mtimeMs: Math.trunc(info.mtimeMs) });
    return result;
  }
  if (!info.isDirectory()) throw new Error(`log path ${path} is ${kindOfMode(info.mode)}: give a log file or a folder`);
  const root = realpathSync(path);
  // Normalised as join would: the walk's paths are built by childPath.
  const top = normalize(path);
  // Folders already listed, by real path: a link back to one of them is a loop (or a
  // second way to the same files), and is not listed again.
  const listed = new Set<string>([root]);
  const found: Found[] = [];
  const problem = (where: string, message: string): void => void found.push({ path: where, problem: message });
  let skipped = 0;
  let digests = 0;
  let sinceYield = 0;

  /** A symbolic link: followed when it leads to a file or folder inside the log folder. */
  const followLink = async (full: string, name: string): Promise<void> => {
    let real: string;
    let target: Stats;
    try {
      real = realpathSync(full);
      target = statSync(real);
    } catch (error) {
      if (LOG_NAME.test(name) || errorCode(error) === 'ELOOP') problem(full, linkProblem(error));
      else result.ignored.push(full);
      return;
    }
    if (!within(root, real)) {
      if (target.isDirectory() || LOG_NAME.test(name)) {
        problem(
          full,
          `a symbolic link to ${target.isDirectory() ? 'a folder' : 'a file'} outside ${path}: not followed (give its target as the log path to read it)`,
        );
      } else result.ignored.push(full);
      return;
    }
    if (target.isDirectory()) return walkFolder(full, real);
    if (!LOG_NAME.test(name)) result.ignored.push(full);
    else found.push({ path: full, facts: { size: target.size, mtimeMs: Math.trunc(target.mtimeMs), mode: target.mode } });
  };

  const walkFolder = async (dir: string, real: string): Promise<void> => {
    if (listed.has(real)) {
      problem(dir, 'a folder that is read already by another path (a symbolic link loop, or a second way in): not read again');
      return;
    }
    if (!folderInWindow(relative(path, dir), window)) {
      skipped += 1;
      return;
    }
    listed.add(real);
    await walk(dir, real);
  };

  // Synchronous calls, with a pause now and then: for thousands of small calls the
  // thread-pool round trips of the async API cost more than the calls themselves.
  const walk = async (dir: string, real: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      if (dir === top) throw new Error(`cannot read log path ${path}: ${(error as Error).message}`);
      problem(dir, `a folder that cannot be read (${errorCode(error)}): its files are not read`);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      if (++sinceYield >= 2000) {
        sinceYield = 0;
        await new Promise((resolve) => setImmediate(resolve));
      }
      const full = childPath(dir, entry.name);
      // Hidden entries (.git, .DS_Store, a tool's own state) are never logs; Trailbook's own
      // files are not even worth a note saying so.
      if (entry.name.startsWith('.')) {
        if (!entry.isDirectory() && !TRAILBOOK_FILES.has(entry.name)) result.ignored.push(full);
        continue;
      }
      if (entry.isDirectory()) {
        if (entry.name === 'CloudTrail-Digest') digests += 1;
        else await walkFolder(full, join(real, entry.name));
      } else if (entry.isSymbolicLink()) {
        await followLink(full, entry.name);
      } else if (!LOG_NAME.test(entry.name)) {
        result.ignored.push(full);
      } else {
        found.push({ path: full, facts: undefined });
      }
    }
  };
  await walk(top, root);

  // Indexed loops, no flatMap: run once a listing, so before V8 optimises them, and at 146,305
  // files their iterators and small arrays were about 30 MB of garbage.
  const unstated: string[] = [];
  for (let i = 0; i < found.length; i++) {
    const item = found[i]!;
    if ('facts' in item && item.facts === undefined) unstated.push(item.path);
  }
  const stated = await statFiles(unstated);
  let next = 0;
  for (let i = 0; i < found.length; i++) {
    const item = found[i]!;
    if ('problem' in item) {
      result.problems.push({ path: item.path, message: item.problem });
      continue;
    }
    const facts = item.facts ?? stated[next++]!;
    if (typeof facts === 'string')
      result.problems.push({ path: item.path, message: `cannot read the file's size and time (${facts}): not read` });
    else if (!isRegularFile(facts))
      result.problems.push({ path: item.path, message: `${kindOfMode(facts.mode)}, not a regular file: not read` });
    else result.files.push({ path: item.path, size: facts.size, mtimeMs: facts.mtimeMs });
  }
  return { ...result, skippedDayFolders: skipped, digestFolders: digests };
}

/** CloudTrail's own file names: these always hold `{"Records": [...]}`. */
export function isCloudTrailDeliveryName(path: string): boolean {
  return /^\d{12}_CloudTrail_[a-z0-9-]+_\d{8}T\d{4}Z_[A-Za-z0-9]+\.json\.gz$/.test(basename(path));
}
