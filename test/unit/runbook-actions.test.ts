// Response actions (```sh blocks): how they are parsed, which references are refused, and,
// above all, that no value can change a command's structure. The substituted commands really
// run through /bin/sh (and bash) with a program that prints its argv, and the argv must be
// exactly the words the author wrote, whatever the values hold.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Cancelled } from '../../src/protocol/cancelled';
import { parseRunbook, shellQuote, substituteAction, type ActionInputs, type Runbook, type RunbookProblem } from '../../src/runbook';
import { tempDir } from '../support/tempDir';
import { itemAt } from '../support/itemAt';

const summary = (problems: readonly RunbookProblem[]) => problems.map((p) => `${p.line} ${p.severity} ${p.code}`);

// A program that prints the arguments it received as JSON: the shell's word splitting made visible.
const bin = tempDir('trailbook-argv-');
const printargv = join(bin, 'printargv');
writeFileSync(printargv, `#!${process.execPath}\nprocess.stdout.write(JSON.stringify(process.argv.slice(2)));\n`);
chmodSync(printargv, 0o755);
// Where a value that escaped its quotes would leave a trace.
const sandbox = tempDir('trailbook-sandbox-');
const SHELLS = ['/bin/sh', ...['/bin/bash', '/usr/bin/bash'].filter(existsSync).slice(0, 1)];

function runIn(shell: string, command: string): string[] {
  const result = spawnSync(shell, ['-c', command], {
    cwd: sandbox,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: sandbox },
  });
  assert.equal(result.status, 0, `${shell} -c ${command}\n${result.stderr}`);
  return JSON.parse(result.stdout) as string[];
}

const PARAM_RUNBOOK = `---
params:
  x: { default: "" }
  ids: { type: list, default: "a,b" }
---

\`\`\`sh id=print
printargv first {{x}} --name={{x}} last
\`\`\`
`;

const noCells: ActionInputs['cellResults'] = () => undefined;

const HOSTILE = [
  "'",
  '"',
  "it's",
  `"'"'`,
  "'\\''",
  '$(touch pwned-dollar)',
  '`touch pwned-backtick`',
  '; touch pwned-semicolon',
  '&& touch pwned-and',
  '| touch pwned-pipe',
  '|| touch pwned-or',
  '& touch pwned-background',
  '> pwned-redirect',
  '<',
  '2',
  'a\nb',
  'line\ntouch pwned-newline\n',
  '\n',
  '*',
  '~',
  '~/x',
  'ünïcødé ☃ 日本 🙂',
  '',
  ' ',
  ' leading and trailing ',
  'a b  c',
  '$HOME',
  '${HOME}',
  '\\',
  '\\n',
  '!',
  '!!',
  '#not a comment',
  '{a,b}',
  '[abc]',
  '?',
  '=x',
  '%1',
  'x=1',
  '\u00a0non-breaking',
  'arn:aws:iam::123456789012:user/alice',
  // the shapes of issue 10: a value that is a program, a command, or quoting
  '/usr/bin/id',
  'id',
  ';id',
  '$(id)',
  '`id`',
  "'$(id)'",
  '"; id; "',
  'a\nid\n',
  '\nid',
];

/** Values a program would read as options: refused as a whole word, fine after --flag= or --. */
const DASHED = ['-n', '-rf', '--help', '-', '--', '-e', '--exec=id', '-\nid'];

test('hostile parameter values each arrive as exactly one argument, through sh and bash', async () => {
  const runbook = parseRunbook(PARAM_RUNBOOK, 'p.md');
  assert.deepEqual(runbook.problems, []);
  for (const value of HOSTILE) {
    const { command, substitutions } = await substituteAction(itemAt(runbook.actions, 0), runbook, {
      params: { x: value },
      cellResults: noCells,
    });
    assert.deepEqual(
      substitutions.map((s) => [s.reference.text, s.value]),
      [
        ['{{x}}', value],
        ['{{x}}', value],
      ],
    );
    for (const shell of SHELLS) {
      assert.deepEqual(
        runIn(shell, command),
        ['first', value, `--name=${value}`, 'last'],
        `${shell}: ${JSON.stringify(value)} became ${command}`,
      );
    }
  }
  assert.deepEqual(readdirSync(sandbox), [], 'a value ran a command of its own');
});

