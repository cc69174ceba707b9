// The editor's runtime (what out/runtime.js holds): cells run on local logs and on
// LookupEvents through the real SDK and the local endpoint, rows stream before a cell
// finishes, the account comes with LookupEvents results, and lint finds SQL errors.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { CellRun } from '../../src/app/runbookRunner';
import { createRuntime, type Runtime, type RuntimeRunRequest } from '../../src/extension/runtime';
import { runTargets, type TrailbookSettings } from '../../src/extension/runTarget';
import { startCloudTrailEndpoint, type CloudTrailEndpoint } from '../../src/testbed/cloudtrailEndpoint';
import { isolateProcessEnv } from '../support/awsConfigFolder';
import { stratusDir } from '../support/datasets';
import { tempDir } from '../support/tempDir';
import { itemAt } from '../support/itemAt';

const KEY = { accessKeyId: 'AKIDRUNTIMETEST', secretAccessKey: 'runtime-test-secret', account: '777788889999' };
const RUNBOOK = `---
title: Trail changes
---

\`\`\`cloudtrail id=changes
SELECT eventID, eventName FROM cloudtrail_logs
WHERE eventSource = 'cloudtrail.amazonaws.com' AND eventName IN ('StopLogging', 'DeleteTrail')
ORDER BY eventID
\`\`\`

\`\`\`cloudtrail id=who
SELECT DISTINCT eventName FROM cloudtrail_logs WHERE eventID IN ({{changes.eventID}}) ORDER BY eventName
\`\`\`
`;
const WINDOW = '2024-01-01T00:00:00Z/2025-01-01T00:00:00Z';

// At the top level, not in a hook: temporary folders are removed when the file's tests end.
isolateProcessEnv();
writeFileSync(process.env.AWS_CONFIG_FILE!, '[profile ir]\nregion = us-east-1\n');
writeFileSync(
  process.env.AWS_SHARED_CREDENTIALS_FILE!,
  `[ir]\naws_access_key_id = ${KEY.accessKeyId}\naws_secret_access_key = ${KEY.secretAccessKey}\n`,
);
const runtime: Runtime = createRuntime({ cacheDir: join(tempDir(), 'cache') });
let endpoint: CloudTrailEndpoint;
before(async () => {
  endpoint = await startCloudTrailEndpoint({ logsPath: stratusDir(), principals: [KEY] });
});
after(() => {
  runtime.dispose();
  endpoint.close();
});

const settings = (over: Partial<TrailbookSettings>): TrailbookSettings => ({
  source: 'local',
  logsPath: stratusDir(),
  profile: '',
  regions: [],
  window: WINDOW,
  endpoint: '',
  rowLimit: 1000,
  trinoServer: '',
  trinoTable: '',
  trinoUser: '',
  ...over,
});

function request(over: Partial<TrailbookSettings>, extra: Partial<RuntimeRunRequest> = {}) {
  const streamed = new Map<string, number>();
  const started: string[] = [];
  const req: RuntimeRunRequest = {
    runbookText: RUNBOOK,
    runbookPath: 'trail-changes.md',
    cellIds: [],
    targets: runTargets(settings(over), process.env, undefined),
    params: {},
    limit: 1000,
    signal: new AbortController().signal,
    onCellStart: (cell, window, target) => started.push(`${cell.id}:${target.kind}:${window.label}`),
    onProgress: () => undefined,
    onRows: (cell, rows) => streamed.set(cell.id, (streamed.get(cell.id) ?? 0) + rows.length),
    onRowsReset: (cell) => streamed.set(cell.id, 0),
    onCell: () => undefined,
    onCellAmended: () => undefined,
    ...extra,
  };
  return { req, streamed, started };
}

const rowsOf = (runs: CellRun[]) => Object.fromEntries(runs.map((r) => [r.cell.id, r.rows]));

test('local logs: every cell runs with its window, rows stream before each cell ends, references resolve', async () => {
  const { req, streamed, started } = request({});
  const runs = await runtime.run(req);
  assert.deepEqual(
    runs.map((r) => r.status),
    ['ok', 'ok'],
  );
  assert.deepEqual(started, [`changes:local:${WINDOW}`, `who:local:${WINDOW}`]);
  assert.ok(itemAt(runs, 0).rows.length >= 2);
  assert.equal(streamed.get('changes'), itemAt(runs, 0).rows.length);
  assert.deepEqual(itemAt(runs, 1).rows, [['DeleteTrail'], ['StopLogging']]);
});

