// `trailbook drill --attack NAME`: a fire drill for the runbook library. The log generator
// writes its clean background with that one attack injected into a temporary folder, and
// every bundled runbook runs over it twice: on the whole trail, and on the same trail with
// the attack's records (the manifest's eventIDs) taken out. A detection that fires only
// with them, or returns their eventIDs, catches the attack; one that fires without them
// fires on ordinary work.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import { runRunbook, type CellRun } from '../app/runbookRunner';
import { SourcePool } from '../app/openSource';
import { parseRunbook } from '../runbook/parse';
import { ATTACKS } from '../testbed/loggen/attacks/index';
import { generateTrail } from '../testbed/loggen/generate';
import { readManifest, type AttackManifest } from '../testbed/loggen/manifest';
import { organisationParams } from '../testbed/loggen/orgParams';
import { packageRoot } from './packageRoot';
import { plural, terminalText } from './text';
import { UsageError, type CommandResult } from './usageError';

const DRILL_EVENTS = 10_000;
const DRILL_DAYS = 3;
const DRILL_START = new Date('2026-11-02T00:00:00Z'); // a Monday
const DRILL_SEED = 7;

interface Verdict {
  readonly runbook: string;
  readonly cell: string;
  /** Rows that hold the attack's eventIDs, or that exist only with the attack in the trail. */
  readonly caught: boolean;
  /** Rows on the trail without the attack: ordinary work that alarms. */
  readonly otherRows: number;
  readonly problem?: string;
}

function eventIdColumn(run: CellRun): number {
  return run.columns.findIndex((c) => c.toLowerCase() === 'eventid');
}

/** Caught: a row names an attack event, or (no eventID column) a row is new with the attack. */
function judge(withAttack: CellRun, without: CellRun, attackIds: ReadonlySet<string>): boolean {
  const ids = eventIdColumn(withAttack);
  if (ids >= 0) return withAttack.rows.some((row) => attackIds.has(String(row[ids])));
  const before = new Set(without.rows.map((row) => JSON.stringify(row)));
  return withAttack.rows.some((row) => !before.has(JSON.stringify(row)));
}

/** Every record of the generated trail but the attack's, as one CloudTrail log file. */
async function writeBackgroundOnly(trail: string, into: string, attackIds: ReadonlySet<string>): Promise<void> {
  const records: unknown[] = [];
  const visit = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await visit(path);
      else if (entry.name.endsWith('.json.gz')) {
        const file = JSON.parse(gunzipSync(await readFile(path)).toString('utf8')) as { Records: Array<{ eventID: string }> };
        for (const record of file.Records) if (!attackIds.has(record.eventID)) records.push(record);
      }
    }
  };
  await visit(trail);
  await writeFile(join(into, 'background.json'), JSON.stringify({ Records: records }));
}

