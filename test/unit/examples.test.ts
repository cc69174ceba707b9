// The examples in examples/ work as written: the GitHub workflow parses, asks for what it
// needs (OIDC, code scanning, the state carried between runs), and its `run:` commands,
// executed by bash as the runner would, lint the bundled runbooks into valid SARIF and check
// them against the local CloudTrail endpoint (real SDK, SigV4), as a dry run.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import Ajv from 'ajv-draft-04';
import { parse } from 'yaml';
import { parseNotifyConfig } from '../../src/app/notify/notifyConfig';
import { startCloudTrailEndpoint } from '../../src/testbed/cloudtrailEndpoint';
import { tempDir } from '../support/tempDir';
import { deliverLogFile, trailEvent } from '../support/trailEvents';
import { itemAt } from '../support/itemAt';

const ROOT = resolve(__dirname, '../..');
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
const workflow = parse(readFileSync(join(ROOT, 'examples/github-actions/trailbook.yml'), 'utf8'));

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  if?: string;
}

test('the workflow lints on pull requests with a SARIF upload, and checks on a schedule with OIDC role credentials and a kept state', () => {
  assert.ok(workflow.on.pull_request);
  assert.match(workflow.on.schedule[0].cron, /^\*\/15 /);
  const lint = workflow.jobs.lint;
  assert.equal(lint.if, "github.event_name == 'pull_request'");
  assert.equal(lint.permissions['security-events'], 'write');
  const upload = (lint.steps as Step[]).find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
  const lintRun = (lint.steps as Step[]).find((s) => s.run?.includes('trailbook lint'));
  assert.match(lintRun!.run!, /--format sarif .*> (\S+)$/);
  assert.equal(upload!.with!.sarif_file, /> (\S+)$/.exec(lintRun!.run!)![1]);

  const check = workflow.jobs.check;
  assert.equal(check.permissions['id-token'], 'write', 'OIDC needs id-token: write');
  const steps = check.steps as Step[];
  const credentials = steps.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));
  assert.match(String(credentials!.with!['role-to-assume']), /^\$\{\{ vars\.\w+ \}\}$/);
  const run = steps.find((s) => s.run?.includes('trailbook check'))!;
  const state = /--state (\S+)/.exec(run.run!)![1];
  const restore = steps.find((s) => s.uses?.startsWith('actions/cache/restore@'))!;
  const save = steps.find((s) => s.uses?.startsWith('actions/cache/save@'))!;
  assert.equal(restore.with!.path, state);
  assert.equal(save.with!.path, state);
  assert.equal(save.if, 'always()', 'the state is saved whatever the check found');
  assert.ok(
    steps.indexOf(credentials!) < steps.indexOf(run) &&
      steps.indexOf(restore) < steps.indexOf(run) &&
      steps.indexOf(run) < steps.indexOf(save),
  );
  // Secrets come in through the environment, never on the command line.
  assert.doesNotMatch(run.run!, /secrets\./);
  for (const value of Object.values(run.env ?? {})) assert.match(value, /^\$\{\{ secrets\.\w+ \}\}$/);
});

test('examples/trailbook.notify.yaml is a valid notifier file that names the notifiers the examples use', () => {
  const config = parseNotifyConfig(readFileSync(join(ROOT, 'examples/trailbook.notify.yaml'), 'utf8'), 'examples/trailbook.notify.yaml');
  const used = new Set<string>();
  for (const file of [
    'github-actions/trailbook.yml',
    'jenkins/Jenkinsfile',
    'systemd/trailbook-check.service',
    'systemd/crontab',
    'container/Dockerfile',
  ]) {
    const text = readFileSync(join(ROOT, 'examples', file), 'utf8');
    for (const m of text.matchAll(/--notify"?,? "?([\w-]+)/g)) used.add(itemAt(m, 1));
  }
  assert.deepEqual([...used].sort(), ['oncall', 'security-slack']);
  for (const name of used) assert.ok(config.notifiers.has(name), name);
});

