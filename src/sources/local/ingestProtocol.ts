// What the ingest worker (ingestWorker.ts, a child process) and the scan that starts it
// (ingestWorkerClient.ts) say to each other over the IPC channel.
import type { NarrowRead } from '../../engine/cellColumns';
import type { LogFormat } from './logFormat';
import type { ReadAs } from './exportShapes';
import type { RecordProblem } from './readLogFile';

export interface WorkerSetup {
  /** The folders the log files are in: all the worker's DuckDB may read besides its own. */
  readonly logFolders: readonly string[];
  /** The worker's own scratch folder (DuckDB's spill files). */
  readonly scratchDir: string;
  /** Where batches are written (the store's events folder). */
  readonly eventsDir: string;
  readonly memoryLimit: string;
  readonly threads?: number;
  /**
   * The nesting a file may have (default MAX_JSON_DEPTH). Raised only by tests, to reach
   * the crash containment with the depth check out of the way.
   */
  readonly maxJsonDepth?: number;
}

export interface WorkerFile {
  readonly id: number;
  readonly path: string;
  /** As listed: a file larger than the packs take is not opened to find it out (packedLogs.ts). */
  readonly size?: number;
}

export type WorkerRequest =
  /** Read the files into one Parquet file with DuckDB's JSON reader, as they are. */
  | {
      readonly seq: number;
      readonly op: 'bulk';
      readonly format: Exclude<LogFormat, 'objects'>;
      readonly files: WorkerFile[];
      readonly parquet: string;
    }
  /**
   * Read the files with DuckDB's JSON reader converting only what `read` names and keeping
   * its columns (and what every batch holds), to answer a cell before the cache is written;
   * nothing is split or retried.
   */
  | {
      readonly seq: number;
      readonly op: 'project';
      readonly format: Exclude<LogFormat, 'objects'>;
      readonly files: WorkerFile[];
      readonly read: NarrowRead;
      readonly parquet: string;
    }
  /** Check one file and parse it record by record into a Parquet file. */
  | { readonly seq: number; readonly op: 'careful'; readonly format: LogFormat; readonly file: WorkerFile; readonly parquet: string };

export interface FileVerdict {
  readonly id: number;
  /** Set when the file was not read at all. */
  readonly refused?: RecordProblem;
  /** Problems of a file that was read (bytes that are not UTF-8, bad records). */
  readonly problems: RecordProblem[];
  /** How the careful reader found the events, when not as CloudTrail writes them. */
  readonly readAs?: ReadAs;
}

export type WorkerReply =
  | {
      readonly seq: number;
      readonly op: 'bulk';
      readonly verdicts: FileVerdict[];
      /** Whether the Parquet file was written (false when every file was refused, or on `error`). */
      readonly written: boolean;
      /** DuckDB's reader failed on the batch: nothing was written, and the files are to be split. */
      readonly error?: string;
    }
  | { readonly seq: number; readonly op: 'careful'; readonly verdict: FileVerdict; readonly written: boolean }
  /** `error`: the reader failed on some file (which one is for the full read to find out). */
  | { readonly seq: number; readonly op: 'project'; readonly written: boolean; readonly error?: string }
  /** The request could not be carried out (not a file's fault: a full disk, a bug). */
  | { readonly seq: number; readonly op: 'failed'; readonly message: string }
  /** Sent once, when DuckDB is open and requests can come. */
  | { readonly seq: 0; readonly op: 'ready' };
