// Small gzip log files packed into a few files for DuckDB's JSON reader. The reader pays about
// 0.3 ms a file before it parses a byte (it sets up the record type for each file): on an
// organisation's trail, where a quiet region writes a file of a few events every five
// minutes, that cost is most of a cold scan. A gzip file may hold many members one after
// another, and DuckDB reads them as one stream, so the worker copies the files' bytes, as
// they are, into a few scratch files (packs), between members of its own:
//
//   {"_tb":"<nonce>:<id>","v":[  <the file's text>  ,{"_end":"<nonce>:<id>"}]}\n
//
// so that each file is one JSON value to the reader, whose `v` holds the file's
// `{"Records": [...]}` and then the file's end, and whose markers say which file it is.
//
// The files' text is untrusted: a file may try to end its value early and start one of its
// own, to run on into the next file's, or to add to its value what alone would be an error
// (`{"Records": [...]}, 1`). The nonce is random for each batch and never leaves the worker
// (packs are readable by their owner only), so no file can write a marker; and the reader
// takes no comments and no control characters in strings, so no file can hide ours. Inside
// `v`'s list, whatever a file adds after its value is a third element, or breaks the JSON.
// So a value that is not exactly [the file, its end] between markers of this pack fails the
// batch (packedRows()), which then goes the way of any failed batch: split until the file is
// alone, and read by itself.
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { sqlPathList, sqlString } from '../../engine/sqlText';

/**
 * Files up to this size are packed. The cost saved is about 0.3 ms a file, a 2.5 KB file's
 * whole parse but a tenth of a 20 KB one's, which the copy and the pack's own reading take
 * back: on the bench's trail (files of 20 KB on average) packing every file up to 64 KB
 * gained nothing and held more memory; on one of files of 2.5 KB it took the cold scan's
 * CPU from 142 s to 43 s.
 */
export const PACK_MAX_FILE_BYTES = 16 * 1024;
/**
 * A pack holds up to this much (gzip), and a batch of more small files makes several: the
 * worker's memory grew with the packs' size (packs of 4 MB: 1.25 GB at its peak on the
 * bench's trail, against 0.6 GB unpacked).
 */
export const PACK_MAX_BYTES = 1024 * 1024;
/** Fewer small files than this are read as they are: a pack saves too little to be worth writing. */
export const PACK_MIN_FILES = 8;

export interface PackableFile {
  readonly id: number;
  readonly path: string;
  /** As listed, when known: a file listed larger than PACK_MAX_FILE_BYTES is not opened here. */
  readonly size?: number;
}

export interface Pack {
  /** The scratch files (gzip) holding the packed files. */
  readonly paths: readonly string[];
  readonly nonce: string;
  /** The files packed, in their order. */
  readonly files: readonly PackableFile[];
}

/** Which of `files` were packed (when enough are small gzip files) and which are to be read as they are. */
export interface Packing<F extends PackableFile> {
  readonly pack?: Pack;
  readonly asTheyAre: F[];
}

const GZIP_MAGIC = [0x1f, 0x8b];

/**
 * Packs the small gzip files of `files` into packs of up to PACK_MAX_BYTES in `scratchDir`. A
 * file that is not one (too large, not gzip, not a regular file, gone) is left to be read as
 * it is, where DuckDB's reader and the careful path say what is wrong with it. The caller
 * removes the packs (removePack) once the reader is done with them.
 */
export function packSmallLogs<F extends PackableFile>(files: readonly F[], scratchDir: string): Packing<F> {
  const small: { file: F; bytes: Buffer }[] = [];
  const asTheyAre: F[] = [];
  for (const file of files) {
    const mayPack = /\.gz$/i.test(file.path) && (file.size === undefined || file.size <= PACK_MAX_FILE_BYTES);
    const bytes = mayPack ? readSmallGzip(file.path) : undefined;
    if (bytes) small.push({ file, bytes });
    else asTheyAre.push(file);
  }
  if (small.length < PACK_MIN_FILES) return { asTheyAre: [...files] };
  const nonce = randomBytes(16).toString('hex');
  const paths: string[] = [];
  try {
    for (let from = 0; from < small.length;) {
      let to = from + 1;
      for (let bytes = small[from]!.bytes.length; to < small.length && bytes + small[to]!.bytes.length <= PACK_MAX_BYTES; to++)
        bytes += small[to]!.bytes.length;
      const path = join(scratchDir, `pack-${nonce}-${paths.length}.json.gz`);
      paths.push(path);
      writePack(path, nonce, small.slice(from, to));
      from = to;
    }
  } catch (error) {
    removePack({ paths, nonce, files: [] });
    throw error;
  }
  return { pack: { paths, nonce, files: small.map((s) => ({ id: s.file.id, path: s.file.path })) }, asTheyAre };
}

