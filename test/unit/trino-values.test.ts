// How Trino's client-protocol values become the engine's CellValue: the same form the
// local engine gives, so both engines print alike. Values below are as Trino 476 sent them
// to this project's suite (rows as positional arrays, timestamps as text, decimals as text).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { timestampToIso, toCellValue, type TypeSignature } from '../../src/sources/trino/values';

const t = (rawType: string, ...args: TypeSignature[]): TypeSignature => ({
  rawType,
  arguments: args.map((value) => ({ kind: 'TYPE', value })),
});
const row = (fields: Record<string, TypeSignature>): TypeSignature => ({
  rawType: 'row',
  arguments: Object.entries(fields).map(([name, typeSignature]) => ({ kind: 'NAMED_TYPE', value: { fieldName: { name }, typeSignature } })),
});
const varchar = t('varchar');

test('rows become objects by field name, inside arrays too', () => {
  const resources = t('array', row({ arn: varchar, accountid: varchar, type: varchar }));
  assert.deepEqual(
    toCellValue(
      [
        ['arn:aws:iam::1:role/r', '1', 'AWS::IAM::Role'],
        [null, '2', null],
      ],
      resources,
    ),
    [
      { arn: 'arn:aws:iam::1:role/r', accountid: '1', type: 'AWS::IAM::Role' },
      { arn: null, accountid: '2', type: null },
    ],
  );
  const anonymous: TypeSignature = { rawType: 'row', arguments: [{ kind: 'NAMED_TYPE', value: { typeSignature: t('integer') } }] };
  assert.deepEqual(toCellValue([1], anonymous), { _1: 1 });
});

test('maps keep their keys and convert their values', () => {
  assert.deepEqual(toCellValue({ a: '2024-01-02 03:04:05.000 UTC' }, t('map', varchar, t('timestamp with time zone'))), {
    a: '2024-01-02T03:04:05.000Z',
  });
});

test('timestamps become ISO-8601 instants in UTC, with milliseconds, as the local engine prints them', () => {
  assert.equal(timestampToIso('2024-07-31 13:06:24.123 UTC'), '2024-07-31T13:06:24.123Z');
  assert.equal(timestampToIso('2024-07-31 13:06:24.123456'), '2024-07-31T13:06:24.123Z');
  assert.equal(timestampToIso('2024-07-31 13:06:24 +02:00'), '2024-07-31T11:06:24.000Z');
  assert.equal(timestampToIso('2024-01-01 05:00:00.000 America/New_York'), '2024-01-01T10:00:00.000Z');
  assert.equal(timestampToIso('2024-07-01 05:00:00.000 America/New_York'), '2024-07-01T09:00:00.000Z');
  assert.equal(timestampToIso('not a timestamp'), 'not a timestamp');
});

test('decimals and dates as the local engine gives them; bytes as hex; NaN as a number', () => {
  assert.equal(toCellValue('1.50', t('decimal')), 1.5);
  assert.equal(toCellValue('2024-01-02', t('date')), '2024-01-02T00:00:00.000Z');
  assert.equal(toCellValue('eA==', t('varbinary')), '78');
  assert.ok(Number.isNaN(toCellValue('NaN', t('double')) as number));
  assert.equal(toCellValue(null, row({ a: varchar })), null);
  assert.equal(toCellValue(42, t('bigint')), 42);
});
