// A runbook's own test cases, the way detection-as-code tools keep them: beside
// `runbooks/<stem>.md`, a folder `runbooks/<stem>.tests/` holds, per detection cell,
// CloudTrail log files that must make it fire and files of ordinary work that must leave it
// quiet (docs/runbook-format.md, "Tests"). This file finds them and reads what they say;
// runbookTestRun.ts runs them.
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { firstLine } from '../protocol/firstLine';
import { parseTimestamp } from '../protocol/timestamp';
import type { Runbook, RunbookProblem } from '../runbook/types';

export type CaseKind = 'fires' | 'quiet';

export interface TestCase {
  /** The runbook the case belongs to. */
  readonly runbookPath: string;
  readonly cellId: string;
  readonly kind: CaseKind;
  /** The file name without `.json`. */
  readonly name: string;
  /** The log file: `<stem>.tests/<cell>/<kind>/<name>.json`. */
  readonly file: string;
  /** Optional `<name>.expect.json` beside it (fires cases only). */
  readonly expectFile?: string;
  /**
   * Optional `<name>.params.yaml` beside it: parameters of this case only, over the folder's
   * params.yaml (a detection of the parameter itself, such as ranges that do not parse).
   */
  readonly paramsFile?: string;
}

export interface RunbookTests {
  readonly runbookPath: string;
  /** `<stem>.tests`, or undefined when the runbook has none. */
  readonly folder?: string;
  readonly cases: readonly TestCase[];
  /** `<stem>.tests/params.yaml`, when present. */
  readonly paramsFile?: string;
  /** What in the folder is not a case (a stray file, a kind other than fires/quiet): said, never ignored. */
  readonly strays: readonly string[];
}

/** A case that cannot run (bad JSON, no records, a bad expect file): the file and the reason. */
export class TestCaseError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'TestCaseError';
  }
}

const KINDS: readonly CaseKind[] = ['fires', 'quiet'];
const EXPECT_SUFFIX = '.expect.json';
const PARAMS_SUFFIX = '.params.yaml';

/** `runbooks/x.md` → `runbooks/x.tests`. */
export function testsFolderOf(runbookPath: string): string {
  return join(dirname(runbookPath), `${basename(runbookPath).replace(/\.md$/i, '')}.tests`);
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

async function entries(path: string): Promise<string[]> {
  return (await readdir(path)).filter((name) => !name.startsWith('.')).sort();
}

/** The cases of one runbook, in a stable order (cell, then fires before quiet, then name). */
export async function findRunbookTests(runbookPath: string): Promise<RunbookTests> {
  const folder = testsFolderOf(runbookPath);
  if (!(await isDirectory(folder))) return { runbookPath, cases: [], strays: [] };
  const cases: TestCase[] = [];
  const strays: string[] = [];
  let paramsFile: string | undefined;
  for (const cellId of await entries(folder)) {
    const cellDir = join(folder, cellId);
    if (!(await isDirectory(cellDir))) {
      if (cellId === 'params.yaml') paramsFile = cellDir;
      else strays.push(cellDir);
      continue;
    }
    for (const kindName of await entries(cellDir)) {
      const kindDir = join(cellDir, kindName);
      const kind = KINDS.find((k) => k === kindName);
      if (!kind || !(await isDirectory(kindDir))) {
        strays.push(kindDir);
        continue;
      }
      const names = await entries(kindDir);
      for (const file of names) {
        if (file.endsWith(EXPECT_SUFFIX)) {
          const of = `${file.slice(0, -EXPECT_SUFFIX.length)}.json`;
          if (kind !== 'fires' || !names.includes(of)) strays.push(join(kindDir, file));
          continue;
        }
        if (file.endsWith(PARAMS_SUFFIX)) {
          if (!names.includes(`${file.slice(0, -PARAMS_SUFFIX.length)}.json`)) strays.push(join(kindDir, file));
          continue;
        }
        if (!file.endsWith('.json')) {
          strays.push(join(kindDir, file));
          continue;
        }
        const name = file.slice(0, -'.json'.length);
        const expect = `${name}${EXPECT_SUFFIX}`;
        const params = `${name}${PARAMS_SUFFIX}`;
        cases.push({
          runbookPath,
          cellId,
          kind,
          name,
          file: join(kindDir, file),
          ...(kind === 'fires' && names.includes(expect) ? { expectFile: join(kindDir, expect) } : {}),
          ...(names.includes(params) ? { paramsFile: join(kindDir, params) } : {}),
        });
      }
    }
  }
  return { runbookPath, folder, cases, strays, ...(paramsFile ? { paramsFile } : {}) };
}

/** What a case file holds, checked: CloudTrail records with times, and the span they cover. */
export interface CaseLog {
  readonly records: number;
  readonly firstEventTime: Date;
  readonly lastEventTime: Date;
}

/** Reads a case's log file as CloudTrail delivers it: `{"Records":[…]}`, each with an eventTime. */
export async function readCaseLog(file: string): Promise<CaseLog> {
  const json = await readJson(file);
  const records = (json as { Records?: unknown } | null)?.Records;
  if (!Array.isArray(records))
    throw new TestCaseError(file, 'a case is a CloudTrail log file: {"Records":[…]}, and this one has no Records list');
  if (records.length === 0) throw new TestCaseError(file, 'Records is empty: a case needs at least one event');
  let first: Date | undefined;
  let last: Date | undefined;
  records.forEach((record, index) => {
    const at = `Records[${index}]`;
    if (record === null || typeof record !== 'object' || Array.isArray(record))
      throw new TestCaseError(file, `${at} is not an event object`);
    const { eventTime, eventID } = record as { eventTime?: unknown; eventID?: unknown };
    const time = typeof eventTime === 'string' ? parseTimestamp(eventTime) : undefined;
    if (!time)
      throw new TestCaseError(
        file,
        `${at} has no valid eventTime (ISO-8601 in UTC, e.g. 2024-05-01T10:00:00Z): ${JSON.stringify(eventTime)}`,
      );
    if (typeof eventID !== 'string' || eventID === '') throw new TestCaseError(file, `${at} has no eventID`);
    if (!first || time < first) first = time;
    if (!last || time > last) last = time;
  });
  return { records: records.length, firstEventTime: first!, lastEventTime: last! };
}

/** The eventIDs a fires case names in `<case>.expect.json`: `{"eventIDs":[…]}`. */
export async function readExpectedIds(file: string): Promise<string[]> {
  const json = await readJson(file);
  const ids = (json as { eventIDs?: unknown } | null)?.eventIDs;
  if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string')) {
    throw new TestCaseError(file, 'an expect file is {"eventIDs":["…", …]}: a list of the eventIDs the cell must return');
  }
  return ids as string[];
}