function writePack(path: string, nonce: string, files: readonly { file: PackableFile; bytes: Buffer }[]): void {
  const out = openSync(path, 'wx', 0o600);
  try {
    let previous: PackableFile | undefined;
    for (const { file, bytes } of files) {
      const before = previous ? fileEnd(nonce, previous) : '';
      writeSync(out, storedMember(`${before}{"_tb":${marker(nonce, file.id)},"v":[`));
      writeSync(out, bytes);
      previous = file;
    }
    if (previous) writeSync(out, storedMember(fileEnd(nonce, previous)));
  } finally {
    closeSync(out);
  }
}

export function removePack(pack: Pack | undefined): void {
  for (const path of pack?.paths ?? []) rmSync(path, { force: true });
}

const marker = (nonce: string, id: number): string => `"${nonce}:${id}"`;
const fileEnd = (nonce: string, file: PackableFile): string => `,{"_end":${marker(nonce, file.id)}}]}\n`;

/**
 * The pack's rows as `_file` (the store's id), `_record` (the record's place in its file)
 * and `r` (the record, of type `record`), like the reader over the files themselves.
 */
export function packedRows(pack: Pack, record: string, maximumObjectSize: number): string {
  const reader = `read_json(${sqlPathList(pack.paths)},
      columns = {_tb: 'VARCHAR', v: ${sqlString(`STRUCT("Records" ${record}[], _end VARCHAR)[]`)}},
      format = 'unstructured', maximum_object_size = ${maximumObjectSize})`;
  // A value that is not exactly one file between its own two markers fails the statement:
  // filtering it out instead would drop, or misattribute, what a file holds. So does a file
  // without a list of Records (`{}`, `null`, `{"Records": null}`), as the reader over the
  // files themselves does: such a file is read alone by the careful reader, which says what
  // it holds, so that packing never changes the answer.
  const prefix = `${pack.nonce}:`;
  const whole = `CASE WHEN starts_with(_tb, ${sqlString(prefix)}) AND len(v) = 2 AND v[2]._end = _tb
        AND v[1]."Records" IS NOT NULL THEN true
      ELSE error('a packed log file is not one {"Records": [...]} value: read each file by itself') END`;
  // The file's id is the rest of its marker, which only this batch could write (the nonce).
  // (A join of the records to the ids on the marker had DuckDB hash every record.)
  return `SELECT CAST(_tb[${prefix.length + 1}:] AS INTEGER) AS _file,
        unnest(v[1]."Records") AS r, generate_subscripts(v[1]."Records", 1) AS _record
      FROM ${reader} WHERE ${whole}`;
}

/** The file's bytes when it is a regular file of at most PACK_MAX_FILE_BYTES that starts as gzip does. */
function readSmallGzip(path: string): Buffer | undefined {
  let fd: number;
  try {
    // Non-blocking: a FIFO put where a log was (after the files were listed) must not hang the worker.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile() || info.size > PACK_MAX_FILE_BYTES || info.size < 18) return undefined;
    // One byte more than the size: a file that grew since is not packed half-read.
    const bytes = Buffer.allocUnsafe(info.size + 1);
    let length = 0;
    for (let n; length < bytes.length && (n = readSync(fd, bytes, length, bytes.length - length, null)) > 0;) length += n;
    if (length !== info.size || bytes[0] !== GZIP_MAGIC[0] || bytes[1] !== GZIP_MAGIC[1]) return undefined;
    return bytes.subarray(0, length);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** `text` as one gzip member of a stored (uncompressed) deflate block: no zlib call for a few bytes. */
function storedMember(text: string): Buffer {
  const data = Buffer.from(text, 'utf8');
  const member = Buffer.alloc(10 + 5 + data.length + 8);
  member.set([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]); // gzip, deflate, no flags, no time, unknown OS
  member[10] = 0x01; // the last block, stored
  member.writeUInt16LE(data.length, 11);
  member.writeUInt16LE(~data.length & 0xffff, 13);
  data.copy(member, 15);
  member.writeUInt32LE(crc32(data), 15 + data.length);
  member.writeUInt32LE(data.length, 19 + data.length);
  return member;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** gzip's CRC-32 (zlib.crc32 needs Node 20.15). */
function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