test('hostile cell values (several references, one command) keep the structure too', async () => {
  const runbook = parseRunbook(
    [
      '```cloudtrail id=found',
      'SELECT 1',
      '```',
      '```sh',
      'printargv {{found.a}} {{ found.b }} && printargv --key={{found.a}};printargv {{found.b}}',
      '```',
    ].join('\n'),
    'c.md',
  );
  assert.deepEqual(runbook.problems, []);
  for (let i = 0; i < HOSTILE.length; i += 1) {
    const a = itemAt(HOSTILE, i);
    const b = itemAt(HOSTILE, (i + 7) % HOSTILE.length);
    const { command } = await substituteAction(itemAt(runbook.actions, 0), runbook, {
      params: {},
      cellResults: (id) =>
        id === 'found'
          ? {
              columns: ['a', 'b'],
              rows: [
                [a, b],
                [a, null],
              ],
            }
          : undefined,
    });
    const result = spawnSync('/bin/sh', ['-c', command], {
      cwd: sandbox,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` },
    });
    assert.equal(result.status, 0, result.stderr);
    // Three programs ran, each with the intended words, and nothing else.
    assert.equal(result.stdout, JSON.stringify([a, b]) + JSON.stringify([`--key=${a}`]) + JSON.stringify([b]), command);
  }
  assert.deepEqual(readdirSync(sandbox), []);
});

test('numbers, bigints and booleans become their text; lists and structures are refused', async () => {
  const runbook = parseRunbook('```cloudtrail id=c\nSELECT 1\n```\n\n```sh\nprintargv {{c.v}}\n```\n', 'n.md');
  const run = (v: unknown) =>
    substituteAction(itemAt(runbook.actions, 0), runbook, { params: {}, cellResults: () => ({ columns: ['v'], rows: [[v]] }) });
  assert.equal((await run(443)).command, 'printargv 443');
  assert.equal((await run(12345678901234567890n)).command, 'printargv 12345678901234567890');
  assert.equal((await run(true)).command, 'printargv true');
  await assert.rejects(run(['a']), /holds a list; select one field of it/);
  await assert.rejects(run({ a: 1 }), /holds a structure/);
});

test('shellQuote: plain words stay, everything else is single-quoted, NUL is refused', () => {
  assert.equal(shellQuote('AKIAIOSFODNN7EXAMPLE'), 'AKIAIOSFODNN7EXAMPLE');
  assert.equal(shellQuote('arn:aws:iam::1:user/a.b-c_d@e+f,g%h'), 'arn:aws:iam::1:user/a.b-c_d@e+f,g%h');
  assert.equal(shellQuote(''), "''");
  assert.equal(shellQuote("it's"), `'it'\\''s'`);
  assert.equal(shellQuote('a\nb'), "'a\nb'");
  assert.equal(shellQuote('~'), "'~'");
  assert.equal(shellQuote('=x'), "'=x'");
  assert.throws(() => shellQuote('a\0b'), /NUL/);
});

test('values with control, bidirectional, zero-width or line-separator characters are refused: a terminal or a reader would misread them', async () => {
  const runbook = parseRunbook(PARAM_RUNBOOK, 'p.md');
  const invisible = ['\u2028', '\u2029', 'a\u200bb', '\u200c', '\u200d', '\u2060', '\ufeffid', '\u180e', '\u2064'];
  for (const value of ['a\rb', 'a\tb', '\u0003', '\u0015rm -rf ~', '\u001b[2J', 'a\u202eb', '\u009b', '\u007f', 'x\0y', ...invisible]) {
    await assert.rejects(
      substituteAction(itemAt(runbook.actions, 0), runbook, { params: { x: value }, cellResults: noCells }),
      (error: Error) => {
        assert.match(
          error.message,
          /^p\.md:8: \{\{x\}\}: the value "[^"]*" holds the control, invisible or line-separator character U\+[0-9A-F]{4}/,
          JSON.stringify(value),
        );
        // The message shows what the value hides, escaped.
        assert.doesNotMatch(error.message, /[\u2028\u2029\u200b-\u200f\u2060-\u2064\ufeff\u180e\u202e]/u);
        return true;
      },
    );
  }
});

// ── the one-value rule ──

const KEYS = [
  '---',
  'params:',
  '  user: alice',
  '---',
  '',
  '## Detect',
  '',
  '```cloudtrail id=new-keys expect=empty',
  'SELECT 1',
  '```',
  '',
  '## Respond',
  '',
  '```sh id=deactivate-key',
  'aws iam update-access-key --user-name {{new-keys.userName}} --access-key-id {{new-keys.newKey}} --status Inactive',
  '```',
].join('\n');

function keys(rows: unknown[][]): ActionInputs['cellResults'] {
  return (id) => (id === 'new-keys' ? { columns: ['userName', 'newKey'], rows } : undefined);
}

test('one value: repeated values and nulls do not count as several', async () => {
  const runbook = parseRunbook(KEYS, 'k.md');
  const { command, substitutions } = await substituteAction(itemAt(runbook.actions, 0), runbook, {
    params: {},
    cellResults: keys([
      ['alice', 'AKIA1'],
      ['alice', null],
      ['alice', 'AKIA1'],
    ]),
  });
  assert.equal(command, 'aws iam update-access-key --user-name alice --access-key-id AKIA1 --status Inactive');
  assert.deepEqual(
    substitutions.map((s) => [s.reference.text, s.value, s.reference.line]),
    [
      ['{{new-keys.userName}}', 'alice', 14],
      ['{{new-keys.newKey}}', 'AKIA1', 14],
    ],
  );
});

test('no value is an error naming the cell and column', async () => {
  const runbook = parseRunbook(KEYS, 'k.md');
  await assert.rejects(substituteAction(itemAt(runbook.actions, 0), runbook, { params: {}, cellResults: keys([]) }), (error: Error) => {
    assert.match(error.message, /^k\.md:15: \{\{new-keys\.userName\}\}: cell new-keys returned no userName: nothing to act on$/);
    return true;
  });
});

test('several values: an error that counts them, unless a choose hook picks one', async () => {
  const runbook = parseRunbook(KEYS, 'k.md');
  const rows = [
    ['alice', 'AKIA1'],
    ['alice', 'AKIA2'],
    ['alice', 'AKIA3'],
  ];
  await assert.rejects(
    substituteAction(itemAt(runbook.actions, 0), runbook, { params: {}, cellResults: keys(rows) }),
    /cell new-keys returned 3 different newKey values \("AKIA1", "AKIA2", "AKIA3"\), but an action acts on one/,
  );
  const asked: [string, readonly string[]][] = [];
  const { command } = await substituteAction(itemAt(runbook.actions, 0), runbook, {
    params: {},
    cellResults: keys(rows),
    choose: async (reference, values) => {
      asked.push([reference.text, values]);
      return values[1];
    },
  });
  assert.deepEqual(asked, [['{{new-keys.newKey}}', ['AKIA1', 'AKIA2', 'AKIA3']]]);
  assert.match(command, /--access-key-id AKIA2 /);

  await assert.rejects(
    substituteAction(itemAt(runbook.actions, 0), runbook, { params: {}, cellResults: keys(rows), choose: () => undefined }),
    Cancelled,
  );
  await assert.rejects(
    substituteAction(itemAt(runbook.actions, 0), runbook, { params: {}, cellResults: keys(rows), choose: () => 'AKIA1; rm -rf ~' }),
    /the chosen value "AKIA1; rm -rf ~" is not one of the 3 values/,
  );
});

test('a list parameter follows the one-value rule; a missing cell result or column is an error', async () => {
  const runbook = parseRunbook(PARAM_RUNBOOK.replace('printargv first {{x}} --name={{x}} last', 'printargv {{ids}}'), 'p.md');
  await assert.rejects(
    substituteAction(itemAt(runbook.actions, 0), runbook, { params: {}, cellResults: noCells }),
    /parameter ids has 2 values/,
  );
  assert.equal(
    (await substituteAction(itemAt(runbook.actions, 0), runbook, { params: { ids: 'z' }, cellResults: noCells })).command,
    'printargv z',
  );
  await assert.rejects(
    substituteAction(itemAt(runbook.actions, 0), runbook, { params: { ids: ' , ' }, cellResults: noCells }),
    /parameter ids has no value: nothing to act on/,
  );

  const keysRunbook = parseRunbook(KEYS, 'k.md');
  await assert.rejects(
    substituteAction(itemAt(keysRunbook.actions, 0), keysRunbook, { params: {}, cellResults: noCells }),
    /cell new-keys has not run yet/,
  );
  await assert.rejects(
    substituteAction(itemAt(keysRunbook.actions, 0), keysRunbook, { params: {}, cellResults: () => ({ columns: ['other'], rows: [] }) }),
    /cell new-keys has no column userName; its columns are other/,
  );
});

test('an action with a problem in it does not substitute at all', async () => {
  const runbook = parseRunbook(PARAM_RUNBOOK.replace('--name={{x}}', '"{{x}}"'), 'p.md');
  await assert.rejects(
    substituteAction(itemAt(runbook.actions, 0), runbook, { params: { x: 'a' }, cellResults: noCells }),
    /p\.md:8: action print cannot run: write \{\{x\}\} as its own word/,
  );
});

// ── parsing ──

test('sh, bash and shell blocks are actions with ids, lines, headings and references', () => {
  const text = [
    '# T', //                                0
    '```cloudtrail id=c', //                  1
    'SELECT 1 AS k', //                       2
    '```', //                                 3
    '## Respond', //                          4
    '```sh id=first', //                      5
    '# say what it does {{not.replaced}}', // 6
    'aws iam x --id {{c.k}} \\', //           7
    '  --name={{c.k}}', //                    8
    '```', //                                 9
    '```bash', //                            10
    'echo hi', //                            11
    '```', //                                12
    '```shell', //                           13
    'echo {{ c.k }}', //                     14
    '```', //                                15
    '```console', //                         16
    '$ not an action {{x}}', //             17
    '```', //                                18
  ].join('\n');
  const rb = parseRunbook(text, 'a.md');
  assert.deepEqual(rb.problems, []);
  assert.equal(rb.cells.length, 1);
  assert.deepEqual(
    rb.actions.map((a) => [a.id, a.index, a.info, a.fenceLine, a.commandStartLine, a.endLine, a.heading]),
    [
      ['first', 0, 'sh id=first', 5, 6, 9, 'Respond'],
      ['action-2', 1, 'bash', 10, 11, 12, 'Respond'],
      ['action-3', 2, 'shell', 13, 14, 15, 'Respond'],
    ],
  );
  assert.deepEqual(itemAt(rb.actions, 0).attributes, { id: 'first' });
  assert.equal(itemAt(rb.actions, 0).command, '# say what it does {{not.replaced}}\naws iam x --id {{c.k}} \\\n  --name={{c.k}}');
  assert.deepEqual(
    itemAt(rb.actions, 0).references.map((r) => [
      r.kind,
      r.text,
      r.line,
      r.textColumn,
      itemAt(rb.actions, 0).command.slice(r.start, r.end),
    ]),
    [
      ['cell', '{{c.k}}', 7, 15, '{{c.k}}'],
      ['cell', '{{c.k}}', 8, 9, '{{c.k}}'],
    ],
  );
  assert.deepEqual(
    itemAt(rb.actions, 2).references.map((r) => r.text),
    ['{{ c.k }}'],
  );
});

test('a reference that is not a whole word is an error on its line', () => {
  const cases: [string, RegExp][] = [
    ["echo '{{p}}'", /remove the quotes around it/],
    ['echo "{{p}}"', /remove the quotes around it/],
    ['echo "x $(echo {{p}})"', /remove the quotes/],
    ["echo $'{{p}}'", /remove the quotes/],
    ['echo `echo {{p}}`', /inside `…`/],
    ['echo $(( {{p}} + 1 ))', /inside \$\(\( … \)\)/],
    ['(( {{p}} > 1 )) && echo big', /where bash evaluates a value as arithmetic/],
    ['let n={{p}}+1', /or let/],
    ['[[ {{p}} -eq 1 ]] && echo one', /inside \[\[ … \]\]/],
    ['if [[ -n x && {{p}} -eq 1 ]]; then :; fi', /inside \[\[/],
    ['echo x{{p}}', /glued to "x" before it/],
    ['echo ${{p}}', /glued to "\$" before it/],
    ['echo \\{{p}}', /glued to "\\\\" before it/],
    ['echo {{p}}x', /glued to "x" after it/],
    ['echo {{p}}{{p}}', /glued to "\{" after it/],
    ['echo {{p}}>out', /glued to ">" after it/],
    ['echo --a={{p}}{{p}}', /glued/],
    ['echo =={{p}}', /glued to "=="/],
    ['echo --x="{{p}}"', /remove the quotes/],
  ];
  for (const [command, message] of cases) {
    const rb = parseRunbook(`---\nparams: { p: v }\n---\n\`\`\`sh\n${command}\n\`\`\`\n`, 'w.md');
    assert.deepEqual(
      summary(rb.problems)
        .filter((p) => !p.includes('reference-as-command'))
        .slice(0, 1),
      ['4 error reference-not-a-word'],
      command,
    );
    const found = rb.problems.find((p) => p.code === 'reference-not-a-word')!;
    assert.match(found.message, /^write \{\{p\}\} as its own word; it is quoted for the shell: /);
    assert.match(found.message, message, command);
  }
});

test('whole words, flag= prefixes, operators, groups and compound commands are accepted', () => {
  for (const command of [
    'echo {{p}}',
    'echo --user-name={{p}} Key={{p}} -n={{p}}',
    'echo {{p}};echo {{p}}|cat&&echo {{p}}||true',
    'echo {{p}} > out 2>&1',
    'FOO=literal echo {{p}}',
    '{ echo {{p}}; } && ( echo {{p}} )',
    'while false; do echo {{p}}; done',
    'for i in a b; do echo {{p}}; done',
    'case x in x) echo {{p}};; esac',
    'aws iam update-access-key --user-name {{p}} --status Inactive',
    'kubectl delete pod {{p}}',
    "printf '%s\\n' -- {{p}}",
    'find . -name {{p}} -print',
    'if true; then echo {{p}}; fi',
    'if [ {{p}} -eq 1 ]; then echo let; fi',
    'echo [[ {{p}}',
    'echo a \\\n  {{p}}',
  ]) {
    const rb = parseRunbook(`---\nparams: { p: v }\n---\n\`\`\`sh\n${command}\n\`\`\`\n`, 'w.md');
    assert.deepEqual(rb.problems, [], command);
  }
});

test('a reference where the command name goes is refused: a value must not choose the program', () => {
  for (const command of [
    '{{p}} --version',
    'echo a; {{p}}',
    'echo a | {{p}}',
    'if {{p}}; then :; fi',
    'FOO=1 {{p}}',
    'echo a &&\n{{p}}',
    'sudo {{p}}',
    'xargs {{p}} < list',
    'eval {{p}}',
    'time env {{p}}',
  ]) {
    const rb = parseRunbook(`---\nparams: { p: v }\n---\n\`\`\`sh\n${command}\n\`\`\`\n`, 'w.md');
    assert.deepEqual(
      summary(rb.problems).map((p) => p.replace(/^\d+ /, '')),
      ['error reference-as-command'],
      command,
    );
  }
});

test('references in a heredoc are refused; the code after it is checked again', () => {
  const rb = parseRunbook(
    [
      '---',
      'params: { p: v }',
      '---', //      0-2
      '```sh', //                               3
      "cat <<-'EOF' > out {{p}}", //            4  (a word on the operator line: fine)
      'policy for {{p}}', //                   5
      '\tEOF', //                              6
      'cat <<EOF', //                          7
      '{{p}}', //                              8
      'EOF', //                                9
      'echo {{p}}', //                         10
      '```',
    ].join('\n'),
    'h.md',
  );
  assert.deepEqual(summary(rb.problems), ['5 error reference-not-a-word', '8 error reference-not-a-word']);
  assert.match(itemAt(rb.problems, 0).message, /inside a heredoc/);
});

test('references are checked against params and cells above, like cells; ids share one namespace', () => {
  const rb = parseRunbook(
    [
      '---',
      'params: { user: alice }',
      '---', // 0-2
      '```cloudtrail id=above', //               3
      'SELECT 1', //                             4
      '```', //                                  5
      '```sh id=act', //                         6
      'ls -x {{nobody}} {{missing.col}} {{below.col}} {{above.col}} {{user}} {{act.x}}', // 7
      '```', //                                  8
      '```sh id=above', //                       9  duplicate of a cell
      'echo', //                                10
      '```', //                                 11
      '```cloudtrail id=below', //              12
      'SELECT 1', //                            13
      '```', //                                 14
      '```sh id=act2', //                       15
      'echo', //                                16
      '```', //                                 17
      '```cloudtrail id=act2', //               18  a cell taking an action's id
      'SELECT 1', //                            19
      '```', //                                 20
      '```sh id=bad.id wat=1', //               21
      '```', //                                 22
    ].join('\n'),
    'r.md',
  );
  assert.deepEqual(summary(rb.problems), [
    '7 error unknown-param',
    '7 error unknown-cell',
    '7 error forward-reference',
    '7 error unknown-cell',
    '9 error duplicate-cell-id',
    '18 error duplicate-cell-id',
    '21 warning unknown-attribute',
    '21 error invalid-cell-id',
    '21 error empty-action',
  ]);
  const messages = rb.problems.map((p) => p.message);
  assert.match(itemAt(messages, 1), /\{\{missing\.col\}\} names no cell "missing" \(cells above: above\)/);
  assert.match(itemAt(messages, 2), /which is below this action \(line 13\)/);
  assert.match(itemAt(messages, 3), /names the response action "act", which returns no rows/);
  assert.match(itemAt(messages, 4), /id "above" is already used by the cell on line 4; give this action another id=/);
  assert.match(itemAt(messages, 5), /id "act2" is already used by the action on line 16; give this cell another id=/);
  assert.match(itemAt(messages, 6), /known attributes are id$/);
  // Columns point at the reference in the Markdown line.
  assert.deepEqual(
    rb.problems.slice(0, 4).map((p) => p.column),
    [6, 17, 33, 70],
  );
});

test('an unclosed fence or reference in an action is reported', () => {
  const rb = parseRunbook('```sh\necho {{p\n', 'u.md');
  assert.deepEqual(summary(rb.problems), ['0 error unterminated-fence', '1 error malformed-reference']);
});

test('cells still parse as before: a runbook without sh blocks has no actions', () => {
  const rb: Runbook = parseRunbook('```cloudtrail\nSELECT 1\n```\n', 'x.md');
  assert.deepEqual(rb.actions, []);
});

// ── issue 10, hole 4: where a reference may stand is read from the shell's syntax tree ──

/** Every position where a value would choose a program, be run as code, name a file or set a variable. */
const REFUSED_POSITIONS: [string, string][] = [
  // wrappers: their argument is the program they run
  ['timeout 5 {{p}}', 'reference-as-command'],
  ['sudo -u root {{p}}', 'reference-as-command'],
  ['sudo -u {{p}} id', 'reference-as-command'],
  ['xargs -n1 {{p}}', 'reference-as-command'],
  ['nice {{p}}', 'reference-as-command'],
  ['nohup {{p}}', 'reference-as-command'],
  ['stdbuf -oL {{p}}', 'reference-as-command'],
  ['watch {{p}}', 'reference-as-command'],
  ['chroot / {{p}}', 'reference-as-command'],
  ['setsid {{p}}', 'reference-as-command'],
  ['env {{p}}', 'reference-as-command'],
  ['env A=1 {{p}}', 'reference-as-command'],
  ['/usr/bin/env {{p}}', 'reference-as-command'],
  ['\\sudo {{p}}', 'reference-as-command'],
  ["'sudo' {{p}}", 'reference-as-command'],
  ['exec {{p}}', 'reference-as-command'],
  ['command {{p}}', 'reference-as-command'],
  ['builtin {{p}}', 'reference-as-command'],
  ['time {{p}}', 'reference-as-command'],
  ['doas {{p}}', 'reference-as-command'],
  ['runuser -u nobody {{p}}', 'reference-as-command'],
  ['flock /tmp/lock {{p}}', 'reference-as-command'],
  ['ionice -c3 {{p}}', 'reference-as-command'],
  ['taskset 1 {{p}}', 'reference-as-command'],
  ['parallel echo ::: {{p}}', 'reference-as-command'],
  ['busybox {{p}}', 'reference-as-command'],
  ['sg wheel {{p}}', 'reference-as-command'],
  ['script -c {{p}}', 'reference-as-command'],
  ['git -c {{p}} status', 'reference-as-command'],
  ['git {{p}}', 'reference-as-command'],
  ['ssh host {{p}}', 'reference-as-command'],
  ['su -c {{p}}', 'reference-as-command'],
  ['eval {{p}}', 'reference-as-command'],
  ['. {{p}}', 'reference-as-command'],
  ['source {{p}}', 'reference-as-command'],
  ['npx {{p}}', 'reference-as-command'],
  ['{{p}}', 'reference-as-command'],
  ['echo a | {{p}}', 'reference-as-command'],
  ['$CMD {{p}}', 'reference-as-command'],
  ['kubectl {{p}} pod', 'reference-as-command'],
  // interpreters and code-reading programs
  ['sh -c {{p}}', 'reference-as-code'],
  ['bash -c {{p}}', 'reference-as-code'],
  ['python3 -c {{p}}', 'reference-as-code'],
  ['python3.12 {{p}}', 'reference-as-code'],
  ['perl -e {{p}}', 'reference-as-code'],
  ['node -e {{p}}', 'reference-as-code'],
  ['ruby -e {{p}}', 'reference-as-code'],
  ['awk {{p}}', 'reference-as-code'],
  ["awk '{print}' {{p}}", 'reference-as-code'],
  ['sed {{p}}', 'reference-as-code'],
  ['jq {{p}}', 'reference-as-code'],
  ['find . -exec {{p}} \\;', 'reference-as-code'],
  ['find . -execdir echo {{p}} +', 'reference-as-code'],
  ['find . -ok rm {{p}} \\;', 'reference-as-code'],
  ['printf {{p}}', 'reference-as-code'],
  ['echo {{p}} | sh', 'reference-as-code'],
  ["printf '%s\\n' {{p}} | xargs rm", 'reference-as-code'],
  ['echo {{p}} | grep . | bash', 'reference-as-code'],
  ['echo {{p}} | while read -r l; do $l; done', 'reference-as-code'],
  ['f() { echo {{p}}; }', 'reference-as-code'],
  ['f() { "$@"; }; f {{p}}', 'reference-as-code'],
  ['alias e=eval; e {{p}}', 'reference-as-code'],
  ['. ./lib.sh; helper {{p}}', 'reference-as-code'],
  ['aws ssm send-command --document-name AWS-RunShellScript --parameters commands={{p}}', 'reference-as-code'],
  ['aws ecs execute-command --cluster c --task t --command {{p}}', 'reference-as-code'],
  ['kubectl exec pod -- {{p}}', 'reference-as-code'],
  ['docker run alpine {{p}}', 'reference-as-code'],
  ['tool --exec={{p}}', 'reference-as-code'],
  ['tool --use-compress-program {{p}}', 'reference-as-code'],
  ['aws ec2 run-instances --image-id ami-1 --user-data {{p}}', 'reference-as-code'],
  // files to write (or read), and addresses
  ['echo a > {{p}}', 'reference-as-file'],
  ['echo a >> {{p}}', 'reference-as-file'],
  ['cat < {{p}}', 'reference-as-file'],
  ['echo a 2> {{p}}', 'reference-as-file'],
  ['echo a >| {{p}}', 'reference-as-file'],
  ['cat <<< {{p}}', 'reference-as-file'],
  ['tee {{p}}', 'reference-as-file'],
  ['cp /dev/null {{p}}', 'reference-as-file'],
  ['rm {{p}}', 'reference-as-file'],
  ['curl {{p}}', 'reference-as-file'],
  ['tool --output {{p}}', 'reference-as-file'],
  ['tool -o {{p}}', 'reference-as-file'],
  ['tool --output={{p}}', 'reference-as-file'],
  // variables
  ['X={{p}} aws iam list-users', 'reference-in-assignment'],
  ['X={{p}}', 'reference-in-assignment'],
  ['export X={{p}}', 'reference-in-assignment'],
  ['local x={{p}}', 'reference-in-assignment'],
  ['a=(1 {{p}})', 'reference-in-assignment'],
  ['read {{p}}', 'reference-in-assignment'],
  ['unset {{p}}', 'reference-in-assignment'],
  ['printf -v {{p}} %s a', 'reference-in-assignment'],
  ['[ -v {{p}} ]', 'reference-in-assignment'],
  // where the shell reads the text again
  ['echo $(echo {{p}})', 'reference-not-a-word'],
  ['echo $(basename {{p}}) done', 'reference-not-a-word'],
  ['cat <(echo {{p}})', 'reference-not-a-word'],
  ['echo `echo {{p}}`', 'reference-not-a-word'],
  ['echo $(( {{p}} ))', 'reference-not-a-word'],
  ['[[ {{p}} == a ]]', 'reference-not-a-word'],
  ['for i in {{p}}; do echo "$i"; done', 'reference-not-a-word'],
  ['case {{p}} in a) echo;; esac', 'reference-not-a-word'],
  ['cat <<EOF\n{{p}}\nEOF', 'reference-not-a-word'],
  ['cat <<{{p}}\nx\n{{p}}', 'reference-not-a-word'],
  ['echo "{{p}}"', 'reference-not-a-word'],
];

/** One runbook with every position above, each in its own action: [command, code, line of the reference]. */
function positionsRunbook(): { runbook: Runbook; expected: [string, string, number][] } {
  const lines = ['---', 'params: { p: v }', '---'];
  const expected: [string, string, number][] = [];
  for (const [command, code] of REFUSED_POSITIONS) {
    lines.push('```sh');
    const first = lines.length;
    lines.push(...command.split('\n'));
    const at = command.split('\n').findIndex((l) => l.includes('{{p}}'));
    expected.push([command, code, first + at]);
    lines.push('```');
  }
  return { runbook: parseRunbook(lines.join('\n'), 'positions.md'), expected };
}

test('lint refuses every position where a value would be a program, code, a file or a variable, on its line', () => {
  const { runbook, expected } = positionsRunbook();
  for (const [command, code, line] of expected) {
    const found = runbook.problems.filter((p) => p.line === line);
    assert.ok(found.length > 0, `${JSON.stringify(command)}: nothing reported on line ${line}`);
    assert.equal(itemAt(found, 0).code, code, `${JSON.stringify(command)}: ${itemAt(found, 0).message}`);
    assert.equal(itemAt(found, 0).severity, 'error');
    assert.match(itemAt(found, 0).message, /\{\{p\}\}/, 'the message names the reference');
  }
  // Nothing else: every problem is a refusal (the heredoc case also refuses its end marker), none a syntax error.
  assert.deepEqual(
    runbook.problems.filter((p) => !/^reference-/.test(p.code)).map((p) => `${p.line} ${p.code} ${p.message}`),
    [],
  );
});

test('substitution refuses the same positions by itself, even in a runbook whose problems were dropped', async () => {
  const { runbook, expected } = positionsRunbook();
  // A Runbook built by hand (or a stale one) carries no problems: the substitution checks again.
  const unchecked: Runbook = { ...runbook, problems: [] };
  for (const action of unchecked.actions) {
    const [command, , line] = itemAt(expected, action.index);
    await assert.rejects(substituteAction(action, unchecked, { params: { p: 'v' }, cellResults: noCells }), (error: Error) => {
      assert.match(error.message, new RegExp(`^positions\\.md:${line + 1}: \\{\\{p\\}\\}: cannot be replaced: `), command);
      return true;
    });
  }
});

test('a command that is not valid shell is an error on its line, and nothing in it is replaced', async () => {
  const runbook = parseRunbook('---\nparams: { p: v }\n---\n```sh\necho {{p}}\necho (\n```\n', 's.md');
  assert.deepEqual(summary(runbook.problems), ['5 error invalid-shell']);
  assert.match(itemAt(runbook.problems, 0).message, /^action action-1 is not valid shell: /);
  await assert.rejects(
    substituteAction(itemAt(runbook.actions, 0), runbook, { params: {}, cellResults: noCells }),
    /s\.md:6: action action-1 cannot run/,
  );
  await assert.rejects(
    substituteAction(itemAt(runbook.actions, 0), { ...runbook, problems: [] }, { params: {}, cellResults: noCells }),
    /cannot be replaced: .*the command is not valid shell/,
  );
});

test('references in comments are neither checked nor replaced, whatever stands around them', async () => {
  const runbook = parseRunbook('---\nparams: { p: v }\n---\n```sh\n# sudo {{p}} > {{p}}\nprintargv {{p}} # eval {{p}}\n```\n', 'c.md');
  assert.deepEqual(runbook.problems, []);
  const { command } = await substituteAction(itemAt(runbook.actions, 0), runbook, { params: { p: 'x y' }, cellResults: noCells });
  assert.equal(command, "# sudo {{p}} > {{p}}\nprintargv 'x y' # eval {{p}}");
});

test('a value starting with - is refused as a whole word, and arrives as one argument after --flag= or --', async () => {
  const bare = parseRunbook(PARAM_RUNBOOK.replace('printargv first {{x}} --name={{x}} last', 'printargv {{x}}'), 'd.md');
  const guarded = parseRunbook(PARAM_RUNBOOK.replace('printargv first {{x}} --name={{x}} last', 'printargv --name={{x}} -- {{x}}'), 'd.md');
  assert.deepEqual(guarded.problems, []);
  for (const value of DASHED) {
    await assert.rejects(
      substituteAction(itemAt(bare.actions, 0), bare, { params: { x: value }, cellResults: noCells }),
      (error: Error) => {
        assert.equal(
          error.message,
          `d.md:8: {{x}}: the value ${JSON.stringify(value)} starts with "-", so the program would read it as an option; write the reference as --flag={{x}} or after --`,
        );
        return true;
      },
    );
    const { command } = await substituteAction(itemAt(guarded.actions, 0), guarded, { params: { x: value }, cellResults: noCells });
    for (const shell of SHELLS) assert.deepEqual(runIn(shell, command), [`--name=${value}`, '--', value], `${shell}: ${command}`);
  }
  assert.deepEqual(readdirSync(sandbox), []);
});

test('a program-like value is an argument, not a program: /usr/bin/id reaches printargv as text', async () => {
  const runbook = parseRunbook(
    ['```cloudtrail id=ua', 'SELECT 1', '```', '```sh', "printf '%s\\n' {{ua.userAgent}} && printargv -- {{ua.userName}}", '```'].join(
      '\n',
    ),
    'ua.md',
  );
  assert.deepEqual(runbook.problems, []);
  const { command } = await substituteAction(itemAt(runbook.actions, 0), runbook, {
    params: {},
    cellResults: () => ({ columns: ['userAgent', 'userName'], rows: [['/usr/bin/id', '-n']] }),
  });
  assert.equal(command, "printf '%s\\n' /usr/bin/id && printargv -- -n");
  for (const shell of SHELLS) {
    const result: SpawnSyncReturns<string> = spawnSync(shell, ['-c', command], {
      cwd: sandbox,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` },
    });
    assert.equal(result.status, 0, result.stderr);
    // id's output (uid=…) would show here if the value had run.
    assert.equal(result.stdout, '/usr/bin/id\n["--","-n"]');
  }
});

test('offsets stay right when the command holds non-ASCII text before a reference', async () => {
  const runbook = parseRunbook('---\nparams: { p: v }\n---\n```sh\nprintargv é🙂 {{p}} — {{ p }}\n```\n', 'u.md');
  assert.deepEqual(runbook.problems, []);
  const { command } = await substituteAction(itemAt(runbook.actions, 0), runbook, { params: { p: 'a;b' }, cellResults: noCells });
  assert.equal(command, "printargv é🙂 'a;b' — 'a;b'");
  assert.deepEqual(runIn('/bin/sh', command), ['é🙂', 'a;b', '—', 'a;b']);
});
