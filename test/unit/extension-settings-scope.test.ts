// A workspace's settings cannot choose where credentials go or which files are read: the
// manifest declares those settings machine-scoped and restricted in untrusted folders, the
// extension's reader takes only the user's value, and a workspace's attempt is found (to
// be told) however its settings file is written.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { keysAt, setByWorkspace, USER_ONLY_SETTINGS, userOnlySettingsIn, userValue, validRegions } from '../../src/extension/settingsScope';

interface Manifest {
  capabilities?: { untrustedWorkspaces?: { supported: boolean | 'limited'; description?: string; restrictedConfigurations?: string[] } };
  contributes: { configuration: { properties: Record<string, { scope?: string }> }; commands?: { command: string; title: string }[] };
}
const manifest = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as Manifest;

describe('the manifest', () => {
  test("endpoint, profile, source, logsPath and Trino's server, table and user are machine-scoped: VS Code drops a workspace's or a folder's value", () => {
    const properties = manifest.contributes.configuration.properties;
    assert.deepEqual([...USER_ONLY_SETTINGS].sort(), [
      'athena.accounts',
      'athena.catalog',
      'athena.database',
      'athena.endpoint',
      'athena.maxScanBytes',
      'athena.outputLocation',
      'athena.pricePerTb',
      'athena.region',
      'athena.regions',
      'athena.table',
      'athena.workgroup',
      'endpoint',
      'logsPath',
      'profile',
      'profiles',
      'source',
      'ssoSession',
      'trino.server',
      'trino.table',
      'trino.user',
    ]);
    for (const name of USER_ONLY_SETTINGS) assert.equal(properties[`trailbook.${name}`]?.scope, 'machine', `trailbook.${name}`);
  });

  test('every setting the extension declares is either user-only or harmless from a repository', () => {
    const windowScoped = Object.entries(manifest.contributes.configuration.properties)
      .filter(([, schema]) => schema.scope === undefined || schema.scope === 'window' || schema.scope === 'resource')
      .map(([name]) => name)
      .sort();
    // Regions only ever name AWS's own regional endpoints (checked below); the window and the row limit choose no destination.
    assert.deepEqual(windowScoped, ['trailbook.regions', 'trailbook.rowLimit', 'trailbook.window']);
  });

  test('no Trino password or token is a setting: it lives in the OS keychain, behind a command', () => {
    const names = Object.keys(manifest.contributes.configuration.properties);
    assert.deepEqual(
      names.filter((name) => /password|token|secret|credential/i.test(name)),
      [],
    );
    assert.ok(
      manifest.contributes.commands?.some(
        (c) => c.command === 'trailbook.setTrinoCredential' && c.title === 'Set the Trino password or token',
      ),
    );
  });

  test("Restricted Mode is limited support, explained, and ignores a workspace's value of every setting that chooses a destination", () => {
    const untrusted = manifest.capabilities?.untrustedWorkspaces;
    assert.equal(untrusted?.supported, 'limited');
    assert.match(untrusted?.description ?? '', /no query runs/);
    for (const name of [...USER_ONLY_SETTINGS, 'regions'])
      assert.ok(untrusted?.restrictedConfigurations?.includes(`trailbook.${name}`), `trailbook.${name}`);
  });
});

describe("userValue: the extension's own reader", () => {
  test("a workspace's or a folder's value never counts, even when VS Code passes it on", () => {
    const inspected = {
      defaultValue: '',
      globalValue: undefined,
      workspaceValue: 'http://10.0.0.1',
      workspaceFolderValue: 'http://10.0.0.2',
    };
    assert.equal(userValue(inspected, 'fallback'), '');
    assert.equal(setByWorkspace(inspected), true);
  });
  test("the user's value wins over the default; the fallback when nothing is declared", () => {
    assert.equal(userValue({ defaultValue: 'local', globalValue: 'lookup', workspaceValue: 'local' }, 'x'), 'lookup');
    assert.equal(userValue(undefined, 'x'), 'x');
    assert.equal(setByWorkspace({ defaultValue: 'local', globalValue: 'lookup' }), false);
  });
});

describe('validRegions', () => {
  test('only AWS region names: a region becomes part of a host name', () => {
    assert.deepEqual(validRegions(['us-east-1', 'eu-central-2', 'us-gov-west-1', 'evil.example.com#', 'us-east-1.attacker.net', '', 7]), {
      regions: ['us-east-1', 'eu-central-2', 'us-gov-west-1'],
      rejected: ['evil.example.com#', 'us-east-1.attacker.net', '', '7'],
    });
    assert.deepEqual(validRegions('us-east-1'), { regions: [], rejected: [] });
  });
});

describe('userOnlySettingsIn: what a workspace tried to set', () => {
  test("a folder's .vscode/settings.json, with comments, trailing commas and escapes", () => {
    const text = `// "trailbook.profile": "commented out"
{
  /* "trailbook.source": "lookup" */
  "editor.tabSize": 2,
  "trailbook.\\u0065ndpoint": "http://203.0.113.9//x", // escaped key, slashes in a value
  "quote": "\\"trailbook.logsPath\\": 1",
  "nested": { "trailbook.source": "lookup" },
  "list": ["trailbook.logsPath", { "trailbook.profile": "x" }],
  "trailbook.profile": "prod",
  "trailbook.window": "7d",
  "trailbook.trino.server": "http://203.0.113.9:8080",
  "trailbook.trino.user": "admin",
}`;
    assert.deepEqual(userOnlySettingsIn(text), ['profile', 'endpoint', 'trino.server', 'trino.user']);
  });

  test('a .code-workspace file: its "settings" object, not its folders', () => {
    const text =
      '{ "folders": [{ "path": "." , "trailbook.source": "lookup" }], "settings": { "trailbook.logsPath": "/", "trailbook.source": "lookup" } }';
    assert.deepEqual(userOnlySettingsIn(text, ['settings']), ['source', 'logsPath']);
    assert.deepEqual(userOnlySettingsIn(text), []);
    assert.deepEqual(keysAt(text, []), ['folders', 'settings']);
  });

  test('an empty or broken file names nothing; a truncated one names what it got to', () => {
    for (const text of ['', '{', 'not json', '[]', '["trailbook.endpoint"]']) assert.deepEqual(userOnlySettingsIn(text), [], text);
    assert.deepEqual(userOnlySettingsIn('{ "trailbook.endpoint": "http://203.0.113.9", "trailbook.prof'), ['endpoint']);
  });
});
