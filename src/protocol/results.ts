// The one message protocol between the extension host and the results webview.
// Both sides import this file; each handles messages with a `switch (message.type)`.
// Plain data only (structured-clone friendly): no classes, no Dates, no functions.
import { isKeptRequest, type KeptHostMessage, type KeptRequest } from './keptResult';
import { PIVOT_KINDS, type PivotKind } from './pivotValues';

/** A JSON-friendly cell value, as the engine produces it (see src/engine/query.ts). */
export type ResultValue = string | number | boolean | null | ResultValue[] | { [key: string]: ResultValue };

/** `unconfigured`: a parameter describing the reader's environment is not set; nothing was judged. */
export type RunStatus = 'running' | 'ok' | 'finding' | 'error' | 'skipped' | 'unconfigured' | 'cancelled';

/** What the view shows about where a cell runs. */
export interface RunContext {
  /** `local logs ./incident-42`, `LookupEvents (profile audit, us-east-1)` */
  readonly source: string;
  /** The AWS account id, when known (LookupEvents). */
  readonly account?: string;
  /** ISO-8601 instants, or absent for "all events". */
  readonly window?: { readonly start: string; readonly end: string; readonly label: string };
}

/** Host → webview. Every message about a cell run carries its `runId`. */
export type HostMessage =
  | {
      readonly type: 'runStarted';
      readonly runId: string;
      readonly runbook: string;
      readonly cellId: string;
      readonly heading?: string;
      /** 1-based line of the cell's fence in the runbook. */
      readonly line: number;
      readonly expect?: 'empty' | 'rows';
      readonly context: RunContext;
      /** Epoch milliseconds. */
      readonly startedAt: number;
    }
  | { readonly type: 'progress'; readonly runId: string; readonly message: string; readonly elapsedMs: number }
  /** A batch of rows, in order; `columns` repeats on every batch so a late view can start anywhere. */
  | { readonly type: 'rows'; readonly runId: string; readonly columns: readonly string[]; readonly rows: readonly ResultValue[][] }
  /**
   * The rows so far are provisional and replaced by what follows: LookupEvents results are
   * shown while paging goes on, each time over more events, then once more when complete.
   */
  | { readonly type: 'rowsReset'; readonly runId: string }
  | {
      readonly type: 'runFinished';
      readonly runId: string;
      readonly status: Exclude<RunStatus, 'running'>;
      readonly rowCount: number;
      /** The row limit was reached: more rows exist. */
      readonly truncated: boolean;
      readonly elapsedMs: number;
      /** The SQL as run, after substitution. */
      readonly sql?: string;
      /** The explanation: what was read, pushed down, fetched, filtered locally. */
      readonly notes: readonly string[];
      /** Problems of the input (files, requests) that did not stop the run. */
      readonly problems: readonly { readonly where: string; readonly message: string }[];
      /** For `error`, `skipped`, `unconfigured`, `cancelled`: one sentence with the fix. */
      readonly error?: string;
      /** `✓ 12 events · 1.4 s`, the same text as the editor's summary. */
      readonly summary: string;
      /** The AWS account the events came from, once the source knows it (LookupEvents). */
      readonly account?: string;
    }
  /** The whole stored event a `wholeEvent` request asked for (every column of the table), or why not. */
  | {
      readonly type: 'wholeEvent';
      readonly runId: string;
      readonly eventId: string;
      readonly event?: { readonly [column: string]: ResultValue };
      readonly error?: string;
    }
  /** Show this run (e.g. the user clicked its summary in the editor). */
  | { readonly type: 'reveal'; readonly runId: string }
  /** The active investigation record (docs/investigations.md): its marked events and notes; `title` absent when none is active. */
  | InvestigationMessage
  /** A large result the host keeps, and its answers to the view's requests (keptResult.ts). */
  | KeptHostMessage
  /** Forget every run (the user closed the runbook's results). */
  | { readonly type: 'clear' };

/** An event the person starred or tagged in the active investigation. */
export interface EventMark {
  readonly eventId: string;
  /** `starred`, or the tag chosen (`suspicious`, `benign`, …). */
  readonly tag: string;
  readonly note?: string;
}

export interface InvestigationMessage {
  readonly type: 'investigation';
  readonly title?: string;
  /** The record's path, as the workspace names it. */
  readonly record?: string;
  readonly marks: readonly EventMark[];
  /** The notes and decisions, oldest first. */
  readonly notes: readonly { readonly at: string; readonly kind: 'note' | 'decision'; readonly text: string }[];
}

export const EXPORT_FORMATS = ['csv', 'json', 'ndjson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Webview → host. */
export type WebviewMessage =
  /** The webview loaded and listens: the host (re)sends what it has. */
  | { readonly type: 'ready' }
  | { readonly type: 'cancel'; readonly runId: string }
  /** Put the cursor on the run's cell in the runbook. */
  | { readonly type: 'revealCell'; readonly runId: string }
  | { readonly type: 'copy'; readonly text: string }
  /** Insert the pivot's cell below the run's cell in the runbook, and run it. `row` is the selected row, by column. */
  | { readonly type: 'pivot'; readonly runId: string; readonly kind: PivotKind; readonly row: { readonly [column: string]: ResultValue } }
  /** The whole event behind a row (the query may have selected a few columns of it), by eventID. */
  | { readonly type: 'wholeEvent'; readonly runId: string; readonly eventId: string }
  /** Save the run's rows (all of them, as the host holds them) to a file the user chooses. */
  | { readonly type: 'export'; readonly runId: string; readonly format: ExportFormat }
  /** Star (or tag: the host asks which) an event in the active investigation; the host asks for the note. */
  | {
      readonly type: 'markEvent';
      readonly runId: string;
      readonly eventId: string;
      readonly how: 'star' | 'tag';
      readonly row: { readonly [column: string]: ResultValue };
    }
  /** Bins, marks or a page of a result the host keeps (keptResult.ts). */
  | KeptRequest;

export function isWebviewMessage(value: unknown): value is WebviewMessage {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as { type?: unknown; runId?: unknown; text?: unknown };
  switch (message.type) {
    case 'ready':
      return true;
    case 'cancel':
    case 'revealCell':
      return typeof message.runId === 'string';
    case 'copy':
      return typeof message.text === 'string';
    case 'pivot': {
      const pivot = value as { kind?: unknown; row?: unknown };
      return (
        typeof message.runId === 'string' &&
        (PIVOT_KINDS as readonly unknown[]).includes(pivot.kind) &&
        typeof pivot.row === 'object' &&
        pivot.row !== null &&
        !Array.isArray(pivot.row)
      );
    }
    case 'wholeEvent':
      return typeof message.runId === 'string' && typeof (value as { eventId?: unknown }).eventId === 'string';
    case 'export':
      return typeof message.runId === 'string' && (EXPORT_FORMATS as readonly unknown[]).includes((value as { format?: unknown }).format);
    case 'markEvent': {
      const mark = value as { eventId?: unknown; how?: unknown; row?: unknown };
      return (
        typeof message.runId === 'string' &&
        typeof mark.eventId === 'string' &&
        (mark.how === 'star' || mark.how === 'tag') &&
        typeof mark.row === 'object' &&
        mark.row !== null &&
        !Array.isArray(mark.row)
      );
    }
    case 'bins':
    case 'marks':
    case 'page':
    case 'position':
      return isKeptRequest(value);
    default:
      return false;
  }
}