export async function drillCommand(argv: string[]): Promise<CommandResult> {
  const { values } = parseArgs({ args: argv, options: { attack: { type: 'string' }, list: { type: 'boolean' } }, strict: true });
  if (values.list) {
    for (const attack of ATTACKS) process.stdout.write(`${attack.name}\n    ${attack.description}\n`);
    return { exitCode: 0 };
  }
  const attack = ATTACKS.find((a) => a.name === values.attack);
  if (!attack) {
    throw new UsageError(
      `${values.attack === undefined ? 'name an attack with --attack NAME' : `unknown attack "${values.attack}"`}; known attacks: ${ATTACKS.map((a) => a.name).join(', ')} (trailbook drill --list describes them)`,
    );
  }
  const root = await mkdtemp(join(tmpdir(), 'trailbook-drill-'));
  const pool = new SourcePool(undefined);
  try {
    const trail = join(root, 'trail');
    const background = join(root, 'background');
    process.stderr.write(`generating ${DRILL_EVENTS.toLocaleString('en-US')} events of ordinary work with ${attack.name} injected…\n`);
    await generateTrail({
      outDir: trail,
      events: DRILL_EVENTS,
      seed: DRILL_SEED,
      start: DRILL_START,
      days: DRILL_DAYS,
      attacks: [attack.name],
    });
    const manifest = (await readManifest(trail))!;
    const injected = manifest.attacks.find((a) => a.name === attack.name) as AttackManifest;
    const attackIds = new Set(injected.eventIDs);
    await mkdir(background);
    await writeBackgroundOnly(trail, background, attackIds);
    process.stdout.write(
      `${attack.name}: ${attack.description}\n${plural(attackIds.size, 'attack event')} among ${manifest.events.toLocaleString('en-US')} (${injected.firstEventTime} to ${injected.lastEventTime})\n\n`,
    );

    const window = `${manifest.start}/${manifest.end}`;
    const params = organisationParams();
    const full = await pool.open({ kind: 'local', logsPath: trail });
    const clean = await pool.open({ kind: 'local', logsPath: background });
    const runbookDir = join(packageRoot(), 'runbooks');
    const verdicts: Verdict[] = [];
    for (const file of (await readdir(runbookDir)).filter((f) => f.endsWith('.md')).sort()) {
      const path = join(runbookDir, file);
      const runbook = parseRunbook(await readFile(path, 'utf8'), relative(packageRoot(), path));
      // Detections only: verify cells check a response, and nobody responds in a drill.
      const detections = runbook.cells.filter((c) => c.expect === 'empty' && !c.id.startsWith('verify-')).map((c) => c.id);
      if (detections.length === 0) continue;
      const options = { params, window, cellIds: detections };
      const withAttack = await runRunbook(runbook, { ...options, store: full.store, source: full.source });
      const without = await runRunbook(runbook, { ...options, store: clean.store, source: clean.source });
      for (const id of detections) {
        const a = withAttack.find((r) => r.cell.id === id)!;
        const b = without.find((r) => r.cell.id === id)!;
        const failed = [a, b].find((r) => r.status === 'error' || r.status === 'skipped' || r.status === 'unconfigured');
        verdicts.push({
          runbook: runbook.path,
          cell: id,
          caught: !failed && judge(a, b, attackIds),
          otherRows: failed ? 0 : b.rows.length,
          ...(failed ? { problem: failed.error?.message ?? failed.status } : {}),
        });
      }
    }
    const caught = verdicts.filter((v) => v.caught);
    const noisy = verdicts.filter((v) => v.otherRows > 0);
    const failed = verdicts.filter((v) => v.problem !== undefined);
    const line = (v: Verdict, text: string): string => terminalText(`  ${v.runbook} ${v.cell}: ${text}\n`);
    process.stdout.write(caught.length > 0 ? `Caught by ${plural(caught.length, 'detection')}:\n` : 'No detection caught it.\n');
    for (const v of caught)
      process.stdout.write(line(v, v.otherRows > 0 ? `caught (and ${plural(v.otherRows, 'row')} without the attack)` : 'caught'));
    if (noisy.length > 0) {
      process.stdout.write(`\nFiring on ordinary work (the trail without the attack):\n`);
      for (const v of noisy) process.stdout.write(line(v, plural(v.otherRows, 'row')));
    }
    if (failed.length > 0) {
      process.stdout.write(`\nCould not run:\n`);
      for (const v of failed) process.stdout.write(line(v, v.problem!));
    }
    process.stdout.write(
      `\n${plural(verdicts.length, 'detection')} ran: ${caught.length} caught ${attack.name}, ${noisy.length} fired without it\n`,
    );
    if (failed.length > 0) return { exitCode: 2, message: `${plural(failed.length, 'detection')} could not run` };
    // Like a detection: exit 1 when the drill finds a gap (nothing caught the attack).
    return caught.length > 0 ? { exitCode: 0 } : { exitCode: 1, message: `no bundled detection caught ${attack.name}` };
  } finally {
    await pool.close();
    await rm(root, { recursive: true, force: true });
  }
}
