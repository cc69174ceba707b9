// The results view enables a pivot's button, and the host then builds the pivot's cell: the
// two must read a row alike. They once kept their own lists of column aliases and drifted
// (the view knew `key` and not `newKey`, so on DESIGN.md's own example, `... AS newKey`,
// "… this access key did" was disabled although the host would build it; a column `key`
// enabled a button the host then refused). These rows hold every alias and the shapes where
// the two readings used to differ; for each, an enabled button must give a cell, and a
// disabled one must be a row the host refuses.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PIVOT_COLUMNS, PIVOT_KINDS, pivotValue, type PivotKind, type PivotRow } from '../../src/protocol/pivotValues';
import { buildPivot } from '../../src/runbook/pivot';
import { parseRunbook } from '../../src/runbook/parse';
import { readText, resolveFields, type EventField } from '../../src/webview/timeline/eventFields';
import { rowAsObject } from '../../src/webview/formatValue';

const RUNBOOK = parseRunbook('# t\n\n```cloudtrail id=detect\nSELECT * FROM cloudtrail_logs\n```\n', 't.md');

const SAMPLE: Record<PivotKind, string> = {
  principal: 'arn:aws:iam::111122223333:user/alice',
  accessKey: 'AKIAIOSFODNN7EXAMPLE',
  sourceIp: '203.0.113.7',
  around: '2025-03-05T14:05:30Z',
  resource: 'arn:aws:s3:::incident-bucket',
};

/** The row as the view sends it to the host: columns and values, as the engine returned them. */
const viewRow = (columns: string[], values: unknown[]): PivotRow => rowAsObject(columns, values as never);

function rowsToTry(): { readonly name: string; readonly row: PivotRow }[] {
  const rows: { name: string; row: PivotRow }[] = [];
  for (const kind of PIVOT_KINDS) {
    for (const column of PIVOT_COLUMNS[kind].columns) {
      const value = kind === 'resource' && column === 'resources' ? [{ arn: SAMPLE.resource }] : SAMPLE[kind];
      rows.push({ name: `${kind} in ${column}`, row: viewRow([column], [value]) });
      rows.push({ name: `${kind} in ${column.toUpperCase()}`, row: viewRow([column.toUpperCase()], [value]) });
    }
  }
  return [
    ...rows,
    {
      name: 'DESIGN.md example: newKey',
      row: viewRow(
        ['eventTime', 'actor', 'sourceIPAddress', 'newKey'],
        ['2025-03-05T14:05:30Z', SAMPLE.principal, '198.51.100.1', 'AKIANEWKEY'],
      ),
    },
    { name: 'an S3 object key', row: viewRow(['key'], ['photos/cat.jpg']) },
    {
      name: 'an empty alias before the struct',
      row: viewRow(['actor', 'userIdentity'], [null, { arn: SAMPLE.principal, accessKeyId: '' }]),
    },
    {
      name: 'userIdentity as JSON text',
      row: viewRow(['userIdentity'], [JSON.stringify({ ARN: SAMPLE.principal, accessKeyId: 'ASIAJSON' })]),
    },
    { name: "DuckDB's timestamp text without a zone", row: viewRow(['eventTime'], ['2025-03-05 14:05:30']) },
    { name: 'a time with an offset', row: viewRow(['time'], ['2025-03-05T16:05:30+02:00']) },
    { name: 'a time as epoch milliseconds', row: viewRow(['eventTime'], [1_741_183_530_000]) },
    { name: 'resources as JSON text', row: viewRow(['resources'], [`[{"ARN":"${SAMPLE.resource}"}]`]) },
    { name: 'an empty resources list, then resourceArn', row: viewRow(['resources', 'resourceArn'], [[], SAMPLE.resource]) },
    { name: 'a number where an IP belongs', row: viewRow(['sourceIPAddress'], [42]) },
    { name: 'nothing to pivot on', row: viewRow(['eventName'], ['ListBuckets']) },
  ];
}

test('a pivot the view offers is a pivot the host builds, on the same value, and no other', () => {
  const disagreements: string[] = [];
  for (const { name, row } of rowsToTry()) {
    for (const kind of PIVOT_KINDS) {
      const offered = pivotValue(row, kind);
      const built = buildPivot(RUNBOOK, 'detect', row, kind);
      const value = 'error' in built ? undefined : built.value;
      if (offered !== value) disagreements.push(`${name}, ${kind}: the view offers ${offered}, the host builds ${value}`);
    }
  }
  assert.deepEqual(disagreements, []);
});

test('every alias a pivot accepts is a column the timeline and the copy buttons find', () => {
  const part: Record<PivotKind, EventField> = {
    principal: 'principal',
    accessKey: 'accessKey',
    sourceIp: 'sourceIp',
    around: 'time',
    resource: 'resources',
  };
  for (const kind of PIVOT_KINDS) {
    for (const column of PIVOT_COLUMNS[kind].columns) {
      assert.equal(resolveFields([column])[part[kind]]?.column, 0, `${kind}: ${column}`);
    }
  }
  const fields = resolveFields(['newKey']);
  assert.equal(readText(['AKIANEWKEY'], fields.accessKey), 'AKIANEWKEY');
});

test('the drift this file pins: newKey is an access key for both sides, key for neither', () => {
  assert.equal(pivotValue({ newKey: 'AKIANEWKEY' }, 'accessKey'), 'AKIANEWKEY');
  assert.equal(pivotValue({ key: 'photos/cat.jpg' }, 'accessKey'), undefined);
  assert.match((buildPivot(RUNBOOK, 'detect', { key: 'photos/cat.jpg' }, 'accessKey') as { error: string }).error, /no access key ID/);
});