test('LookupEvents with a profile: the same rows as local logs, and the account with them', async () => {
  const local = rowsOf(await runtime.run(request({}).req));
  const { req } = request({ source: 'lookup', profile: 'ir', endpoint: endpoint.url });
  const runs = await runtime.run(req);
  assert.deepEqual(
    runs.map((r) => r.status),
    ['ok', 'ok'],
  );
  assert.deepEqual(rowsOf(runs), local);
  assert.equal(itemAt(runs, 0).account, KEY.account);
  assert.ok(
    itemAt(runs, 0).notes.some((n) => n.includes(KEY.account)),
    itemAt(runs, 0).notes.join('\n'),
  );
  assert.ok(!JSON.stringify(runs).includes(KEY.secretAccessKey));
});

test('a missing profile fails the cells with a message naming the profiles that exist', async () => {
  const { req } = request({ source: 'lookup', profile: 'nope', endpoint: endpoint.url });
  const runs = await runtime.run(req);
  assert.equal(itemAt(runs, 0).status, 'error');
  assert.match(itemAt(runs, 0).error!.message, /nope/);
  assert.match(itemAt(runs, 0).error!.message, /\bir\b/);
});

test('cancelling stops the run', async () => {
  const controller = new AbortController();
  const { req } = request({}, { signal: controller.signal, onCellStart: () => controller.abort() });
  await assert.rejects(runtime.run(req));
});

test('lint: the SQL error on the line of the cell that has it', async () => {
  const text = '# x\n\n```cloudtrail id=bad\nSELECT eventName,\n       nosuchcolumn\nFROM cloudtrail_logs\n```\n';
  const problems = await runtime.lint(text, 'x.md');
  assert.equal(problems.length, 1);
  assert.equal(itemAt(problems, 0).severity, 'error');
  assert.match(itemAt(problems, 0).message, /nosuchcolumn/);
  assert.equal(itemAt(problems, 0).line, 4);
});

