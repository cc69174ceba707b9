import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SETTLE_MS, missingRanges, settledAndRecent } from '../../src/sources/lookup/fetchRanges';

test('missing ranges are the gaps the fetched ones leave', () => {
  assert.deepEqual(missingRanges({ start: 0, end: 100 }, []), [{ start: 0, end: 100 }]);
  assert.deepEqual(missingRanges({ start: 0, end: 100 }, [{ start: 0, end: 100 }]), []);
  assert.deepEqual(missingRanges({ start: 10, end: 90 }, [{ start: 0, end: 100 }]), []);
  assert.deepEqual(
    missingRanges({ start: 0, end: 100 }, [
      { start: 20, end: 30 },
      { start: 50, end: 60 },
    ]),
    [
      { start: 0, end: 20 },
      { start: 30, end: 50 },
      { start: 60, end: 100 },
    ],
  );
  assert.deepEqual(
    missingRanges({ start: 0, end: 100 }, [
      { start: 50, end: 200 },
      { start: -10, end: 10 },
    ]),
    [{ start: 10, end: 50 }],
  );
  assert.deepEqual(
    missingRanges({ start: 0, end: 100 }, [
      { start: 100, end: 200 },
      { start: -50, end: 0 },
    ]),
    [{ start: 0, end: 100 }],
  );
});

test('the last 15 minutes are never settled', () => {
  const now = Date.parse('2026-11-22T12:00:00Z');
  const { settled, recent } = settledAndRecent(new Date('2026-11-22T11:00:00Z'), new Date(now), now);
  assert.deepEqual(settled, { start: Date.parse('2026-11-22T11:00:00Z'), end: now - SETTLE_MS });
  assert.deepEqual(recent, { start: now - SETTLE_MS, end: now });
  const old = settledAndRecent(new Date('2026-11-01T00:00:00Z'), new Date('2026-11-02T00:00:00Z'), now);
  assert.deepEqual(old, { settled: { start: Date.parse('2026-11-01T00:00:00Z'), end: Date.parse('2026-11-02T00:00:00Z') } });
  const fresh = settledAndRecent(new Date(now - 60_000), new Date(now), now);
  assert.deepEqual(fresh, { recent: { start: now - 60_000, end: now } });
});
