// The S3 layout: day folders outside the window are never opened, and an event that
// CloudTrail delivered just after midnight, into the next day's folder, is still found.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { absoluteWindow } from '../../src/engine/timeWindow';
import { discoverLogFiles } from '../../src/sources/local/discover';
import { scanLocalLogs } from '../../src/sources/local/localLogs';
import { ACCOUNT, writeS3Trail } from '../support/s3Trail';
import { openStore, query } from '../support/store';
import { tempDir } from '../support/tempDir';

function trail(): string {
  const root = tempDir();
  writeS3Trail(root, [
    { folder: '2024/07/01', eventTime: '2024-07-01T10:00:00Z', eventName: 'Old', eventID: 'old' },
    { folder: '2024/07/30', eventTime: '2024-07-30T10:00:00Z', eventName: 'DayBefore', eventID: 'before' },
    { folder: '2024/07/31', eventTime: '2024-07-31T10:00:00Z', eventName: 'InWindow', eventID: 'in-1' },
    { folder: '2024/08/01', eventTime: '2024-07-31T23:58:00Z', eventName: 'LateDelivered', eventID: 'late' },
    { folder: '2024/08/01', eventTime: '2024-08-01T09:00:00Z', eventName: 'After', eventID: 'after' },
    { folder: '2024/09/15', eventTime: '2024-09-15T09:00:00Z', eventName: 'Much later', eventID: 'later' },
  ]);
  // A corrupt file in a folder outside the window: reading it would report a problem.
  const skipped = join(root, 'AWSLogs', ACCOUNT, 'CloudTrail', 'us-east-1', '2024', '07', '01');
  writeFileSync(join(skipped, 'corrupt.json.gz'), 'not gzip at all');
  // Digest files are integrity proofs, not events.
  const digest = join(root, 'AWSLogs', ACCOUNT, 'CloudTrail-Digest', 'us-east-1', '2024', '07', '31');
  mkdirSync(digest, { recursive: true });
  writeFileSync(join(digest, 'digest.json.gz'), 'not events');
  return root;
}

const window = absoluteWindow('2024-07-31T00:00:00Z', '2024-08-01T00:00:00Z');

test('day folders that cannot hold events of the window are skipped unopened', async () => {
  const root = trail();
  const discovery = await discoverLogFiles(root, window);
  const days = discovery.files.map((f) => f.path.split('/').slice(-4, -1).join('/'));
  // A folder is named by delivery time, so it holds events of its own day or the day
  // before: July 31 and August 1 are needed, July 30 (and earlier) and September are not.
  assert.deepEqual(days, ['2024/07/31', '2024/08/01']);
  assert.equal(discovery.digestFolders, 1);
  assert.equal(discovery.skippedDayFolders, 3); // 07/01, 07/30 and the month 09

  const store = await openStore();
  const { ingest } = await scanLocalLogs(store, root, window);
  assert.deepEqual(ingest.problems, [], 'the corrupt file in a skipped folder was never read');
});

test('the window filters events exactly, including one delivered into the next day', async () => {
  const root = trail();
  const store = await openStore();
  const rows = await query(store, root, 'SELECT eventID FROM cloudtrail_logs ORDER BY eventTime', window);
  assert.deepEqual(rows, [['in-1'], ['late']]);
});
