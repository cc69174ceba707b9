// Response actions from the CLI: never part of a run, refused unless named with --cell and
// allowed with --allow-actions, confirmed on a terminal (or with --yes), and then run through
// /bin/sh with the cells' values as single quoted words. The fixture's actions only print, so
// running them here is harmless.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { stratusDir } from '../support/datasets';
import { tempDir } from '../support/tempDir';
import { confirmAction } from '../../src/cli/confirmAction';

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
  assert.match(
    stderr,
    /greet \(line 23\) is a response action: it runs a shell command that can change your account, so it runs only with --allow-actions/,
  );
});

test('--allow-actions without an action, or with more than one --cell, or with --format, is refused', () => {
  const alone = run('--allow-actions');
  assert.equal(alone.status, 2);
  assert.match(
    alone.stderr,
    /--allow-actions goes with --cell naming a response action \(actions: greet, empty, several, fails, profile\)/,
  );
  const withCell = run('--cell', 'one', '--allow-actions');
  assert.equal(withCell.status, 2);
  const two = run('--cell', 'greet', '--cell', 'one', '--allow-actions', '--yes');
  assert.equal(two.status, 2);
  assert.match(two.stderr, /run one response action at a time/);
  const json = run('--cell', 'greet', '--allow-actions', '--yes', '--format', 'json');
  assert.equal(json.status, 2);
  assert.match(json.stderr, /--format and --out do not apply to response action greet/);
});

test('an allowed action runs its cells first, shows the command, and gets each value as one word', () => {
  const { status, stdout, stderr } = run('--cell', 'greet', '--allow-actions', '--yes');
  assert.equal(status, 0, stderr);
  // The parameter's `;` and quote stayed inside one argument: nothing else ran.
  assert.equal(stdout, "it's me; echo INJECTED\nStopLogging\n");
  assert.match(stderr, /✓ one \(line 9\): 1 row/);
  assert.doesNotMatch(stderr, /many|none/);
  assert.ok(stderr.includes(`running: printf '%s\\n' 'it'\\''s me; echo INJECTED' StopLogging\n`), stderr);
});

test('a hostile --param stays one argument', () => {
  const value = '$(echo PWNED) `echo PWNED` && echo PWNED | cat; ~ *';
  const { status, stdout, stderr } = run('--cell', 'greet', '--allow-actions', '--yes', '--param', `who=${value}`, '--quiet');
  assert.equal(status, 0, stderr);
  assert.equal(stdout, `${value}\nStopLogging\n`);
  assert.match(stderr, /^running: /);
});

test('no value, or several, stops the action with a message naming the cell', () => {
  const none = run('--cell', 'empty', '--allow-actions', '--yes');
  assert.equal(none.status, 2);
  assert.equal(none.stdout, '');
  assert.match(none.stderr, /action empty was not run: .*cell none returned no eventName: nothing to act on/);
  assert.doesNotMatch(none.stderr, /running:/);

  const several = run('--cell', 'several', '--allow-actions', '--yes');
  assert.equal(several.status, 2);
  assert.match(several.stderr, /cell many returned 3 different eventName values \("[^"]+", "[^"]+", "[^"]+"\), but an action acts on one/);
  assert.doesNotMatch(several.stderr, /running:/);
});

test("the action's failure is exit status 2 with a message", () => {
  const { status, stderr } = run('--cell', 'fails', '--allow-actions', '--yes');
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
    [
      'run',
      RUNBOOK,
      '--source',
      'lookup',
      '--profile',
      'responder',
      '--region',
      'us-east-1',
      '--endpoint',
      'http://127.0.0.1:9',
      '--cell',
      'profile',
      '--allow-actions',
      '--yes',
    ],
    {
      HOME: home,
      AWS_CONFIG_FILE: config,
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
      AWS_PROFILE: '',
      AWS_EC2_METADATA_DISABLED: 'true',
    },
  );
  assert.equal(status, 0, stderr);
  assert.equal(stdout, 'profile=responder\n');
});

test('lint and run report an action that quotes its reference', () => {
  const lint = trailbook(['lint', 'test/fixtures/cli/bad-action.md']);
  assert.equal(lint.status, 2);
  assert.match(
    lint.stdout,
    /bad-action\.md:12:\d+: error: write \{\{user\}\} as its own word; it is quoted for the shell: remove the quotes around it/,
  );
  const ran = trailbook(['run', 'test/fixtures/cli/bad-action.md', '--logs', logs]);
  assert.equal(ran.status, 2);
  assert.match(ran.stderr, /nothing was run/);
});

