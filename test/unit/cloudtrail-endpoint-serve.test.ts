// `trailbook serve-cloudtrail` as a script uses it: started as a process, its keys read from
// its output (KEY=value lines, or one JSON line with --json), then called with the real
// SDK. Every start makes new keys, and one start's keys are refused by another.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import type { ServeAnnouncement } from '../../src/cli/serveCommand';
import { stratusDir } from '../support/datasets';
import { itemAt } from '../support/itemAt';

const ROOT = resolve(__dirname, '../..');

interface Served {
  readonly said: ServeAnnouncement;
  /** Standard output up to the first line that is not a comment or a KEY=value line. */
  readonly stdout: string[];
  stop(): Promise<number | null>;
}

/** Starts the command and reads what it announces, as a script would. */
async function serve(json: boolean): Promise<Served> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'serve-cloudtrail', '--logs', stratusDir(), ...(json ? ['--json'] : [])],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const closed = new Promise<number | null>((done) => child.once('close', (code) => done(code)));
  const stop = async (): Promise<number | null> => {
    child.kill('SIGTERM');
    return closed;
  };
  const stdout: string[] = [];
  try {
    const lines = createInterface({ input: child.stdout! });
    let said: ServeAnnouncement | undefined;
    const env: Record<string, string> = {};
    for await (const line of lines) {
      stdout.push(line);
      if (json) {
        said = JSON.parse(line) as ServeAnnouncement;
        break;
      }
      const pair = /^([A-Z_]+)=(.*)$/.exec(line);
      if (pair) env[itemAt(pair, 1)] = itemAt(pair, 2);
      else assert.match(line, /^# /, `a line of standard output that is neither KEY=value nor a # comment: ${line}`);
      if (env.TRAILBOOK_ENDPOINT && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
        said = {
          endpoint: env.TRAILBOOK_ENDPOINT,
          accessKeyId: env.AWS_ACCESS_KEY_ID,
          secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
          account: '',
          events: 0,
        };
        break;
      }
    }
    assert.ok(said, `serve-cloudtrail printed no keys: ${stdout.join('\n')}`);
    return { said, stdout, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

const lookup = (said: ServeAnnouncement, key: { accessKeyId: string; secretAccessKey: string } = said) =>
  new CloudTrailClient({
    endpoint: said.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey },
    maxAttempts: 1,
  }).send(new LookupEventsCommand({ MaxResults: 5 }));

test('every start prints fresh keys that the SDK can use; one start refuses another start’s keys', async () => {
  const [first, second] = await Promise.all([serve(false), serve(true)]);
  try {
    assert.match(first.said.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(first.said.accessKeyId, /^AKIA[A-Z2-7]{16}$/);
    assert.match(second.said.accessKeyId, /^AKIA[A-Z2-7]{16}$/);
    assert.ok(first.said.secretAccessKey.length >= 40);
    assert.notEqual(first.said.accessKeyId, second.said.accessKeyId);
    assert.notEqual(first.said.secretAccessKey, second.said.secretAccessKey);
    // The published keys of earlier versions are no longer accepted anywhere.
    assert.ok(!/AKIDTRAILBOOKLOCAL|trailbook-local-secret/.test(first.stdout.join('\n') + second.stdout.join('\n')));
    assert.equal(second.said.account, '123456789012');
    assert.ok(second.said.events > 0);

    assert.equal((await lookup(first.said)).Events?.length, 5);
    assert.equal((await lookup(second.said)).Events?.length, 5);
    await assert.rejects(lookup(second.said, first.said), { name: 'UnrecognizedClientException' });
  } finally {
    assert.equal(await first.stop(), 0);
    assert.equal(await second.stop(), 0);
  }
});
