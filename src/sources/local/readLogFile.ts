// The careful path for one log file that the fast bulk reader rejected: parse it here,
// record by record, so that one bad record costs that record (reported with its line or
// position) and not the whole file. The text comes already read and checked (vetLogFile):
// within the size cap, and nested no deeper than any reader can follow.
import { recordMismatch } from '../../engine/schema';
import { envelopeRecords, unwrapRecord, type ReadAs } from './exportShapes';
import type { LogFormat } from './logFormat';

export interface ParsedRecord {
  /** 1-based position of the record in the file. */
  readonly index: number;
  readonly value: unknown;
}

export interface RecordProblem {
  readonly record?: number;
  readonly line?: number;
  readonly message: string;
}

export interface ParsedLogFile {
  readonly records: ParsedRecord[];
  readonly problems: RecordProblem[];
  /** Set when the records came out of another tool's export (exportShapes.ts). */
  readonly readAs?: ReadAs;
}

function lineAndColumn(text: string, position: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < position; i = text.indexOf('\n', i + 1)) {
    line += 1;
    start = i + 1;
  }
  return { line, column: position - start + 1 };
}

/**
 * JSON.parse's error, with the line and column people look for in an editor. V8 quotes
 * the text around some errors ("Unexpected token 'd', "[default]..." is not valid
 * JSON"): the quote is dropped, because the "log" can be a link to any file, a
 * credentials file included, and its content does not belong in an error message.
 */
const parseMessage = (error: unknown): string =>
  (error as Error).message.replace(/^Unexpected token .*? is not valid JSON$/s, 'an unexpected character');

function jsonError(text: string, error: unknown): RecordProblem {
  const message = parseMessage(error);
  const position = /position (\d+)/.exec(message)?.[1];
  if (position === undefined) return { message: `invalid JSON: ${message}` };
  const { line, column } = lineAndColumn(text, Number(position));
  return { line, message: `invalid JSON at line ${line}, column ${column}: ${message.replace(/ in JSON at position \d+.*$/, '')}` };
}

function listOf(parsed: unknown, format: LogFormat, readAs: ReadAs): unknown[] | string {
  if (format === 'records') {
    const records = (parsed as { Records?: unknown } | null)?.Records;
    return Array.isArray(records) ? records : 'no "Records" array: not a CloudTrail log file';
  }
  if (Array.isArray(parsed)) return parsed;
  return envelopeRecords(parsed, readAs) ?? [parsed];
}

export function parseLogText(source: string, format: LogFormat): ParsedLogFile {
  const problems: RecordProblem[] = [];
  const records: ParsedRecord[] = [];
  const readAs: ReadAs = { timeFromTimestamp: 0 };
  const text = source.replace(/^\uFEFF/, '');
  const keep = (value: unknown, index: number, line?: number): void => {
    const at = `record ${index}${line ? ` (line ${line})` : ''}`;
    const unwrapped = unwrapRecord(value, readAs);
    const mismatch = 'problem' in unwrapped ? unwrapped.problem : recordMismatch(unwrapped.record);
    if (mismatch) problems.push({ record: index, ...(line ? { line } : {}), message: `${at}: ${mismatch}` });
    else records.push({ index, value: (unwrapped as { record: unknown }).record });
  };
  const done = (): ParsedLogFile => ({ records, problems, ...(readAs.shape || readAs.timeFromTimestamp > 0 ? { readAs } : {}) });

  let whole: unknown;
  let wholeError: unknown;
  try {
    whole = JSON.parse(text);
  } catch (error) {
    wholeError = error;
  }
  if (wholeError === undefined) {
    const list = listOf(whole, format, readAs);
    if (typeof list === 'string') return { records, problems: [{ message: list }] };
    list.forEach((value, i) => keep(value, i + 1));
    return done();
  }
  if (format !== 'objects') return { records, problems: [jsonError(text, wholeError)] };

  // Pretty-printed values one after another (outputs appended to one file: `aws cloudtrail
  // lookup-events … >> events.json`). Their first line is a lone bracket, which no NDJSON
  // line is; a value that does not parse costs that value.
  if (/^\s*[{[]\s*\n/.test(text)) {
    let index = 0;
    for (const value of topLevelValues(text)) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(value.text);
      } catch (error) {
        index += 1;
        problems.push({
          record: index,
          line: value.line,
          message: `record ${index} (line ${value.line}): ${jsonError(value.text, error).message}`,
        });
        continue;
      }
      for (const record of envelopeRecords(parsed, readAs) ?? [parsed]) keep(record, ++index, value.line);
    }
    return done();
  }

  // NDJSON: one record a line, and a bad line is only that line. A line may also be a whole
  // envelope (a page of lookup-events output, a search response), whose records it holds.
  const lines = text.split('\n');
  let index = 0;
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      index += 1;
      problems.push({ record: index, line: i + 1, message: `record ${index} (line ${i + 1}): invalid JSON: ${parseMessage(error)}` });
      return;
    }
    for (const record of envelopeRecords(value, readAs) ?? [value]) keep(record, ++index, i + 1);
  });
  return done();
}

/**
 * The top-level JSON values of a text, by its brackets outside strings, each with the line it
 * starts on. Text between values that is not whitespace is a value of its own (it fails to parse,
 * and is reported where it is).
 */
function* topLevelValues(text: string): Generator<{ text: string; line: number }> {
  let depth = 0;
  let inString = false;
  let line = 1;
  let start = -1;
  let startLine = 1;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (c === '\n') line += 1;
    if (inString) {
      if (c === '\\') i += 1;
      else if (c === '"') inString = false;
      continue;
    }
    if (start === -1) {
      if (/\s/.test(c)) continue;
      start = i;
      startLine = line;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth += 1;
    else if (c === '}' || c === ']') depth -= 1;
    if (depth <= 0 && (c === '}' || c === ']' || c === '\n')) {
      yield { text: text.slice(start, i + 1), line: startLine };
      start = -1;
      depth = 0;
    }
  }
  if (start !== -1) yield { text: text.slice(start), line: startLine };
}
