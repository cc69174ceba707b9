// Inputs for each Trino function the local engine emulates (src/engine/trinoFunctions.ts):
// ordinary CloudTrail-shaped values and the edges each macro's note talks about (NULLs,
// malformed input, out-of-range indexes, errors). No expected values here: the real Trino
// is the expectation. A case that fails on both engines agrees (Trino's error is the
// reference; the local engine must fail too, not invent a value).
//
// Each entry is a scalar expression, or a whole query when it starts with SELECT/WITH.
// Written in the subset both parsers read (ARRAY[...] literals, CAST, VALUES).

const AGG = `(VALUES (CAST(NULL AS BIGINT), 3), (1, 2), (2, 1), (2, NULL)) AS v(x, y)`;
const TS = `TIMESTAMP '2024-07-31 13:06:24.123'`;
const URL = `'https://user@example.com:8443/a%20b/c?x=1&y=hello+world&x=2#frag%21'`;

export const FUNCTION_CASES: Readonly<Record<string, readonly string[]>> = {
  json_extract_scalar: [
    `json_extract_scalar('{"a":{"b":"x"}}', '$.a.b')`,
    `json_extract_scalar('{"a":{"b":"x"}}', '$.a')`,
    `json_extract_scalar('[1, 2, 3]', '$[2]')`,
    `json_extract_scalar('{"a":null}', '$.a')`,
    `json_extract_scalar('{"a":true}', '$.a')`,
    `json_extract_scalar('not json', '$.a')`,
    `json_extract_scalar('{"x-amz-acl":"private"}', '$["x-amz-acl"]')`,
    `json_extract_scalar('{"n":1.5}', '$.n')`,
    `json_extract_scalar('{"n":1e3}', '$.n')`,
    `json_extract_scalar('{"s":"a\\"1.5e1, 2","n":[1.50, -2E+3, 0.25]}', '$.n[0]')`,
    `json_extract_scalar('{"s":"a\\"1.5e1, 2","n":[1.50, -2E+3, 0.25]}', '$.n[1]')`,
    `json_extract_scalar('{"s":"a\\"1.5e1, 2","n":[1.50, -2E+3, 0.25]}', '$.s')`,
    `json_extract_scalar('{"instancesSet":{"items":[{"instanceId":"i-1"}]}}', '$.instancesSet.items[0].instanceId')`,
  ],
  json_array_length: [`json_array_length('[1, 2, 3]')`, `json_array_length('{"a":1}')`, `json_array_length('not json')`, `json_array_length('[]')`],
  json_array_contains: [
    `json_array_contains('[1, 2, 3]', 2)`,
    `json_array_contains('[1, 2, 3]', 4)`,
    `json_array_contains('["a", "b"]', 'b')`,
    `json_array_contains('[true]', true)`,
    `json_array_contains('[1.5, 2]', 1.5)`,
    `json_array_contains('[1.0]', 1)`,
    `json_array_contains('{"a":1}', 1)`,
  ],
  json_array_get: [`json_array_get('["a", "b", "c"]', 0)`, `json_array_get('["a", "b", "c"]', -1)`, `json_array_get('[1, 2]', 5)`, `json_array_get('[{"a":1}]', 0)`],
  json_size: [`json_size('{"a":{"b":1,"c":2}}', '$.a')`, `json_size('{"a":[1,2,3]}', '$.a')`, `json_size('{"a":1}', '$.a')`, `json_size('{"a":1}', '$.b')`],
  json_format: [
    `json_format(json_parse('[1, 2, {"a": "b"}]'))`,
    `json_format(json_parse('{"b":1,"a":2}'))`,
    `json_format(json_parse('{"b":1,"a":{"d":[{"f":1,"e":[{"h":1,"g":2}]}],"c":3}}'))`,
    `json_format(json_parse('{"~1":1,"a/b":2,"":{},"A":[],"n":1e3}'))`,
  ],
  json_parse: [`json_format(json_parse('{"a": [1, 2]}'))`, `json_parse('not json')`],
  is_json_scalar: [`is_json_scalar('1')`, `is_json_scalar('"x"')`, `is_json_scalar('[1]')`, `is_json_scalar('{"a":1}')`],
  json_value: [`json_value('{"a":{"b":"x"}}', 'lax $.a.b')`, `json_value('{"a":[1,2]}', 'lax $.a[1]')`, `json_value('{"a":{"b":1}}', 'lax $.a')`, `json_value('{"a":1}', 'strict $.a')`],
  json_query: [`json_query('{"a":{"b":"x"}}', 'lax $.a')`, `json_query('{"a":[1,2]}', 'lax $.a')`, `json_query('{"a":1}', 'lax $.missing')`],
  json_exists: [`json_exists('{"a":{"b":1}}', 'lax $.a.b')`, `json_exists('{"a":1}', 'lax $.b')`, `json_exists('not json', 'lax $.a')`],

  from_iso8601_timestamp: [
    `from_iso8601_timestamp('2024-07-31T13:06:24Z')`,
    `from_iso8601_timestamp('2024-07-31T13:06:24.123456Z')`,
    `from_iso8601_timestamp('2024-07-31T13:06:24+02:00')`,
    `from_iso8601_timestamp('2024-07-31')`,
    `from_iso8601_timestamp('2024-07-31T13')`,
    `from_iso8601_timestamp('yesterday')`,
    `from_iso8601_timestamp('2024-07-31T13:06:24Z') > from_iso8601_timestamp('2024-07-31T13:06:23.999Z')`,
  ],
  from_iso8601_date: [`from_iso8601_date('2020-05-11')`, `from_iso8601_date('2020-W10-1')`, `from_iso8601_date('2020-123')`, `from_iso8601_date('2020-05')`],
  to_iso8601: [`to_iso8601(from_iso8601_timestamp('2024-07-31T13:06:24Z'))`, `to_iso8601(DATE '2024-07-31')`, `to_iso8601(${TS})`],
  from_unixtime: [`from_unixtime(1722431184)`, `from_unixtime(1722431184.5)`, `from_unixtime(0)`],
  to_unixtime: [`to_unixtime(from_iso8601_timestamp('2024-07-31T13:06:24Z'))`, `to_unixtime(${TS})`],
  date_diff: [
    `date_diff('day', TIMESTAMP '2024-01-01 23:00:00', TIMESTAMP '2024-01-02 01:00:00')`,
    `date_diff('hour', from_iso8601_timestamp('2024-01-01T00:00:00Z'), from_iso8601_timestamp('2024-01-02T01:30:00Z'))`,
    `date_diff('month', DATE '2024-01-31', DATE '2024-02-29')`,
    `date_diff('second', ${TS}, TIMESTAMP '2024-07-31 13:06:20')`,
  ],
  date_add: [
    `date_add('day', 1, DATE '2024-02-28')`,
    `date_add('month', 1, DATE '2024-01-31')`,
    `date_add('hour', -2, from_iso8601_timestamp('2024-07-31T01:00:00Z'))`,
    `date_add('minute', 90, ${TS})`,
  ],
  date_trunc: [`date_trunc('hour', ${TS})`, `date_trunc('month', DATE '2024-07-31')`, `date_trunc('day', from_iso8601_timestamp('2024-07-31T13:06:24Z'))`, `date_trunc('week', DATE '2024-07-31')`],
  date_format: [`date_format(${TS}, '%Y-%m-%d %H:%i:%s')`, `date_format(${TS}, '%W %M %e %k %l %p')`, `date_format(${TS}, '%j %f')`, `date_format(${TS}, '%D')`],
  date_parse: [`date_parse('2024-07-31 13:06:24', '%Y-%m-%d %H:%i:%s')`, `date_parse('31/07/24', '%d/%m/%y')`, `date_parse('2024', '%Y')`],
  format_datetime: [`format_datetime(${TS}, 'yyyy-MM-dd HH:mm:ss')`, `format_datetime(${TS}, 'EEEE, d MMMM yyyy')`, `format_datetime(${TS}, 'yyyy''T''HH')`, `format_datetime(${TS}, 'h a')`],
  day_of_week: [`day_of_week(DATE '2024-07-28')`, `day_of_week(${TS})`],
  dow: [`dow(DATE '2024-07-29')`],
  day_of_year: [`day_of_year(DATE '2024-12-31')`],
  doy: [`doy(${TS})`],
  day_of_month: [`day_of_month(${TS})`],
  week_of_year: [`week_of_year(DATE '2024-12-30')`, `week_of_year(DATE '2021-01-03')`],
  year_of_week: [`year_of_week(DATE '2024-12-30')`, `year_of_week(DATE '2021-01-03')`],
  yow: [`yow(DATE '2021-01-03')`],
  last_day_of_month: [`last_day_of_month(DATE '2024-02-10')`, `last_day_of_month(${TS})`],
  millisecond: [`millisecond(${TS})`, `millisecond(from_iso8601_timestamp('2024-07-31T13:06:24.5Z'))`],

  regexp_like: [`regexp_like('AccessDenied', 'Denied')`, `regexp_like('AccessDenied', '^Denied')`, `regexp_like(NULL, 'x')`, `regexp_like('Client.UnauthorizedOperation', 'AccessDenied|Unauthorized')`],
  regexp_extract: [`regexp_extract('aws-cli/2.15.0 Python/3.11', 'aws-cli/([0-9.]+)', 1)`, `regexp_extract('abc', 'x')`, `regexp_extract('a1b2', '[0-9]')`, `regexp_extract('ab', '(a)(x)?', 2)`],
  regexp_replace: [`regexp_replace('a1b2c3', '[0-9]')`, `regexp_replace('a1b2c3', '([a-z])([0-9])', '$2$1')`, `regexp_replace('x.y', '\\.', '\\$')`],
  regexp_count: [`regexp_count('a1b22c333', '[0-9]+')`, `regexp_count('abc', 'x')`],
  regexp_split: [`regexp_split('a1b22c', '[0-9]+')`, `regexp_split('abc', 'x')`],

  contains: [`contains(ARRAY['a', 'b'], 'b')`, `contains(ARRAY['a', 'b'], 'c')`, `contains(ARRAY['a', NULL], 'c')`, `contains(ARRAY[1, 2], 2)`],
  cardinality: [`cardinality(ARRAY[1, 2, 3])`, `cardinality(ARRAY[])`, `cardinality(MAP(ARRAY['a'], ARRAY[1]))`],
  element_at: [`element_at(ARRAY['a', 'b'], 1)`, `element_at(ARRAY['a', 'b'], -1)`, `element_at(ARRAY['a', 'b'], 5)`, `element_at(ARRAY['a'], 0)`, `element_at(MAP(ARRAY['k'], ARRAY['v']), 'k')`, `element_at(MAP(ARRAY['k'], ARRAY['v']), 'x')`],
  array_join: [`array_join(ARRAY['a', 'b', 'c'], ',')`, `array_join(ARRAY['a', NULL, 'c'], ',')`, `array_join(ARRAY['a', NULL, 'c'], ',', '?')`],
  array_position: [`array_position(ARRAY['a', 'b', 'c'], 'b')`, `array_position(ARRAY['a'], 'x')`],
  array_distinct: [`array_distinct(ARRAY[3, 1, 3, 2, 1])`, `array_distinct(ARRAY['b', NULL, 'a', NULL])`],
  slice: [`slice(ARRAY[1, 2, 3, 4], 2, 2)`, `slice(ARRAY[1, 2, 3, 4], -2, 5)`, `slice(ARRAY[1, 2], 3, 1)`],
  split: [`split('a,b,,c', ',')`, `split('a,b,c', ',', 2)`, `split('', ',')`],
  split_part: [`split_part('arn:aws:iam::123456789012:user/alice', ':', 5)`, `split_part('a/b', '/', 3)`, `split_part('a/b', '/', 0)`],
  substr: [`substr('CloudTrail', 6)`, `substr('CloudTrail', 1, 5)`, `substr('CloudTrail', 0, 2)`, `substr('CloudTrail', -5, 2)`],
  substring: [`substring('CloudTrail', 6)`, `substring('CloudTrail', -5)`],
  concat: [`concat('a', 'b', 'c')`, `concat('a', NULL)`, `concat(ARRAY[1], ARRAY[2, 3])`],
  replace: [`replace('a-b-c', '-', '+')`, `replace('a-b-c', '-')`],

  approx_distinct: [`SELECT approx_distinct(x) FROM ${AGG}`, `SELECT approx_distinct(y) FROM ${AGG}`],
  arbitrary: [`SELECT arbitrary(x) FROM (VALUES (CAST(NULL AS BIGINT)), (7)) AS v(x)`],
  count_if: [`SELECT count_if(x = 2) FROM ${AGG}`, `SELECT count_if(x > 5) FROM ${AGG} WHERE FALSE`],
  max_by: [`SELECT max_by(x, y) FROM ${AGG}`, `SELECT max_by(y, x) FROM ${AGG}`],
  min_by: [`SELECT min_by(x, y) FROM ${AGG}`, `SELECT min_by(y, x) FROM ${AGG}`],
  approx_percentile: [`SELECT approx_percentile(y, 0.5) FROM ${AGG}`, `SELECT approx_percentile(y, 1.0) FROM ${AGG}`],

  url_extract_host: [`url_extract_host(${URL})`, `url_extract_host('not a url')`, `url_extract_host('https://[::1]:80/')`],
  url_extract_port: [`url_extract_port(${URL})`, `url_extract_port('https://example.com/')`],
  url_extract_protocol: [`url_extract_protocol(${URL})`, `url_extract_protocol('/just/a/path')`],
  url_extract_path: [`url_extract_path(${URL})`, `url_extract_path('https://example.com')`],
  url_extract_query: [`url_extract_query(${URL})`, `url_extract_query('https://example.com/')`],
  url_extract_fragment: [`url_extract_fragment(${URL})`, `url_extract_fragment('https://example.com/')`],
  url_extract_parameter: [`url_extract_parameter(${URL}, 'x')`, `url_extract_parameter(${URL}, 'y')`, `url_extract_parameter(${URL}, 'z')`],
};
