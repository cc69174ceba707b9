// Response actions from the CLI: never part of a run, refused unless named with --cell and
// allowed with --allow-actions, and then run through /bin/sh with the cells' values as single
// quoted words. The fixture's actions only print, so running them here is harmless.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { stratusDir } from '../support/datasets';
import { tempDir } from '../support/tempDir';

const ROOT = resolve(__dirname, '../..');
const logs = stratusDir();
const cache = tempDir();
const RUNBOOK = 'test/fixtures/cli/actions.md';

function trailbook(args: string[], env: NodeJS.ProcessEnv = {}): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, TRAILBOOK_CACHE_DIR: cache, ...env },
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
const run = (...args: string[]) => trailbook(['run', RUNBOOK, '--logs', logs, ...args]);

test('a normal run runs the cells only, and says in one line that actions were not run', () => {
  const { status, stdout, stderr } = run();
  assert.equal(status, 0, stderr);
  assert.match(stdout, /── one ──/);
  assert.doesNotMatch(stdout + stderr, /INJECTED|running:|profile=/);
  assert.match(stderr, /^5 response actions not run \(run one with --cell ID --allow-actions\)$/m);

  const quiet = run('--quiet');
  assert.equal(quiet.status, 0, quiet.stderr);
  assert.equal(quiet.stderr, '');
});

test('naming an action without --allow-actions is a usage error that explains the flag', () => {
  const { status, stdout, stderr } = run('--cell', 'greet');
  assert.equal(status, 2);
  assert.equal(stdout, '');
  assert.match(stderr, /greet \(line 23\) is a response action: it runs a shell command that can change your account, so it runs only with --allow-actions/);
});

test('--allow-actions without an action, or with more than one --cell, or with --format, is refused', () => {
  const alone = run('--allow-actions');
  assert.equal(alone.status, 2);
  assert.match(alone.stderr, /--allow-actions goes with --cell naming a response action \(actions: greet, empty, several, fails, profile\)/);
  const withCell = run('--cell', 'one', '--allow-actions');
  assert.equal(withCell.status, 2);
  const two = run('--cell', 'greet', '--cell', 'one', '--allow-actions');
  assert.equal(two.status, 2);
  assert.match(two.stderr, /run one response action at a time/);
  const json = run('--cell', 'greet', '--allow-actions', '--format', 'json');
  assert.equal(json.status, 2);
  assert.match(json.stderr, /--format and --out do not apply to response action greet/);
});

test('an allowed action runs its cells first, shows the command, and gets each value as one word', () => {
  const { status, stdout, stderr } = run('--cell', 'greet', '--allow-actions');
  assert.equal(status, 0, stderr);
  // The parameter's `;` and quote stayed inside one argument: nothing else ran.
  assert.equal(stdout, "it's me; echo INJECTED\nStopLogging\n");
  assert.match(stderr, /✓ one \(line 9\): 1 row/);
  assert.doesNotMatch(stderr, /many|none/);
  assert.ok(stderr.includes(`running: printf '%s\\n' 'it'\\''s me; echo INJECTED' StopLogging\n`), stderr);
});

test('a hostile --param stays one argument', () => {
  const value = '$(echo PWNED) `echo PWNED` && echo PWNED | cat; ~ *';
  const { status, stdout, stderr } = run('--cell', 'greet', '--allow-actions', '--param', `who=${value}`, '--quiet');
  assert.equal(status, 0, stderr);
  assert.equal(stdout, `${value}\nStopLogging\n`);
  assert.match(stderr, /^running: /);
});

test('no value, or several, stops the action with a message naming the cell', () => {
  const none = run('--cell', 'empty', '--allow-actions');
  assert.equal(none.status, 2);
  assert.equal(none.stdout, '');
  assert.match(none.stderr, /action empty was not run: .*cell none returned no eventName: nothing to act on/);
  assert.doesNotMatch(none.stderr, /running:/);

  const several = run('--cell', 'several', '--allow-actions');
  assert.equal(several.status, 2);
  assert.match(several.stderr, /cell many returned 3 different eventName values \("[^"]+", "[^"]+", "[^"]+"\), but an action acts on one/);
  assert.doesNotMatch(several.stderr, /running:/);
});

test("the action's failure is exit status 2 with a message", () => {
  const { status, stderr } = run('--cell', 'fails', '--allow-actions');
  assert.equal(status, 2);
  assert.match(stderr, /running: exit 3\n/);
  assert.match(stderr, /action fails failed: its command exited with status 3/);
});

test('the action runs with --profile as AWS_PROFILE', () => {
  // A profile with static keys and an endpoint nobody answers on: the action uses no cell,
  // so nothing is fetched, and the command sees the profile.
  const home = tempDir();
  const config = join(home, 'config');
  writeFileSync(config, '[profile responder]\naws_access_key_id = AKIDRESPONDER\naws_secret_access_key = secret\n');
  const { status, stdout, stderr } = trailbook(
    ['run', RUNBOOK, '--source', 'lookup', '--profile', 'responder', '--region', 'us-east-1', '--endpoint', 'http://127.0.0.1:9', '--cell', 'profile', '--allow-actions'],
    { HOME: home, AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'), AWS_PROFILE: '', AWS_EC2_METADATA_DISABLED: 'true' },
  );
  assert.equal(status, 0, stderr);
  assert.equal(stdout, 'profile=responder\n');
});

test('lint and run report an action that quotes its reference', () => {
  const lint = trailbook(['lint', 'test/fixtures/cli/bad-action.md']);
  assert.equal(lint.status, 2);
  assert.match(lint.stdout, /bad-action\.md:12:\d+: error: write \{\{user\}\} as its own word; it is quoted for the shell: remove the quotes around it/);
  const ran = trailbook(['run', 'test/fixtures/cli/bad-action.md', '--logs', logs]);
  assert.equal(ran.status, 2);
  assert.match(ran.stderr, /nothing was run/);
});
