// The local-logs source: a file or folder of CloudTrail logs, brought into the event store
// for a window. What the run saw (files, cache use, skipped folders, problems) is kept so
// that every result can say where its events came from.
import { resolve } from 'node:path';
import type { ErrorKind } from '../../engine/errorKind';
import type { EventStore } from '../../engine/eventStore';
import type { TidyResult } from '../../engine/store/catalogue';
import { count, plural } from '../../protocol/plural';
import type { EventSource, PreparedScope, SourceProgress } from '../../engine/eventSource';
import { ALL_TIME, type TimeWindow } from '../../engine/timeWindow';
import { sqlPathList, sqlTimestamp } from '../../engine/sqlText';
import { fileIdPredicate } from '../../engine/query';
import { discoverLogFiles, type Discovery } from './discover';
import { answerFromLogs } from './directAnswer';
import { ingestLogFiles, type IngestOptions, type IngestResult } from './ingest';
import { scanProgressText } from './scanProgress';
import { readingNotes } from './readingNotes';

export interface LocalScan {
  readonly discovery: Discovery;
  readonly ingest: IngestResult;
}

export class NoLogsError extends Error {
  readonly errorKind: ErrorKind = { kind: 'noLogs' };
}

export async function scanLocalLogs(
  store: EventStore,
  logsPath: string,
  window: TimeWindow,
  options: IngestOptions = {},
): Promise<LocalScan> {
  const discovery = await discoverForScan(logsPath, window);
  const ingest = await ingestLogFiles(store, discovery.files, options);
  return { discovery, ingest };
}

/** The log files of the window, or an error that says what --logs should point at. */
async function discoverForScan(logsPath: string, window: TimeWindow): Promise<Discovery> {
  const discovery = await discoverLogFiles(resolve(logsPath), window);
  if (discovery.files.length === 0 && discovery.skippedDayFolders === 0) {
    const ignored =
      discovery.ignored.length > 0 ? ` (${discovery.ignored.length} other files were ignored, e.g. ${discovery.ignored[0]})` : '';
    const first = discovery.problems[0];
    const unreadable = first
      ? ` (${discovery.problems.length} ${discovery.problems.length === 1 ? 'entry' : 'entries'} could not be read, e.g. ${first.path}: ${first.message})`
      : '';
    throw new NoLogsError(
      `no CloudTrail log files (.json, .json.gz, .jsonl, .ndjson) under ${logsPath}${ignored}${unreadable}: choose a folder downloaded from the trail's S3 bucket, or exported log files (--logs in the CLI, trailbook.logsPath in the editor)`,
    );
  }
  return discovery;
}

export interface LocalLogsOptions {
  /**
   * On a cold scan whose cell is the run's last on this source (prepare's lastOnSource),
   * answer it from the JSON as it is parsed (directAnswer.ts) and write the cache after,
   * when the runner asks (PreparedScope.writeCache). The answer's scope is the narrow read's
   * (the cell's columns only) until then: a face that looks at its events later (the editor's
   * detail pane) reads them through the run the runner gives again (onCellAmended).
   */
  readonly answerFirst?: boolean;
}

type PrepareOptions = { signal?: AbortSignal; onProgress?: (progress: SourceProgress) => void; lastOnSource?: boolean };

/**
 * Local logs as an EventSource: a query scans (or finds cached) the files of its window.
 * One instance is one run: cells of the run that share a window share one scan, so listing
 * and checking thousands of files happens once, not once a cell.
 */
export class LocalLogsSource implements EventSource {
  readonly label: string;
  // Local files are already a selection: by default everything in them counts.
  readonly defaultWindow = undefined;
  private readonly scans = new Map<string, Promise<PreparedScope>>();

  /** Once per source (one run), before the first scan: the store compacted when worth it (compaction.ts). */
  private tidied: Promise<TidyResult> | undefined;

  /** Cache writes a direct answer left to do, by window: started by the runner, or by the next cell. */
  private readonly cacheWrites = new Map<string, () => Promise<PreparedScope>>();

  constructor(
    private readonly store: EventStore,
    private readonly logsPath: string,
    private readonly options: LocalLogsOptions = {},
  ) {
    this.label = `local logs ${logsPath}`;
  }

