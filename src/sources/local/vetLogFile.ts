// Reads a log file once, all of it, checking on the way what would hurt a reader: its
// size (capped, see logStream), its nesting depth (see jsonDepth) and its encoding. The
// bytes go on to `sink` as they are checked, for the careful parser, which then reads
// exactly the bytes that were checked, never a file an attacker could swap in between.
// Only files that failed the bulk reader come here (see ingestWorker.ts): checking every
// file first doubled the cost of a cold scan.
import { depthState, followDepth, MAX_JSON_DEPTH } from './jsonDepth';
import { classify, recordDepth, SNIFF_LIMIT, type LogFormat } from './logFormat';
import { LogFileProblem, openLogStream, type LogStream } from './logStream';
import type { RecordProblem } from './readLogFile';
import { Utf8Check } from './utf8Check';

export type Vetted =
  /** Readable; `notes` are problems that do not stop it (bytes that are not UTF-8). */
  { readonly ok: true; readonly notes: RecordProblem[] } | { readonly ok: false; readonly problem: RecordProblem };

const where = (line: number, record: number): string => (record > 0 ? `record ${record} (line ${line})` : `line ${line}`);

function refuse(message: string, line?: number, record?: number): Vetted {
  return { ok: false, problem: { ...(record ? { record } : {}), ...(line ? { line } : {}), message } };
}

const FORMAT_WORDS: Record<LogFormat, string> = { records: '{"Records": [...]}', array: 'a JSON array', objects: 'JSON objects' };

/**
 * Streams `path` into `sink`. `format` is what sniffing found; a file whose start says
 * otherwise is refused rather than read with the wrong reader.
 */
export async function vetLogFile(
  path: string,
  format: LogFormat,
  sink: (chunk: Buffer) => Promise<void> | void,
  maxDepth = MAX_JSON_DEPTH,
): Promise<Vetted> {
  let stream: LogStream;
  try {
    stream = await openLogStream(path);
  } catch (error) {
    if (error instanceof LogFileProblem) return refuse(error.message);
    throw error;
  }
  try {
    return await follow(stream, format, sink, maxDepth);
  } catch (error) {
    if (error instanceof LogFileProblem) return refuse(error.message);
    throw error;
  } finally {
    await stream.close();
  }
}

async function follow(
  stream: LogStream,
  format: LogFormat,
  sink: (chunk: Buffer) => Promise<void> | void,
  maxDepth: number,
): Promise<Vetted> {
  const depth = depthState();
  const levels = recordDepth(format);
  const utf8 = new Utf8Check();
  const notes: RecordProblem[] = [];
  const tooDeep = (): Vetted =>
    refuse(
      `nests deeper than ${maxDepth} levels at ${where(depth.line, depth.records)}: no CloudTrail record does, and JSON readers crash on such input: not read`,
      depth.line,
      depth.records > 0 ? depth.records : undefined,
    );
  // A CloudTrail file name promises {"Records": [...]}; any other file's first bytes were
  // read when it was sniffed, and say something else now only if it changed since.
  const mismatch = (found: LogFormat): Vetted =>
    refuse(`it holds ${FORMAT_WORDS[found]}, not ${FORMAT_WORDS[format]} as its name or first bytes said: not read`);
  let head: Buffer | undefined = Buffer.alloc(0);
  for await (const chunk of stream.chunks()) {
    if (head !== undefined) {
      head = Buffer.concat([head, chunk.subarray(0, SNIFF_LIMIT - head.length)]);
      const sniffed = classify(head.toString('utf8'), false);
      if (sniffed && !('format' in sniffed)) return refuse(sniffed.problem);
      if (sniffed && sniffed.format !== format) return mismatch(sniffed.format);
      if (sniffed) head = undefined;
    }
    let from = 0;
    // Only the first bad byte is reported: one note says the file has them, and where.
    const invalid = notes.length === 0 ? utf8.push(chunk) : undefined;
    if (invalid !== undefined) {
      // Follow the structure up to the bad byte, to say in which line and record it is.
      from = Math.max(0, invalid);
      if (followDepth(chunk, 0, from, depth, levels, maxDepth) !== -1) return tooDeep();
      notes.push({
        ...(depth.records > 0 ? { record: depth.records } : {}),
        line: depth.line,
        message: `bytes that are not UTF-8 at ${where(depth.line, depth.records)}: they read as U+FFFD, not as what the file holds`,
      });
    }
    if (followDepth(chunk, from, chunk.length, depth, levels, maxDepth) !== -1) return tooDeep();
    await sink(chunk);
  }
  if (head !== undefined) {
    const sniffed = classify(head.toString('utf8'), true)!;
    if (!('format' in sniffed)) return refuse(sniffed.problem);
    if (sniffed.format !== format) return mismatch(sniffed.format);
  }
  if (notes.length === 0 && utf8.endsTruncated()) {
    notes.push({ line: depth.line, message: `the file ends inside a UTF-8 character (line ${depth.line}): its last bytes read as U+FFFD` });
  }
  return { ok: true, notes };
}
