// The results view's layout rules (issue 14, items 3 and 4): lane labels keep the end that
// tells lanes apart, lanes are grouped by what the rows hold (never mostly "other"), lanes
// and panes keep a minimum readable size, labels never overlap, and the sizes a person
// gives are kept within what the panel allows.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseDimension, otherShare, sampleCounts } from '../../src/webview/timeline/laneChoice';
import { shortLaneLabel, shortLaneLabels } from '../../src/webview/timeline/laneGrouping';
import { resolveFields } from '../../src/webview/timeline/eventFields';
import { axisTicks, labelSpacingPx } from '../../src/webview/timeline/timeAxis';
import { clampFirstLane, LABEL_FONT_PX, lanesThatFit, MIN_LANE_HEIGHT, timelineLayout } from '../../src/webview/timeline/timelineLayout';
import {
  DEFAULT_LAYOUT,
  detailBeside,
  fitLayout,
  MAX_REMEMBERED_COLUMNS,
  MIN_SIZES,
  readLayout,
  withColumnWidth,
} from '../../src/webview/panelLayout';
import { itemAt } from '../support/itemAt';

// ---- lane labels ----

test('a long principal keeps its last segment whole: the name, not "user/…porter"', () => {
  assert.equal(shortLaneLabel('arn:aws:iam::482193657204:user/metrics-exporter', 18), '…/metrics-exporter');
  assert.equal(shortLaneLabel('arn:aws:sts::482193657204:assumed-role/OrganizationAccountAccessRole/session-7', 20), '…/session-7');
  const session = shortLaneLabel('arn:aws:sts::482193657204:assumed-role/api-task-role/b07707fea5c53e3bb551aa9129ba769d', 24);
  assert.equal(session.length, 24);
  assert.ok(session.startsWith('…') && session.endsWith('9129ba769d'), session);
});

test('an IP is whole whenever it fits; an IPv6 too long keeps its end', () => {
  assert.equal(shortLaneLabel('52.48.146.176', 15), '52.48.146.176');
  assert.equal(shortLaneLabel('2001:db8:85a3::8a2e:370:7334', 14), '…8a2e:370:7334');
});

test('an API name keeps the verb it starts with and the end that tells it apart', () => {
  assert.equal(shortLaneLabel('GetBucketPublicAccessBlock', 20), 'GetBucketPu…essBlock');
  const two = [shortLaneLabel('DescribeInstanceAttribute', 16), shortLaneLabel('DescribeInstanceStatus', 16)];
  assert.deepEqual(two, ['DescribeI…ribute', 'DescribeI…Status']);
  assert.ok(two.every((label) => label.length === 16));
  assert.equal(shortLaneLabel('StopLogging', 16), 'StopLogging', 'whole when it fits');
});

test('an event source is named by its service', () => {
  assert.equal(shortLaneLabel('bedrock.amazonaws.com', 12), 'bedrock');
  assert.equal(shortLaneLabel('ssm.amazonaws.com', 40), 'ssm.amazonaws.com', 'whole when it fits');
});

test('labels that would read alike keep both ends instead', () => {
  const labels = ['arn:aws:sts::1:assumed-role/build-runner-alpha/deploy', 'arn:aws:sts::1:assumed-role/build-runner-omega/deploy'];
  const short = shortLaneLabels(labels, 16);
  assert.equal(short.length, 2);
  assert.notEqual(short[0], short[1], JSON.stringify(short));
  assert.ok(
    short.every((label) => label.length <= 16),
    JSON.stringify(short),
  );
  assert.deepEqual(shortLaneLabels(['alice', 'bob'], 16), ['alice', 'bob']);
});

// ---- which dimension the lanes group by ----

test('"other" share: what the lanes beyond the busiest hold', () => {
  assert.equal(otherShare([5, 3, 2], 2), 0, 'one value left over gets its own lane');
  assert.equal(otherShare([4, 3, 1, 1, 1], 2), 0.3);
});