test("the editor's evidence report: every cell with its SQL as run and a hash of its rows", async () => {
  const startedAt = new Date();
  const runs = await runtime.run(request({}).req);
  const text = await runtime.evidence(
    {
      runbookPath: join(__dirname, 'trail-changes.md'),
      runbookText: RUNBOOK,
      runs,
      startedAt,
      finishedAt: new Date(),
      params: {},
      cellIds: [],
      target: { kind: 'local', logsPath: stratusDir() },
    },
    'json',
  );
  const report = JSON.parse(text);
  assert.equal(report.format, 'trailbook-evidence/1');
  assert.deepEqual(
    report.cells.map((c: { id: string }) => c.id),
    ['changes', 'who'],
  );
  assert.match(report.cells[1].sql, /eventID IN \('/);
  const { createHash } = await import('node:crypto');
  assert.equal(report.runbook.sha256, createHash('sha256').update(RUNBOOK).digest('hex'));
  assert.equal(report.cells[0].rowCount, itemAt(runs, 0).rows.length);
  const { resultSha256 } = await import('../../src/app/evidence');
  assert.equal(report.cells[0].resultSha256, resultSha256(itemAt(runs, 0).columns, itemAt(runs, 0).rows));
  const markdown = await runtime.evidence(
    {
      runbookPath: 'trail-changes.md',
      runbookText: RUNBOOK,
      runs,
      startedAt,
      finishedAt: new Date(),
      params: {},
      cellIds: [],
      target: { kind: 'local', logsPath: stratusDir() },
    },
    'markdown',
  );
  assert.match(markdown, /changes/);
  assert.ok(markdown.includes(report.cells[0].resultSha256));
});

test('Run all stops at the first error; running one cell runs only it and what it uses', async () => {
  const text = `\`\`\`cloudtrail id=broken\nSELECT nosuchcolumn FROM cloudtrail_logs\n\`\`\`\n\n\`\`\`cloudtrail id=fine\nSELECT count(*) AS n FROM cloudtrail_logs\n\`\`\`\n`;
  const all = await runtime.run({ ...request({}).req, runbookText: text });
  assert.deepEqual(
    all.map((r) => r.status),
    ['error', 'skipped'],
  );
  assert.match(itemAt(all, 1).error!.message, /cell "broken" above failed/);
  const one = await runtime.run({ ...request({}).req, runbookText: text, cellIds: ['fine'] });
  assert.deepEqual(
    one.map((r) => [r.cell.id, r.status]),
    [['fine', 'ok']],
  );
});

test('the whole event behind a row: every column, by eventID, quoted as a literal', async () => {
  const text = "```cloudtrail id=ids\nSELECT eventID FROM cloudtrail_logs WHERE eventName = 'StopLogging'\n```\n";
  const [run] = await runtime.run({ ...request({}).req, runbookText: text });
  assert.equal(run!.columns.length, 1);
  const eventId = itemAt(run!.rows, 0)[0] as string;
  const event = await runtime.wholeEvent(run!, eventId);
  assert.ok(event);
  assert.equal(event.eventID, eventId);
  assert.equal(event.eventName, 'StopLogging');
  assert.equal(event.eventSource, 'cloudtrail.amazonaws.com');
  assert.match(String((event.userIdentity as { arn: string }).arn), /^arn:aws:/);
  assert.ok(Object.keys(event).length > 20, `${Object.keys(event).length} columns`);
  assert.equal(await runtime.wholeEvent(run!, 'no-such-event'), undefined);
  assert.equal(await runtime.wholeEvent(run!, "x' OR '1'='1"), undefined);
});

test('a cell over the row limit: the runtime keeps its whole result and answers the view for it', async () => {
  const text =
    '# all\n\n```cloudtrail id=all\nSELECT eventTime, eventName, errorCode, eventID FROM cloudtrail_logs ORDER BY eventTime, eventID\n```\n';
  const { req } = request({}, { runbookText: text, runbookPath: 'all.md', limit: 25 });
  const [run] = await runtime.run(req);
  assert.equal(run!.truncated, true);
  assert.equal(run!.rows.length, 25);
  const whole = itemAt(await runtime.run(request({}, { runbookText: text, runbookPath: 'all.md', limit: 100_000 }).req), 0);
  const kept = await runtime.keepResult('41', run!);
  assert.ok(kept !== undefined && kept.type === 'resultKept');
  assert.equal(kept.rowCount, whole.rows.length);
  assert.ok(kept.rowCount > 25);
  const page = await runtime.answerKept({ type: 'page', runId: '41', requestId: 1, offset: 25, count: 10 });
  assert.deepEqual(page.type === 'page' && page.rows, whole.rows.slice(25, 35));
  const bins = await runtime.answerKept({ type: 'bins', runId: '41', requestId: 2, from: kept.first!, to: kept.last!, size: 86_400_000 });
  assert.equal(bins.type === 'bins' && bins.counts.reduce((a, b) => a + b, 0), whole.rows.length);
});

test('a cold cell is answered before its cache is written; a look at one of its events waits for the cache and sees every column', async () => {
  const cold = createRuntime({ cacheDir: join(tempDir(), 'cold-cache') });
  try {
    const text = "```cloudtrail id=ids\nSELECT eventID FROM cloudtrail_logs WHERE eventName = 'StopLogging'\n```\n";
    const order: string[] = [];
    let answer: CellRun | undefined;
    let looked: Promise<{ [column: string]: unknown } | undefined> | undefined;
    const runs = await cold.run({
      ...request({}).req,
      runbookText: text,
      onCell: (run) => {
        order.push('answered');
        answer = run;
        // Asked at once, while the cache is still to be written.
        looked = cold.wholeEvent(run, itemAt(run.rows, 0)[0] as string).then((event) => {
          order.push('looked');
          return event;
        });
      },
      onCellAmended: (_run, changed) => order.push(`amended (changed: ${changed})`),
    });
    assert.ok(answer && looked);
    assert.equal(answer.answeredFirst, true, 'the answer came before the cache was written');
    assert.deepEqual(answer.scope?.columns, ['eventTime', 'eventName', 'eventID'], 'its own scope holds the cell’s columns only');
    const event = await looked;
    assert.deepEqual(order, ['answered', 'amended (changed: true)', 'looked']);
    assert.ok(event);
    assert.equal(event.eventName, 'StopLogging');
    assert.equal(event.eventSource, 'cloudtrail.amazonaws.com');
    assert.ok(Object.keys(event).length > 20, `${Object.keys(event).length} columns`);
    const [run] = runs;
    assert.equal(run?.answeredFirst, undefined, 'the run kept is the stored one');
    assert.match(itemAt(run!.notes, 0), /parsed/);
  } finally {
    cold.dispose();
  }
});

test('a run stopped while the cache behind its answer is written: a look at the answer’s events says to run the cell again', async () => {
  const cold = createRuntime({ cacheDir: join(tempDir(), 'stopped-cache') });
  try {
    const text = "```cloudtrail id=ids\nSELECT eventID FROM cloudtrail_logs WHERE eventName = 'StopLogging'\n```\n";
    const controller = new AbortController();
    let answer: CellRun | undefined;
    await assert.rejects(
      cold.run({
        ...request({}).req,
        runbookText: text,
        signal: controller.signal,
        onCell: (run) => {
          answer = run;
          controller.abort();
        },
      }),
    );
    assert.ok(answer);
    await assert.rejects(
      cold.wholeEvent(answer, itemAt(answer.rows, 0)[0] as string),
      /the events of ids were read before their cache was written, and the run stopped before writing it: run the cell again/,
    );
  } finally {
    cold.dispose();
  }
});
