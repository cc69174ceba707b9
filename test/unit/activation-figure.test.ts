// The activation line the extension logs is read by scripts/test-e2e.mjs and
// bench/activation.ts: wall time first, CPU time beside it, for the whole and for each part.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activationLine, bundleEvaluation } from '../../src/extension/activationFigure';
import { registrationTimes } from '../../bench/activationOnce';

test('the activation line gives wall and CPU time of the whole, the bundle and activate(), and the three slowest registrations', () => {
  const line = activationLine({ ms: 12.34, cpuMs: 3.21 }, { ms: 40, cpuMs: 6 }, [
    ['summaries', 0.2],
    ['diagnostics', 33.6],
    ['SQL help', 0.9],
    ['runbook tree', 1.8],
  ]);
  assert.equal(
    line,
    'activated in 52.3 ms (CPU 9.2 ms): bundle evaluated in 12.3 ms (CPU 3.2 ms), activate() in 40.0 ms (CPU 6.0 ms) (DuckDB loads on the first run, the AWS SDK on the first that calls AWS); slowest: diagnostics 33.6 ms, runbook tree 1.8 ms, SQL help 0.9 ms',
  );
  assert.deepEqual(registrationTimes(line), { diagnostics: 33.6, 'runbook tree': 1.8, 'SQL help': 0.9 });
});

test('run from source (no bundle marks), the bundle evaluation counts nothing', () => {
  assert.deepEqual(bundleEvaluation(), { ms: 0, cpuMs: 0 });
});