test('without a terminal, --allow-actions alone refuses before any cell runs, and says to add --yes', () => {
  const { status, stdout, stderr } = run('--cell', 'greet', '--allow-actions');
  assert.equal(status, 2);
  assert.equal(stdout, '');
  assert.match(
    stderr,
    /response action greet \(line 23\) asks for confirmation of its final command, and standard input is not a terminal: add --yes to run it without asking/,
  );
  assert.doesNotMatch(stderr, /running:|✓ one/);
  const yesAlone = run('--cell', 'one', '--yes');
  assert.equal(yesAlone.status, 2);
  assert.match(yesAlone.stderr, /--yes goes with --allow-actions/);
});

test('lint names every refused position with its line; run refuses the runbook', () => {
  const lint = trailbook(['lint', 'test/fixtures/cli/hostile-actions.md']);
  assert.equal(lint.status, 2);
  const lines = lint.stdout.split('\n').filter((l) => l.includes(': error: '));
  assert.deepEqual(
    lines.map((l) =>
      l.replace(/^.*hostile-actions\.md:(\d+):\d+: error: (\{\{[^}]+\}\}) cannot be replaced here: (\S+ \S+).*$/, '$1 $2 $3'),
    ),
    ['12 {{c.userAgent}} timeout runs', '16 {{agent}} sh reads', '20 {{c.userName}} it is', "24 {{c.userAgent}} its command's"],
  );
  const ran = trailbook(['run', 'test/fixtures/cli/hostile-actions.md', '--logs', logs, '--cell', 'wrapper', '--allow-actions', '--yes']);
  assert.equal(ran.status, 2);
  assert.doesNotMatch(ran.stderr, /running:/);
});

/**
 * Runs trailbook on a pseudo-terminal (python3's pty module), answers the confirmation with
 * `answer`, and returns what the terminal showed and the exit status.
 */
function onTerminal(args: string[], answer: string): { status: number; screen: string } {
  const driver = `
import json, os, pty, select, sys, time
argv, answer = json.loads(sys.argv[1]), sys.argv[2]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
screen, answered, deadline = b'', False, time.time() + 180
while time.time() < deadline:
    ready, _, _ = select.select([fd], [], [], 1)
    if ready:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        screen += chunk
    if not answered and b'[y/N]' in screen:
        os.write(fd, answer.encode() + b'\\n')
        answered = True
_, status = os.waitpid(pid, 0)
sys.stdout.write(screen.decode('utf-8', 'replace'))
sys.exit(os.waitstatus_to_exitcode(status))
`;
  const argv = [process.execPath, '--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args];
  const result = spawnSync('python3', ['-c', driver, JSON.stringify(argv), answer], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, TRAILBOOK_CACHE_DIR: cache },
  });
  return { status: result.status ?? -1, screen: result.stdout + result.stderr };
}

test('on a terminal, the final command is printed and runs only after a yes', () => {
  const base = ['run', RUNBOOK, '--logs', logs, '--cell', 'greet', '--allow-actions'];
  const yes = onTerminal(base, 'y');
  assert.equal(yes.status, 0, yes.screen);
  assert.ok(
    yes.screen.includes(
      `action greet (line 23) will run this command through /bin/sh:\r\n\r\n  printf '%s\\n' 'it'\\''s me; echo INJECTED' StopLogging\r\n`,
    ),
    yes.screen,
  );
  assert.match(yes.screen, /Run action greet with this command\? \[y\/N\] /);
  assert.match(yes.screen, /^it's me; echo INJECTED\r?$/m);
  assert.match(yes.screen, /^StopLogging\r?$/m);

  const no = onTerminal(base, 'n');
  assert.equal(no.status, 2, no.screen);
  assert.match(no.screen, /action greet was not run: not confirmed/);
  assert.doesNotMatch(no.screen, /^StopLogging\r?$/m);
});

test('confirmAction: only y or yes confirms; anything else and the end of input refuse', async () => {
  const ask = async (typed: string | undefined) => {
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = '';
    output.on('data', (chunk: Buffer) => (shown += chunk.toString()));
    const answer = confirmAction('act', input, output);
    if (typed === undefined) input.end();
    else input.write(typed);
    return { confirmed: await answer, shown };
  };
  for (const typed of ['y\n', 'Y\n', 'yes\n', ' YES \n']) assert.equal((await ask(typed)).confirmed, true, typed);
  for (const typed of ['\n', 'n\n', 'no\n', 'yy\n', 'y; rm -rf ~\n', undefined])
    assert.equal((await ask(typed)).confirmed, false, String(typed));
  assert.equal((await ask('n\n')).shown, 'Run action act with this command? [y/N] ');
});
