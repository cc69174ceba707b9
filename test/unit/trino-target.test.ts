// Where `source: trino` runs is checked by one function for both faces: the CLI's flags and
// the editor's settings give the same answers, and each error names what to change and what
// to write there. A password or token goes only over https or to this machine.
import assert from 'node:assert/strict';
import { userInfo } from 'node:os';
import { describe, test } from 'node:test';
import { checkTrinoServer, defaultTrinoUser, trinoTarget, TrinoTargetError, type TrinoInputNames } from '../../src/app/trinoTarget';
import { parseRunArgs } from '../../src/cli/runArgs';
import { UsageError } from '../../src/cli/usageError';
import { TRINO_SETTINGS } from '../../src/extension/runTarget';

const SETTINGS: TrinoInputNames = TRINO_SETTINGS;
const TABLE = 'hive.ct.cloudtrail_logs';

const fails = (input: Parameters<typeof trinoTarget>[0], names: TrinoInputNames = SETTINGS) => {
  try {
    trinoTarget(input, names, {});
  } catch (error) {
    assert.ok(error instanceof TrinoTargetError, String(error));
    return { message: error.message, input: error.input };
  }
  assert.fail('expected an error');
};

describe('trinoTarget: the checks both faces use', () => {
  test('https anywhere, plain http only to this machine', () => {
    for (const server of [
      'https://trino.example.com',
      'https://trino.example.com:8443',
      'http://127.0.0.1:8080',
      'http://localhost:8080',
      'http://[::1]:8080',
    ]) {
      assert.equal(trinoTarget({ server, table: TABLE, user: 'ir' }, SETTINGS, {}).server, server);
    }
    for (const server of ['http://10.0.0.5:8080', 'http://trino.example.com', 'http://127.0.0.1.nip.io:8080', 'ftp://127.0.0.1']) {
      assert.deepEqual(fails({ server, table: TABLE }), {
        message: `trailbook.trino.server ${server}: use https (plain http only to this machine: 127.0.0.1, [::1] or localhost)`,
        input: 'trailbook.trino.server',
      });
    }
  });

  test('a URL that does not parse says how to write one', () => {
    assert.match(
      fails({ server: 'trino.example.com', table: TABLE }).message,
      /^trailbook\.trino\.server trino\.example\.com: write it as https:\/\/host\[:port\]/,
    );
  });

  test('a password written into the URL is refused without being repeated', () => {
    const { message, input } = fails({ server: 'https://ir:hunter2@trino.example.com', table: TABLE });
    assert.equal(input, 'trailbook.trino.server');
    assert.doesNotMatch(message, /hunter2/);
    assert.match(message, /without a user or password in it/);
  });

  test('the table is catalog.schema.table of identifiers: it cannot carry SQL', () => {
    for (const table of ['cloudtrail_logs', 'ct.cloudtrail_logs', TABLE])
      assert.equal(trinoTarget({ server: 'https://t.example', table }, SETTINGS, {}).table, table);
    for (const table of ['a.b.c.d', 'hive.ct.logs; DROP TABLE x', '"quoted".t', '1st.table', 'hive..t']) {
      assert.deepEqual(fails({ server: 'https://t.example', table }), {
        message: `trailbook.trino.table ${table}: write it as catalog.schema.table (letters, digits and _)`,
        input: 'trailbook.trino.table',
      });
    }
  });

  test("a missing value says what to write, in the face's own words", () => {
    assert.deepEqual(fails({ table: TABLE }), {
      message: 'source trino needs the server: set trailbook.trino.server to https://trino.example.com',
      input: 'trailbook.trino.server',
    });
    assert.deepEqual(fails({ server: ' https://t.example ', table: '  ' }), {
      message: 'source trino needs the table: set trailbook.trino.table to catalog.schema.cloudtrail_logs',
      input: 'trailbook.trino.table',
    });
  });

  test('the user: as given, else the OS user name', () => {
    assert.equal(trinoTarget({ server: 'https://t.example', table: TABLE, user: ' ir-team ' }, SETTINGS, {}).user, 'ir-team');
    assert.equal(trinoTarget({ server: 'https://t.example', table: TABLE, user: '' }, SETTINGS, {}).user, userInfo().username);
    assert.equal(defaultTrinoUser({}), userInfo().username);
  });

  test('one secret at most, and none unless given', () => {
    const target = trinoTarget({ server: 'https://t.example', table: TABLE }, SETTINGS, {});
    assert.equal('password' in target || 'accessToken' in target, false);
    assert.match(
      fails({ server: 'https://t.example', table: TABLE, password: 'p', accessToken: 't' }).message,
      /^choose one: a password or an access token .*, not both$/,
    );
  });

  test('checkTrinoServer names whatever the caller calls it', () => {
    assert.throws(() => checkTrinoServer('http://192.0.2.1', 'the server'), /^Error: the server http:\/\/192\.0\.2\.1: use https/);
  });
});