test('lanes group by the first dimension whose "other" lane holds less than half', () => {
  const manyPrincipals = Array.from({ length: 300 }, () => 2); // 600 events over 300 principals
  const fewIps = [300, 200, 100];
  assert.equal(
    chooseDimension(
      [
        { dimension: 'principal', counts: manyPrincipals },
        { dimension: 'sourceIp', counts: fewIps },
      ],
      10,
    ),
    'sourceIp',
  );
  assert.equal(
    chooseDimension(
      [
        { dimension: 'principal', counts: [50, 40, 10] },
        { dimension: 'sourceIp', counts: fewIps },
      ],
      10,
    ),
    'principal',
    'the principal when it fits',
  );
  assert.equal(
    chooseDimension(
      [
        { dimension: 'region', counts: [600] },
        { dimension: 'eventName', counts: [5, 5] },
      ],
      10,
    ),
    'eventName',
    'one value is no grouping',
  );
  assert.equal(
    chooseDimension(
      [
        { dimension: 'principal', counts: Array(50).fill(1) },
        { dimension: 'eventName', counts: Array(30).fill(1) },
      ],
      10,
    ),
    'eventName',
    'else the least "other"',
  );
});

test('the choice reads a sample of the rows, by the same fields as the lanes', () => {
  const columns = ['eventTime', 'userIdentity', 'sourceIPAddress'];
  const rows = Array.from({ length: 10_000 }, (_, i) => [
    '2025-01-01T00:00:00Z',
    { arn: `arn:aws:iam::1:user/u${i % 500}` },
    `10.0.0.${i % 3}`,
  ]);
  const counts = sampleCounts(rows, resolveFields(columns), ['principal', 'sourceIp']);
  assert.equal(counts.find((c) => c.dimension === 'sourceIp')!.counts.length, 3);
  assert.ok(counts.find((c) => c.dimension === 'principal')!.counts.reduce((a, b) => a + b, 0) <= 4000);
  assert.equal(chooseDimension(counts, lanesThatFit(400) - 1), 'sourceIp');
});

// ---- lanes: minimum height, no overlap, scrolling ----

test('lanes never get shorter than a label: the rest fold into "other" or scroll', () => {
  for (const height of [150, 200, 260, 400, 700]) {
    for (const lanes of [1, 3, 12, 40, 300]) {
      const layout = timelineLayout(800, height, lanes, 180);
      assert.ok(layout.laneHeight >= MIN_LANE_HEIGHT, `height ${height}, ${lanes} lanes: ${layout.laneHeight} px`);
      assert.ok(MIN_LANE_HEIGHT >= LABEL_FONT_PX + 2);
      assert.ok(layout.laneCount <= lanes);
      // Every lane shown is inside the lanes band, above the overview, and no two overlap.
      assert.ok(
        layout.lanes.top + layout.laneCount * layout.laneHeight <= layout.overview.top,
        `height ${height}, ${lanes} lanes: lanes run into the overview`,
      );
      assert.ok(layout.lanes.top >= layout.histogram.top + layout.histogram.height);
    }
  }
});

test('folded, the lanes that fit hold the busiest values and "other" together', () => {
  const height = 260;
  const fit = lanesThatFit(height);
  const layout = timelineLayout(800, height, fit, 180);
  assert.equal(layout.laneCount, fit, 'all lanes of a folded scene are shown');
  assert.equal(layout.totalLanes, fit);
});

test('expanded lanes scroll: the first lane shown stays within the last screenful', () => {
  const height = 260;
  const shown = timelineLayout(800, height, 100, 180).laneCount;
  assert.equal(clampFirstLane(-5, 100, height), 0);
  assert.equal(clampFirstLane(500, 100, height), 100 - shown);
  const scrolled = timelineLayout(800, height, 100, 180, clampFirstLane(40, 100, height));
  assert.equal(scrolled.firstLane, 40);
  assert.equal(scrolled.laneCount, shown);
});

// ---- time labels ----

