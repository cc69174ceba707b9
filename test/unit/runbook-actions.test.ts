// Response actions (```sh blocks): how they are parsed, which references are refused, and,
// above all, that no value can change a command's structure. The substituted commands really
// run through /bin/sh (and bash) with a program that prints its argv, and the argv must be
// exactly the words the author wrote, whatever the values hold.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ActionCancelled,
  parseRunbook,
  shellQuote,
  substituteAction,
  type ActionInputs,
  type Runbook,
  type RunbookProblem,
} from '../../src/runbook';
import { tempDir } from '../support/tempDir';

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
  '-rf',
  '--help',
  '-',
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
  "arn:aws:iam::123456789012:user/alice",
];

test('hostile parameter values each arrive as exactly one argument, through sh and bash', async () => {
  const runbook = parseRunbook(PARAM_RUNBOOK, 'p.md');
  assert.deepEqual(runbook.problems, []);
  for (const value of HOSTILE) {
    const { command, substitutions } = await substituteAction(runbook.actions[0]!, runbook, { params: { x: value }, cellResults: noCells });
    assert.deepEqual(substitutions.map((s) => [s.reference.text, s.value]), [['{{x}}', value], ['{{x}}', value]]);
    for (const shell of SHELLS) {
      assert.deepEqual(runIn(shell, command), ['first', value, `--name=${value}`, 'last'], `${shell}: ${JSON.stringify(value)} became ${command}`);
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
    const a = HOSTILE[i]!;
    const b = HOSTILE[(i + 7) % HOSTILE.length]!;
    const { command } = await substituteAction(runbook.actions[0]!, runbook, {
      params: {},
      cellResults: (id) => (id === 'found' ? { columns: ['a', 'b'], rows: [[a, b], [a, null]] } : undefined),
    });
    const result = spawnSync('/bin/sh', ['-c', command], { cwd: sandbox, encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` } });
    assert.equal(result.status, 0, result.stderr);
    // Three programs ran, each with the intended words, and nothing else.
    assert.equal(result.stdout, JSON.stringify([a, b]) + JSON.stringify([`--key=${a}`]) + JSON.stringify([b]), command);
  }
  assert.deepEqual(readdirSync(sandbox), []);
});

test('numbers, bigints and booleans become their text; lists and structures are refused', async () => {
  const runbook = parseRunbook('```cloudtrail id=c\nSELECT 1\n```\n\n```sh\nprintargv {{c.v}}\n```\n', 'n.md');
  const run = (v: unknown) =>
    substituteAction(runbook.actions[0]!, runbook, { params: {}, cellResults: () => ({ columns: ['v'], rows: [[v]] }) });
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

test('values with control or bidirectional characters are refused: a terminal or a reader would misread them', async () => {
  const runbook = parseRunbook(PARAM_RUNBOOK, 'p.md');
  for (const value of ['a\rb', 'a\tb', '\u0003', '\u0015rm -rf ~', '\u001b[2J', 'a\u202eb', '\u009b', '\u007f', 'x\0y']) {
    await assert.rejects(
      substituteAction(runbook.actions[0]!, runbook, { params: { x: value }, cellResults: noCells }),
      /control character U\+[0-9A-F]{4}/,
      JSON.stringify(value),
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
  const { command, substitutions } = await substituteAction(runbook.actions[0]!, runbook, {
    params: {},
    cellResults: keys([['alice', 'AKIA1'], ['alice', null], ['alice', 'AKIA1']]),
  });
  assert.equal(command, 'aws iam update-access-key --user-name alice --access-key-id AKIA1 --status Inactive');
  assert.deepEqual(substitutions.map((s) => [s.reference.text, s.value, s.reference.line]), [
    ['{{new-keys.userName}}', 'alice', 14],
    ['{{new-keys.newKey}}', 'AKIA1', 14],
  ]);
});

test('no value is an error naming the cell and column', async () => {
  const runbook = parseRunbook(KEYS, 'k.md');
  await assert.rejects(
    substituteAction(runbook.actions[0]!, runbook, { params: {}, cellResults: keys([]) }),
    (error: Error) => {
      assert.match(error.message, /^k\.md:15: \{\{new-keys\.userName\}\}: cell new-keys returned no userName: nothing to act on$/);
      return true;
    },
  );
});

test('several values: an error that counts them, unless a choose hook picks one', async () => {
  const runbook = parseRunbook(KEYS, 'k.md');
  const rows = [['alice', 'AKIA1'], ['alice', 'AKIA2'], ['alice', 'AKIA3']];
  await assert.rejects(
    substituteAction(runbook.actions[0]!, runbook, { params: {}, cellResults: keys(rows) }),
    /cell new-keys returned 3 different newKey values \("AKIA1", "AKIA2", "AKIA3"\), but an action acts on one/,
  );
  const asked: [string, readonly string[]][] = [];
  const { command } = await substituteAction(runbook.actions[0]!, runbook, {
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
    substituteAction(runbook.actions[0]!, runbook, { params: {}, cellResults: keys(rows), choose: () => undefined }),
    ActionCancelled,
  );
  await assert.rejects(
    substituteAction(runbook.actions[0]!, runbook, { params: {}, cellResults: keys(rows), choose: () => 'AKIA1; rm -rf ~' }),
    /the chosen value "AKIA1; rm -rf ~" is not one of the 3 values/,
  );
});

test('a list parameter follows the one-value rule; a missing cell result or column is an error', async () => {
  const runbook = parseRunbook(PARAM_RUNBOOK.replace('printargv first {{x}} --name={{x}} last', 'printargv {{ids}}'), 'p.md');
  await assert.rejects(substituteAction(runbook.actions[0]!, runbook, { params: {}, cellResults: noCells }), /parameter ids has 2 values/);
  assert.equal((await substituteAction(runbook.actions[0]!, runbook, { params: { ids: 'z' }, cellResults: noCells })).command, 'printargv z');
  await assert.rejects(substituteAction(runbook.actions[0]!, runbook, { params: { ids: ' , ' }, cellResults: noCells }), /parameter ids has no value: nothing to act on/);

  const keysRunbook = parseRunbook(KEYS, 'k.md');
  await assert.rejects(substituteAction(keysRunbook.actions[0]!, keysRunbook, { params: {}, cellResults: noCells }), /cell new-keys has not run yet/);
  await assert.rejects(
    substituteAction(keysRunbook.actions[0]!, keysRunbook, { params: {}, cellResults: () => ({ columns: ['other'], rows: [] }) }),
    /cell new-keys has no column userName; its columns are other/,
  );
});

test('an action with a problem in it does not substitute at all', async () => {
  const runbook = parseRunbook(PARAM_RUNBOOK.replace('--name={{x}}', '"{{x}}"'), 'p.md');
  await assert.rejects(
    substituteAction(runbook.actions[0]!, runbook, { params: { x: 'a' }, cellResults: noCells }),
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
  assert.deepEqual(rb.actions[0]!.attributes, { id: 'first' });
  assert.equal(rb.actions[0]!.command, '# say what it does {{not.replaced}}\naws iam x --id {{c.k}} \\\n  --name={{c.k}}');
  assert.deepEqual(
    rb.actions[0]!.references.map((r) => [r.kind, r.text, r.line, r.textColumn, rb.actions[0]!.command.slice(r.start, r.end)]),
    [
      ['cell', '{{c.k}}', 7, 15, '{{c.k}}'],
      ['cell', '{{c.k}}', 8, 9, '{{c.k}}'],
    ],
  );
  assert.deepEqual(rb.actions[2]!.references.map((r) => r.text), ['{{ c.k }}']);
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
    assert.deepEqual(summary(rb.problems).filter((p) => !p.includes('reference-as-command')).slice(0, 1), ['4 error reference-not-a-word'], command);
    const found = rb.problems.find((p) => p.code === 'reference-not-a-word')!;
    assert.match(found.message, /^write \{\{p\}\} as its own word; it is quoted for the shell: /);
    assert.match(found.message, message, command);
  }
});

test('whole words, flag= prefixes, operators and $( ) are accepted', () => {
  for (const command of [
    'echo {{p}}',
    'echo --user-name={{p}} Key={{p}} -n={{p}}',
    'echo {{p}};echo {{p}}|cat&&echo {{p}}||true',
    'echo $(basename {{p}}) done',
    'echo x > {{p}}',
    'cat <<< {{p}}',
    'FOO={{p}} echo',
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
  for (const command of ['{{p}} --version', 'echo a; {{p}}', 'echo a | {{p}}', 'echo $({{p}})', 'if {{p}}; then :; fi', 'FOO=1 {{p}}', 'echo a &&\n{{p}}', 'sudo {{p}}', 'xargs {{p}} < list', 'eval {{p}}', 'time env {{p}}']) {
    const rb = parseRunbook(`---\nparams: { p: v }\n---\n\`\`\`sh\n${command}\n\`\`\`\n`, 'w.md');
    assert.deepEqual(summary(rb.problems).map((p) => p.replace(/^\d+ /, '')), ['error reference-as-command'], command);
  }
});

test('references in a heredoc are refused; the code after it is checked again', () => {
  const rb = parseRunbook(
    [
      '---', 'params: { p: v }', '---', //      0-2
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
  assert.match(rb.problems[0]!.message, /inside a heredoc/);
});

test('references are checked against params and cells above, like cells; ids share one namespace', () => {
  const rb = parseRunbook(
    [
      '---', 'params: { user: alice }', '---', // 0-2
      '```cloudtrail id=above', //               3
      'SELECT 1', //                             4
      '```', //                                  5
      '```sh id=act', //                         6
      'aws x {{nobody}} {{missing.col}} {{below.col}} {{above.col}} {{user}} {{act.x}}', // 7
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
  assert.match(messages[1]!, /\{\{missing\.col\}\} names no cell "missing" \(cells above: above\)/);
  assert.match(messages[2]!, /which is below this action \(line 13\)/);
  assert.match(messages[3]!, /names the response action "act", which returns no rows/);
  assert.match(messages[4]!, /id "above" is already used by the cell on line 4; give this action another id=/);
  assert.match(messages[5]!, /id "act2" is already used by the action on line 16; give this cell another id=/);
  assert.match(messages[6]!, /known attributes are id$/);
  // Columns point at the reference in the Markdown line.
  assert.deepEqual(rb.problems.slice(0, 4).map((p) => p.column), [6, 17, 33, 70]);
});

test('an unclosed fence or reference in an action is reported', () => {
  const rb = parseRunbook('```sh\necho {{p\n', 'u.md');
  assert.deepEqual(summary(rb.problems), ['0 error unterminated-fence', '1 error malformed-reference']);
});

test('cells still parse as before: a runbook without sh blocks has no actions', () => {
  const rb: Runbook = parseRunbook('```cloudtrail\nSELECT 1\n```\n', 'x.md');
  assert.deepEqual(rb.actions, []);
});