describe('trailbook run --source trino: the same checks, naming flags', () => {
  const ENV = ['TRINO_SERVER', 'TRINO_TABLE', 'TRINO_USER', 'TRINO_PASSWORD', 'TRINO_ACCESS_TOKEN'] as const;
  const withEnv = <T>(env: Partial<Record<(typeof ENV)[number], string>>, act: () => T): T => {
    const saved = Object.fromEntries(ENV.map((name) => [name, process.env[name]]));
    for (const name of ENV) {
      if (env[name] === undefined) delete process.env[name];
      else process.env[name] = env[name];
    }
    try {
      return act();
    } finally {
      for (const name of ENV) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    }
  };
  const usage = (argv: string[], env: Partial<Record<(typeof ENV)[number], string>> = {}): string =>
    withEnv(env, () => {
      try {
        parseRunArgs(argv);
      } catch (error) {
        assert.ok(error instanceof UsageError, String(error));
        return error.message;
      }
      return assert.fail('expected a usage error');
    });

  test('flags, else the environment; the secret only from the environment', () => {
    const args = withEnv({ TRINO_PASSWORD: 's3cret' }, () =>
      parseRunArgs(['rb.md', '--source', 'trino', '--trino-server', 'https://t.example', '--trino-table', TABLE, '--trino-user', 'ir']),
    );
    assert.deepEqual(args.source, { kind: 'trino', server: 'https://t.example', user: 'ir', table: TABLE, password: 's3cret' });
    const fromEnv = withEnv({ TRINO_SERVER: 'http://127.0.0.1:8080', TRINO_TABLE: TABLE, TRINO_ACCESS_TOKEN: 'jwt' }, () =>
      parseRunArgs(['rb.md', '--source', 'trino']),
    );
    assert.deepEqual(fromEnv.source, {
      kind: 'trino',
      server: 'http://127.0.0.1:8080',
      user: userInfo().username,
      table: TABLE,
      accessToken: 'jwt',
    });
  });

  test('each mistake is a usage error naming the flag', () => {
    assert.equal(
      usage(['rb.md', '--source', 'trino']),
      'source trino needs the server: --trino-server https://trino.example.com (or TRINO_SERVER)',
    );
    assert.equal(
      usage(['rb.md', '--source', 'trino', '--trino-server', 'https://t.example']),
      'source trino needs the table: --trino-table catalog.schema.cloudtrail_logs (or TRINO_TABLE)',
    );
    assert.match(
      usage(['rb.md', '--source', 'trino', '--trino-server', 'http://10.1.2.3:8080', '--trino-table', TABLE]),
      /^--trino-server http:\/\/10\.1\.2\.3:8080: use https/,
    );
    assert.match(
      usage(['rb.md', '--source', 'trino', '--trino-server', 'https://t.example', '--trino-table', 'x;y']),
      /^--trino-table x;y: write it as catalog\.schema\.table/,
    );
    assert.equal(
      usage(['rb.md', '--source', 'trino', '--trino-server', 'https://t.example', '--trino-table', TABLE], {
        TRINO_PASSWORD: 'p',
        TRINO_ACCESS_TOKEN: 't',
      }),
      'choose one: TRINO_PASSWORD or TRINO_ACCESS_TOKEN, not both',
    );
  });
});