function bash(
  script: string,
  cwd: string,
  env: Record<string, string>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn('bash', ['-e', '-c', script], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

test("the workflow's run: commands, as bash runs them, lint to valid SARIF and check against the local endpoint", async () => {
  const work = tempDir();
  // The repository the workflow runs in: one of the bundled runbooks (all of them would only take longer).
  mkdirSync(join(work, 'runbooks'));
  copyFileSync(join(ROOT, 'runbooks/cloudtrail-tampering.md'), join(work, 'runbooks/cloudtrail-tampering.md'));
  copyFileSync(join(ROOT, 'examples/trailbook.notify.yaml'), join(work, 'trailbook.notify.yaml'));
  // `trailbook` on PATH stands for the installed package: these sources. The check goes to
  // the local endpoint and only prints its alerts (nothing real is paged).
  const bin = join(work, 'bin');
  mkdirSync(bin);
  writeFileSync(
    join(bin, 'trailbook'),
    `#!/bin/sh\nif [ "$1" = check ]; then set -- "$@" --endpoint "$TEST_ENDPOINT" --dry-run; fi\nexec "${process.execPath}" --import "${TSX}" "${join(ROOT, 'src/cli/main.ts')}" "$@"\n`,
  );
  chmodSync(join(bin, 'trailbook'), 0o755);
  const logs = join(work, 'logs');
  deliverLogFile(logs, 'recent.json', [trailEvent({ eventName: 'StopLogging', minutesAgo: 30, requestParameters: { name: 'org-trail' } })]);
  const key = { accessKeyId: 'AKIDWORKFLOW', secretAccessKey: 'workflow-test-secret', account: '111122223333' };
  const endpoint = await startCloudTrailEndpoint({ logsPath: logs, principals: [key] });
  try {
    const env = {
      PATH: `${bin}:${process.env.PATH}`,
      HOME: work,
      TRAILBOOK_CACHE_DIR: join(work, 'cache'),
      GITHUB_ACTIONS: 'true',
      TEST_ENDPOINT: endpoint.url,
      // What configure-aws-credentials leaves in the environment.
      AWS_ACCESS_KEY_ID: key.accessKeyId,
      AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    const runs = (job: string): Step[] =>
      (workflow.jobs[job].steps as Step[]).filter((s) => s.run !== undefined && !s.run.startsWith('npm install'));
    const [lintStep] = runs('lint');
    const lint = await bash(lintStep!.run!, work, env);
    assert.equal(lint.status, 0, lint.stderr);
    const sarif = JSON.parse(readFileSync(join(work, 'trailbook.sarif'), 'utf8'));
    const validate = new Ajv({ strict: false }).compile(
      JSON.parse(readFileSync(join(ROOT, 'test/fixtures/ci-schemas/sarif-schema-2.1.0.json'), 'utf8')),
    );
    assert.equal(validate(sarif), true, JSON.stringify(validate.errors));

    const [checkStep] = runs('check');
    const jobEnv = workflow.jobs.check.env as Record<string, string>;
    const stepEnv = Object.fromEntries(Object.keys(checkStep!.env ?? {}).map((name) => [name, `test-value-of-${name}`]));
    const check = await bash(checkStep!.run!, work, { ...env, ...jobEnv, ...stepEnv });
    assert.equal(check.status, 1, check.stderr);
    assert.match(check.stdout, /── dry run: security-slack \(slack\), 1 alert ──/);
    assert.match(check.stdout, /── dry run: oncall \(pagerduty\), 1 alert ──/);
    assert.match(check.stderr, /^::error file=runbooks\/cloudtrail-tampering\.md,line=\d+,title=trailbook check%3A trail-changes::/m);
    assert.match(readFileSync(join(work, 'trailbook-check.xml'), 'utf8'), /<failure type="finding" message="1 finding/);
    for (const value of Object.values(stepEnv)) assert.ok(!check.stdout.includes(value) && !check.stderr.includes(value));
  } finally {
    await endpoint.close();
  }
});

/** The words of a `trailbook check …` command line as a shell would split it (quotes removed, variables given values). */
function checkWords(line: string, vars: Record<string, string>): string[] {
  const command = itemAt(/trailbook (check .*?)(?:\s*(?:>>|\||$))/.exec(line)!, 1);
  const expanded = command.replace(/\$\{?(\w+)\}?/g, (_, name: string) => vars[name] ?? `<${name}>`);
  return [...expanded.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? itemAt(m, 3)).slice(1);
}

test('the check commands of the Jenkinsfile, the systemd unit, the crontab and the Dockerfile are ones check accepts', async () => {
  const { parseCheckArgs } = await import('../../src/cli/checkArgs');
  const vars = {
    AWS_REGION: 'us-east-1',
    TRAILBOOK_STATE: '/var/lib/jenkins/trailbook/check-state.json',
    STATE_DIRECTORY: '/var/lib/trailbook',
    HOME: '/home/trailbook',
  };
  const read = (file: string) => readFileSync(join(ROOT, 'examples', file), 'utf8');
  const lines = {
    jenkins: read('jenkins/Jenkinsfile')
      .split('\n')
      .find((l) => l.includes('trailbook check'))!,
    systemd: read('systemd/trailbook-check.service')
      .split('\n')
      .find((l) => l.startsWith('ExecStart='))!,
    crontab: read('systemd/crontab')
      .split('\n')
      .find((l) => l.startsWith('*/15'))!,
  };
  for (const [name, line] of Object.entries(lines)) {
    const args = parseCheckArgs(checkWords(line, vars));
    assert.deepEqual(args.runbooks, ['runbooks/'], name);
    assert.equal(args.run.source.kind, 'lookup', name);
    assert.deepEqual(args.notify, ['security-slack', 'oncall'], name);
    assert.ok(!args.statePath.includes('<'), `${name}: every variable has a value`);
  }
  const dockerfile = read('container/Dockerfile');
  const json = (keyword: string) => JSON.parse(itemAt(new RegExp(`^${keyword} (\\[.*\\])$`, 'm').exec(dockerfile)!, 1)) as string[];
  const [program, ...words] = [...json('ENTRYPOINT'), ...json('CMD')];
  assert.equal(program, 'trailbook');
  const container = parseCheckArgs(words.slice(1));
  assert.equal(words[0], 'check');
  assert.equal(container.everyMs, 15 * 60_000);
  assert.equal(container.statePath, '/var/lib/trailbook/check-state.json');
  assert.deepEqual(container.runbooks, ['/runbooks']);
});
