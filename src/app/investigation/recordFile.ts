// The record on disk: created once (never over an existing file), then appended to, one
// entry at a time, through writeAtomic so a reader (git, an editor, a crash) never sees
// half an entry. Appends to one file take turns: two cells finishing together both land.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { writeFileAtomic } from '../writeAtomic';
import { appendEntry, newRecord, RECORD_FORMAT, type RecordEntry, type RecordHeader } from './record';
import { newRecordPath } from './investigationPath';
import { parseRecord, type ParsedRecord } from './recordParse';

const turns = new Map<string, Promise<unknown>>();

function inTurn<T>(path: string, work: () => Promise<T>): Promise<T> {
  const mine = (turns.get(path) ?? Promise.resolve()).catch(() => undefined).then(work);
  turns.set(path, mine);
  void mine.finally(() => turns.get(path) === mine && turns.delete(path)).catch(() => undefined);
  return mine;
}

/** Creates `investigations/YYYY-MM-DD-slug.md` under `workspace` (a free name), with its header; returns its path. */
export async function createRecord(workspace: string, header: RecordHeader, entries: readonly RecordEntry[] = []): Promise<string> {
  const at = new Date(header.openedAt);
  const folder = dirname(newRecordPath(workspace, at, header.title, () => false));
  await mkdir(folder, { recursive: true });
  const existing = new Set(await readdir(folder));
  const path = newRecordPath(workspace, at, header.title, (name) => existing.has(name));
  // `wx`: a file made meanwhile by someone else is not overwritten.
  await writeFile(path, newRecord(header, entries), { flag: 'wx' });
  return path;
}

/** The record at `path`, read; an error naming the file when it is not one. */
export async function readRecord(path: string): Promise<ParsedRecord> {
  const text = await readFile(path, 'utf8');
  const parsed = parseRecord(text);
  if (parsed.header === undefined)
    throw new Error(`${basename(path)} is not an investigation record (no ${RECORD_FORMAT} header): ${parsed.problems[0]?.message ?? ''}`);
  return parsed;
}

/** Appends the entries at the end of the record, leaving what is there as it is. */
export function appendToRecord(path: string, entries: readonly RecordEntry[]): Promise<void> {
  return inTurn(path, async () => {
    const text = await readFile(path, 'utf8');
    if (parseRecord(text).header === undefined)
      throw new Error(`${path} no longer starts with an investigation record's header (${RECORD_FORMAT}): nothing was appended`);
    await writeFileAtomic(
      path,
      entries.reduce((out, entry) => appendEntry(out, entry), text),
    );
  });
}
