// `trailbook serve-cloudtrail`: a local CloudTrail endpoint over a log folder, so the
// LookupEvents backend, the AWS CLI or any SDK can be tried against known events with no
// AWS account. It runs until interrupted.
// Its keys are made for each start, so they are printed where a script can take them:
// KEY=value lines on standard output (prose as # comments, so the whole output can be read
// as an env file), or with --json one JSON line on standard output and the prose on
// standard error.
import { parseArgs } from 'node:util';
import { localPrincipal, startCloudTrailEndpoint, type CloudTrailEndpoint, type Principal } from '../testbed/cloudtrailEndpoint';
import { UsageError, type CommandResult } from './usageError';

export interface ServeArgs {
  readonly logs: string;
  readonly port: number;
  /** One JSON line on standard output (url, keys, account, events) instead of KEY=value lines. */
  readonly json: boolean;
  /**
   * Serve each account of the logs (their recipientAccountId) its own events, with keys of
   * its own: an organisation's trail as the accounts' LookupEvents would answer.
   */
  readonly accounts: boolean;
}

export function parseServeArgs(argv: string[]): ServeArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      logs: { type: 'string' },
      port: { type: 'string' },
      json: { type: 'boolean' },
      accounts: { type: 'boolean' },
    },
  });
  if (!values.logs) throw new UsageError('--logs DIR is required: the log file or folder whose events the endpoint serves');
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port ${values.port}: give a port number from 0 (any free port) to 65535`);
  return { logs: values.logs, port, json: values.json === true, accounts: values.accounts === true };
}

/** Resolves on the first SIGINT or SIGTERM, so the server closes cleanly instead of dying mid-response. */
export function interrupted(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** What a script needs to call the endpoint, as one JSON object. */
export interface ServeAnnouncement {
  readonly endpoint: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly account: string;
  readonly events: number;
  /** With --accounts: each account of the logs with its own keys (the first is also the one above). */
  readonly accounts?: readonly { readonly account: string; readonly accessKeyId: string; readonly secretAccessKey: string }[];
}

function announcement(endpoint: CloudTrailEndpoint, principals: readonly Principal[], perAccount: boolean): ServeAnnouncement {
  const [first] = principals;
  // serveCommand starts with one principal and refuses --accounts over logs that name none.
  if (first === undefined) throw new Error('the endpoint serves no principal to announce');
  const { accessKeyId, secretAccessKey, account } = first;
  return {
    endpoint: endpoint.url,
    accessKeyId,
    secretAccessKey,
    account,
    events: endpoint.stats.events,
    ...(perAccount
      ? { accounts: principals.map((p) => ({ account: p.account, accessKeyId: p.accessKeyId, secretAccessKey: p.secretAccessKey })) }
      : {}),
  };
}

function prose(args: ServeArgs, said: ServeAnnouncement): string[] {
  const who = said.accounts ? `${said.accounts.length} accounts, each its own events and keys` : `account ${said.account}`;
  return [
    `CloudTrail LookupEvents (and STS) for ${said.events.toLocaleString('en-US')} events of ${args.logs}, on loopback only`,
    `${who}, any region, 2 requests a second per account as in AWS; new keys every start; Ctrl-C stops it`,
  ];
}

/** With --accounts: a credentials-file section an account, for `--profiles local-ACCOUNT,…`. */
function credentialSections(said: ServeAnnouncement): string[] {
  if (!said.accounts) return [];
  return [
    '# A profile an account: add these to ~/.aws/credentials (or a file AWS_SHARED_CREDENTIALS_FILE names), then',
    `#   trailbook run RUNBOOK.md --source lookup --endpoint "$TRAILBOOK_ENDPOINT" --profiles ${said.accounts.map((a) => `local-${a.account}`).join(',')}`,
    ...said.accounts.flatMap((a) => [
      `# [local-${a.account}]`,
      `# aws_access_key_id = ${a.accessKeyId}`,
      `# aws_secret_access_key = ${a.secretAccessKey}`,
    ]),
  ];
}

/** KEY=value lines (no quoting needed: URL and base64 characters only) between # comments. */
function envLines(args: ServeArgs, said: ServeAnnouncement): string {
  return (
    [
      ...prose(args, said).map((line) => `# ${line}`),
      `TRAILBOOK_ENDPOINT=${said.endpoint}`,
      `AWS_ACCESS_KEY_ID=${said.accessKeyId}`,
      `AWS_SECRET_ACCESS_KEY=${said.secretAccessKey}`,
      '# With the three lines above exported, in another shell:',
      '#   aws cloudtrail lookup-events --endpoint-url "$TRAILBOOK_ENDPOINT" --region us-east-1',
      '#   trailbook run RUNBOOK.md --source lookup --endpoint "$TRAILBOOK_ENDPOINT"',
      ...credentialSections(said),
    ].join('\n') + '\n'
  );
}

export async function serveCommand(argv: string[]): Promise<CommandResult> {
  const args = parseServeArgs(argv);
  // Keys are made for each account once the logs say which accounts there are: the first
  // principal stands in until then, and becomes the first account's.
  const principals: Principal[] = [localPrincipal()];
  const endpoint = await startCloudTrailEndpoint({ logsPath: args.logs, principals, port: args.port, eventsByAccount: args.accounts });
  if (args.accounts) {
    const accounts = endpoint.stats.accounts;
    if (accounts.length === 0) {
      await endpoint.close();
      throw new UsageError(`--accounts: no event of ${args.logs} names its recipientAccountId, so there is no account to serve apart`);
    }
    principals.splice(0, principals.length, ...accounts.map((account) => ({ ...localPrincipal(), account })));
  }
  const said = announcement(endpoint, principals, args.accounts);
  if (args.json) {
    process.stdout.write(`${JSON.stringify(said)}\n`);
    process.stderr.write(prose(args, said).join('\n') + '\n');
  } else {
    process.stdout.write(envLines(args, said));
  }
  await interrupted();
  await endpoint.close();
  return { exitCode: 0 };
}
