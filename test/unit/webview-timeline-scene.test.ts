// What the timeline draws: one run in lanes by a dimension, or the investigation view,
// a lane per cell of the runbook; with real generated events (src/testbed/loggen).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { ResultValue } from '../../src/protocol/results';
import { generateTrail, type CloudTrailRecord } from '../../src/testbed/loggen/index';
import { RunEvents } from '../../src/webview/timeline/runEvents';
import { countByBucket, niceBucketSize, peakBucket } from '../../src/webview/timeline/timeBuckets';
import { eventAt, investigationScene, laneOf, singleRunScene, type SceneRun } from '../../src/webview/timeline/timelineScene';
import { itemAt } from '../support/itemAt';

const COLUMNS = ['eventTime', 'eventName', 'eventSource', 'userIdentity', 'sourceIPAddress', 'awsRegion', 'errorCode', 'readOnly'];

function sceneRun(runId: string, cellId: string, rows: ResultValue[][], columns = COLUMNS): SceneRun {
  const events = new RunEvents();
  events.sync(columns, rows);
  return { runId, cellId, rows, events };
}

async function generated(events: number, attacks: string[]): Promise<ResultValue[][]> {
  const dir = await mkdtemp(join(tmpdir(), 'trailbook-timeline-'));
  try {
    await generateTrail({ outDir: dir, events, seed: 3, start: new Date('2025-03-03T00:00:00Z'), days: 1, attacks });
    const records: CloudTrailRecord[] = [];
    const walk = async (at: string): Promise<void> => {
      for (const entry of await readdir(at, { withFileTypes: true })) {
        const path = join(at, entry.name);
        if (entry.isDirectory()) await walk(path);
        else if (entry.name.endsWith('.json.gz'))
          records.push(...(JSON.parse(gunzipSync(await readFile(path)).toString('utf8')) as { Records: CloudTrailRecord[] }).Records);
      }
    };
    await walk(dir);
    records.sort((a, b) => (a.eventTime < b.eventTime ? -1 : 1));
    return records.map((r) => COLUMNS.map((c) => (r as unknown as Record<string, ResultValue>)[c] ?? null));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('generated events with an AssumeRole burst: principal lanes, the busiest first, and the burst is the histogram peak', async () => {
  const rows = await generated(1000, ['assume-role-burst']);
  const run = sceneRun('r1', 'all', rows);
  const scene = singleRunScene(run, 'principal', 8);
  assert.ok(scene.lanes.length <= 9);
  assert.ok(scene.lanes.at(-1)!.isOther, 'many principals: an "other" lane');
  for (let i = 1; i < scene.lanes.length - 1; i += 1) assert.ok(itemAt(scene.lanes, i - 1).count >= itemAt(scene.lanes, i).count);
  assert.equal(
    scene.lanes.reduce((sum, lane) => sum + lane.count, 0),
    rows.length,
    'every event is in a lane',
  );
  assert.equal(scene.placed, rows.length);

  // The histogram as the view draws it over 1,000 px: the burst's bucket towers over the day's.
  const byIp = new Map<ResultValue, number[]>();
  rows.forEach((row, i) => {
    if (row[1] === 'AssumeRole') byIp.set(itemAt(row, 4), [...(byIp.get(itemAt(row, 4)) ?? []), itemAt(run.events.times, i)]);
  });
  const burst = itemAt(
    [...byIp.values()].sort((a, b) => b.length - a.length),
    0,
  );
  assert.ok(burst.length >= 50);
  const { start, end } = scene.bounds!;
  const histogram = countByBucket(run.events.times, run.events.length, start, end, niceBucketSize(end - start, 330));
  const burstBucket = Math.floor((itemAt(burst, Math.floor(burst.length / 2)) - histogram.start) / histogram.size);
  const others = [...histogram.counts].filter((_, i) => Math.abs(i - burstBucket) > 1).sort((a, b) => a - b);
  const busiestOther = itemAt(others, others.length - 1);
  assert.ok(
    itemAt(histogram.counts, burstBucket) > 1.5 * busiestOther,
    `the burst's bucket (${histogram.counts[burstBucket]}) stands out over the busiest other (${busiestOther})`,
  );
  assert.equal(peakBucket(histogram).start, histogram.start + burstBucket * histogram.size);
});

test('a dimension the rows lack gives one lane per run', () => {
  const run = sceneRun('r1', 'keys', [['2025-03-05T00:00:00Z']], ['eventTime']);
  const scene = singleRunScene(run, undefined, 10);
  assert.deepEqual(
    scene.lanes.map((lane) => lane.label),
    ['keys'],
  );
  assert.equal(laneOf(itemAt(scene.sources, 0), 0), 0);
});

test('investigation view: a lane per cell, events addressed across runs', () => {
  const a = sceneRun('r1', 'new-keys', [['2025-03-05T10:00:00Z', 'CreateAccessKey', null, null, null, null, null, false]]);
  const b = sceneRun('r2', 'key-activity', [
    ['2025-03-05T11:00:00Z', 'ListBuckets', null, null, null, null, null, true],
    ['bad', 'GetObject', null, null, null, null, null, true],
  ]);
  const scene = investigationScene([a, b]);
  assert.deepEqual(
    scene.lanes.map((lane) => lane.label),
    ['new-keys', 'key-activity'],
  );
  assert.equal(scene.missingTime, 1);
  assert.equal(scene.bounds!.start < Date.parse('2025-03-05T10:00:00Z'), true);
  const second = eventAt(scene, 2)!;
  assert.equal(second.source.runId, 'r2');
  assert.equal(second.row, 1);
  assert.equal(laneOf(second.source, second.row), 1);
  assert.equal(eventAt(scene, 3), undefined);
});