test('time labels at ordinary widths: at least two, never closer than a label', () => {
  const twoDays = { start: Date.parse('2026-10-31T23:31:13Z'), end: Date.parse('2026-11-03T00:28:46Z') };
  for (const width of [220, 300, 500, 800, 1200]) {
    const { step, ticks } = axisTicks(twoDays, width, 'utc');
    assert.ok(ticks.length >= 2, `${width} px: ${ticks.length} labels`);
    const spacing = (step / (twoDays.end - twoDays.start)) * width;
    assert.ok(spacing >= labelSpacingPx(step), `${width} px: labels ${spacing.toFixed(0)} px apart`);
  }
  const minutes = { start: Date.parse('2026-11-01T21:14:00Z'), end: Date.parse('2026-11-01T21:31:00Z') };
  assert.ok(axisTicks(minutes, 250, 'utc').ticks.length >= 2);
});

// ---- panes ----

test('panes keep their minimum sizes whatever was saved, and the room when there is some', () => {
  const room = { width: 1000, height: 600 };
  const tiny = fitLayout({ ...DEFAULT_LAYOUT, timelineHeight: 10, detailWidth: 5, runsWidth: 1 }, room);
  assert.equal(tiny.timelineHeight, MIN_SIZES.timeline);
  assert.equal(tiny.detailWidth, MIN_SIZES.detail);
  assert.equal(tiny.runsWidth, MIN_SIZES.runs);
  const huge = fitLayout({ ...DEFAULT_LAYOUT, timelineHeight: 5000, detailWidth: 5000 }, room);
  assert.equal(huge.timelineHeight, room.height - MIN_SIZES.table, 'the table keeps its rows');
  assert.equal(huge.detailWidth, room.width - MIN_SIZES.tableBeside, 'the table keeps its width beside the detail');
});

test('until the person moves it, the timeline takes a share of the height', () => {
  const auto = fitLayout(DEFAULT_LAYOUT, { width: 800, height: 800 });
  assert.equal(auto.timelineHeight, 360);
  assert.equal(fitLayout(DEFAULT_LAYOUT, { width: 800, height: 300 }).timelineHeight, MIN_SIZES.timeline, 'never below its minimum');
});

test('the detail lies beside the table when both fit, over it when not', () => {
  assert.equal(detailBeside(1000), true);
  assert.equal(detailBeside(MIN_SIZES.detail + MIN_SIZES.tableBeside - 1), false);
});

test('a saved layout is read back; anything malformed is the default', () => {
  assert.deepEqual(readLayout(undefined), DEFAULT_LAYOUT);
  assert.deepEqual(readLayout({ runsOpen: 'yes', timelineHeight: 'tall', detailWidth: Number.NaN }), DEFAULT_LAYOUT);
  assert.deepEqual(readLayout({ ...DEFAULT_LAYOUT, runsOpen: true, timelineHeight: 420 }), {
    ...DEFAULT_LAYOUT,
    runsOpen: true,
    timelineHeight: 420,
  });
});

test('one name in two accounts: the labels say the accounts apart', () => {
  const short = shortLaneLabels(['arn:aws:iam::111122223333:user/alice', 'arn:aws:iam::444455556666:user/alice'], 30);
  assert.notEqual(short[0], short[1]);
  assert.ok(itemAt(short, 0).includes('1111') && itemAt(short, 1).includes('4444'), JSON.stringify(short));
});

test('column widths a person gave are kept by name, the latest last, bounded, and read back only as sane numbers', () => {
  let widths = withColumnWidth({}, 'eventName', 212.4);
  widths = withColumnWidth(widths, 'actor', 300);
  widths = withColumnWidth(widths, 'eventName', 180);
  assert.deepEqual(Object.entries(widths), [
    ['actor', 300],
    ['eventName', 180],
  ]);
  for (let i = 0; i < MAX_REMEMBERED_COLUMNS + 5; i += 1) widths = withColumnWidth(widths, `c${i}`, 100);
  assert.equal(Object.keys(widths).length, MAX_REMEMBERED_COLUMNS);
  assert.ok(!('actor' in widths), 'the oldest go first');
  const read = readLayout({
    ...DEFAULT_LAYOUT,
    columnWidths: { eventName: 180, bad: 'wide', nan: Number.NaN, huge: 1e9, zero: 0, __proto__: 5 },
  });
  assert.deepEqual(read.columnWidths, { eventName: 180 });
  assert.deepEqual(readLayout({ columnWidths: ['eventName'] }).columnWidths, {});
});