/**
 * `params.yaml`: the runbook's parameters during its tests, `name: value` or `name: [a, b]`
 * (a list is given as the comma form the CLI's --param takes).
 */
export async function readTestParams(file: string): Promise<Record<string, string>> {
  const text = await readFile(file, 'utf8').catch((error: Error) => {
    throw new TestCaseError(file, `cannot be read: ${error.message}`);
  });
  const doc = parseDocument(text, { uniqueKeys: true });
  const [yamlError] = doc.errors;
  if (yamlError !== undefined) throw new TestCaseError(file, `is not valid YAML: ${firstLine(yamlError.message)}`);
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return {};
  if (!isMap(root)) throw new TestCaseError(file, 'must be a map of parameter names to values, e.g. known_ranges: [192.0.2.0/24]');
  const params: Record<string, string> = {};
  for (const pair of root.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : '';
    const node = pair.value;
    if (isSeq(node) && node.items.every((item) => isScalar(item) && item.value !== null && typeof item.value !== 'object')) {
      params[name] = node.items.map((item) => String((item as { value: unknown }).value)).join(',');
    } else if (isScalar(node) && node.value !== null && typeof node.value !== 'object') {
      params[name] = String(node.value);
    } else {
      throw new TestCaseError(file, `parameter ${JSON.stringify(name)} must be a value or a list of values`);
    }
  }
  return params;
}

async function readJson(file: string): Promise<unknown> {
  const text = await readFile(file, 'utf8').catch((error: Error) => {
    throw new TestCaseError(file, `cannot be read: ${error.message}`);
  });
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new TestCaseError(file, `is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * What lint says about a runbook's tests: a detection (`expect=empty`) with no fires case has
 * never been shown to find anything, and cases for a cell that does not exist (renamed,
 * removed) test nothing. Warnings, at the cell or on the first line.
 */
export function testCoverageProblems(runbook: Runbook, tests: RunbookTests): RunbookProblem[] {
  const problems: RunbookProblem[] = [];
  const folder = tests.folder ?? testsFolderOf(runbook.path);
  for (const cell of runbook.cells) {
    if (cell.expect !== 'empty') continue;
    if (tests.cases.some((c) => c.cellId === cell.id && c.kind === 'fires')) continue;
    problems.push({
      line: cell.fenceLine,
      severity: 'warning',
      code: 'detection-without-tests',
      message: `detection ${cell.id} has no test case that makes it fire: add ${join(folder, cell.id, 'fires', '<case>.json')} (and a quiet case of ordinary work beside it)`,
    });
  }
  const known = new Set(runbook.cells.map((c) => c.id));
  for (const cellId of [...new Set(tests.cases.map((c) => c.cellId))]) {
    if (known.has(cellId)) continue;
    problems.push({
      line: 0,
      severity: 'warning',
      code: 'tests-for-unknown-cell',
      message: `${join(folder, cellId)} holds test cases for cell ${JSON.stringify(cellId)}, which this runbook does not have (its cells: ${runbook.cells.map((c) => c.id).join(', ') || 'none'}): rename the folder or remove it`,
    });
  }
  return problems;
}