  prepare(window: TimeWindow, sql: string, options: PrepareOptions = {}): Promise<PreparedScope> {
    const key = `${window.start.toISOString()}/${window.end.toISOString()}`;
    const pending = this.cacheWrites.get(key);
    if (pending) return pending();
    let scan = this.scans.get(key);
    if (!scan) {
      // Only for the run's last cell here: a later one would wait for the cache, which then
      // costs a second parse of every file (docs/local-logs.md has the figures).
      scan =
        this.options.answerFirst && options.lastOnSource === true
          ? this.answerFirst(key, window, sql, options)
          : this.scan(window, options);
      this.scans.set(key, scan);
      // A failed or cancelled scan is not remembered: the next cell tries again.
      scan.catch(() => this.scans.delete(key));
    }
    return scan;
  }

  /**
   * `found`: the files as listed for an answer from the logs, and whether it was given (this
   * then writes the cache behind it).
   */
  private async scan(
    window: TimeWindow,
    options: PrepareOptions,
    found?: { discovery: Discovery; answered: boolean },
  ): Promise<PreparedScope> {
    await (this.tidied ??= this.store.catalogue.tidy());
    const discovery = found?.discovery ?? (await discoverForScan(this.logsPath, window));
    const ingest = await ingestLogFiles(this.store, discovery.files, {
      ...(options.signal ? { signal: options.signal } : {}),
      onProgress: (p) =>
        options.onProgress?.({
          message: scanProgressText(found?.answered ? 'writing the cache' : 'parsing', p),
          elapsedMs: p.elapsedMs,
        }),
    });
    return this.describe(discovery, ingest, window);
  }

  /**
   * A cold scan's first cell: answered from the narrow batches when that can be exact, and
   * the scan remembered as the cache write still to do. Later cells of the window (and the
   * runner, once the answer is out) start it; every cell after the first reads the cache.
   */
  private async answerFirst(key: string, window: TimeWindow, sql: string, options: PrepareOptions): Promise<PreparedScope> {
    const discovery = await discoverForScan(this.logsPath, window);
    const direct = await answerFromLogs(this.store, discovery.files, sql, {
      ...(options.signal ? { signal: options.signal } : {}),
      onProgress: (p) =>
        options.onProgress?.({ message: scanProgressText(p.phase ?? 'answering from the logs', p), elapsedMs: p.elapsedMs }),
    });
    // Not answered from the logs (a warm run, or a cell it cannot answer): the files just
    // listed are scanned, not listed again (146,305 files took 0.7-1.3 s to list).
    if (!direct) return this.scan(window, options, { discovery, answered: false });
    let written: Promise<PreparedScope> | undefined;
    const writeCache = (): Promise<PreparedScope> => {
      if (!written) {
        this.cacheWrites.delete(key);
        written = this.scan(window, options, { discovery, answered: true }).finally(() => direct.discard());
        this.scans.set(key, written);
        written.catch(() => this.scans.delete(key));
      }
      return written;
    };
    const answered =
      direct.skipped > 0
        ? this.describeSearched(discovery, direct.ingest, direct.skipped, window)
        : await this.describe(discovery, direct.ingest, window).catch((error: Error) => {
            direct.discard();
            throw error;
          });
    this.cacheWrites.set(key, writeCache);
    return { ...answered, scope: { ...answered.scope, columns: direct.columns }, writeCache };
  }

  /**
   * A first answer from the files that hold the strings the cell requires: the others cannot
   * add a row, but their counts and problems are known only once the cache is written, when
   * the run takes the whole scan's notes (app/cacheWrittenRun.ts).
   */
  private describeSearched(discovery: Discovery, ingest: IngestResult, skipped: number, window: TimeWindow): PreparedScope {
    const read = discovery.files.length - skipped;
    const notes = [
      `${plural(discovery.files.length, 'log file')} under ${this.logsPath}: answered from the ${plural(read, 'file')} holding the values the cell requires ` +
        `(${count(ingest.eventsParsed)} events); the other ${count(skipped)} hold none of them, so no event of theirs can match`,
      `the window's counts and any problems reading the logs come once the cache is written`,
    ];
    return { scope: { fileIds: ingest.fileIds, batchFiles: ingest.batchFiles, window }, notes, problems: listingProblems(discovery) };
  }

  private async describe(discovery: Discovery, ingest: IngestResult, window: TimeWindow): Promise<PreparedScope> {
    const notes = [
      `${plural(discovery.files.length, 'log file')} under ${this.logsPath}` +
        (ingest.filesParsed > 0
          ? `: ${count(ingest.filesParsed)} parsed (${count(ingest.eventsParsed)} events), ${count(ingest.filesCached)} from the cache`
          : ', all from the cache'),
    ];
    const counts = await eventCounts(this.store, ingest, window);
    notes.push(windowNote(counts, window));
    if (counts.untimed > 0) {
      notes.push(
        `${plural(counts.untimed, 'record')} not loaded: no eventTime that can be read as a date and time (each file is named in the problems)`,
      );
    }
    notes.push(...(await readingNotes(this.store, ingest)));
    if (discovery.skippedDayFolders > 0) notes.push(`${plural(discovery.skippedDayFolders, 'folder')} outside the window left unread`);
    if (discovery.ignored.length > 0)
      notes.push(
        `${plural(discovery.ignored.length, 'file')} ignored, hidden or not named .json, .json.gz, .jsonl, .ndjson (e.g. ${discovery.ignored[0]})`,
      );
    if (discovery.digestFolders > 0) notes.push(`CloudTrail-Digest folders skipped: they hold integrity digests, not events`);
    if (this.store.cacheNote) notes.push(this.store.cacheNote);
    const tidied = await this.tidied;
    if (tidied?.failure) notes.push(tidied.failure);
    // What could not be listed or followed, then what could not be read.
    const problems = listingProblems(discovery).concat(
      ingest.problems.map((p) => ({
        where: p.line !== undefined ? `${p.path}:${p.line}` : p.path,
        message: p.message,
      })),
    );
    const scope = { fileIds: ingest.fileIds, batchFiles: ingest.batchFiles, window };
    // Every record refused, every file unreadable: a query would answer "0 rows" about logs
    // it never saw, and a detection would pass. That is a failure of the run, not a result.
    if (counts.total === 0 && problems.length > 0) {
      const nothingRead =
        `nothing could be read from the ${plural(discovery.files.length, 'log file')} under ${this.logsPath}: ` +
        `every file or record was refused (${plural(problems.length, 'problem')}, listed with the result), so no event was checked`;
      return { scope, notes, problems, nothingRead };
    }
    return { scope, notes, problems };
  }
}

/** What could not be listed or followed, as the result's problems. */
const listingProblems = (discovery: Discovery): { where: string; message: string }[] =>
  discovery.problems.map((p) => ({ where: p.path, message: p.message }));

interface EventCounts {
  readonly inWindow: number;
  /** Every event read from the files, in the window or not. */
  readonly total: number;
  readonly first: string | null;
  readonly last: string | null;
  /** Records read whose eventTime is missing or unreadable: kept out of every window. */
  readonly untimed: number;
}

async function eventCounts(store: EventStore, ingest: IngestResult, window: TimeWindow): Promise<EventCounts> {
  if (ingest.batchFiles.length === 0) return { inWindow: 0, total: 0, first: null, last: null, untimed: 0 };
  const result = await store.writer.runAndReadAll(`
    SELECT count(*) FILTER (WHERE _ts >= ${sqlTimestamp(window.start)} AND _ts < ${sqlTimestamp(window.end)}),
           count(_ts), strftime(min(_ts), '%Y-%m-%dT%H:%M:%SZ'), strftime(max(_ts), '%Y-%m-%dT%H:%M:%SZ'),
           count(*) FILTER (WHERE _ts IS NULL)
    FROM read_parquet(${sqlPathList(ingest.batchFiles)}) WHERE ${fileIdPredicate(ingest.fileIds)}`);
  const [inWindow, total, first, last, untimed] = result.getRowsJS()[0] as [bigint, bigint, string | null, string | null, bigint];
  return { inWindow: Number(inWindow), total: Number(total), first, last, untimed: Number(untimed) };
}

/** How many of the events read fall in the window, and where the others lie: an empty
 *  result over logs from last year should say so, not look like a clean bill of health. */
function windowNote({ inWindow, total, first, last }: EventCounts, window: TimeWindow): string {
  if (total === 0) return `no events in the log files of the window ${window.label}`;
  if (window === ALL_TIME) return `${plural(total, 'event')}${first ? ` from ${first} to ${last}` : ''}, no window`;
  const span = `${window.start.toISOString()} to ${window.end.toISOString()}`;
  if (inWindow === total) return `window ${window.label} (${span}): all ${plural(total, 'event')}`;
  return (
    `window ${window.label} (${span}): ${count(inWindow)} of ${plural(total, 'event')} read` +
    (first ? `; the logs span ${first} to ${last}` : '')
  );
}
