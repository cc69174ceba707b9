// `trailbook serve-cloudtrail`: a local CloudTrail endpoint over a log folder, so the
// LookupEvents backend, the AWS CLI or any SDK can be tried against known events with no
// AWS account. It runs until interrupted.
import { parseArgs } from 'node:util';
import { LOCAL_PRINCIPAL, startCloudTrailEndpoint } from '../sources/lookup/endpoint';
import { UsageError, type CommandResult } from './usageError';

export interface ServeArgs {
  readonly logs: string;
  readonly port: number;
}

export function parseServeArgs(argv: string[]): ServeArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      logs: { type: 'string' },
      port: { type: 'string' },
    },
  });
  if (!values.logs) throw new UsageError('--logs DIR is required: the log file or folder whose events the endpoint serves');
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port ${values.port}: give a port number from 0 (any free port) to 65535`);
  return { logs: values.logs, port };
}

/** Resolves on the first SIGINT or SIGTERM, so the server closes cleanly instead of dying mid-response. */
function interrupted(): Promise<string> {
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

export async function serveCommand(argv: string[]): Promise<CommandResult> {
  const args = parseServeArgs(argv);
  const endpoint = await startCloudTrailEndpoint({ logsPath: args.logs, principals: [LOCAL_PRINCIPAL], port: args.port });
  const { accessKeyId, secretAccessKey, account } = LOCAL_PRINCIPAL;
  process.stdout.write(
    `CloudTrail LookupEvents for ${endpoint.stats.events.toLocaleString('en-US')} events of ${args.logs} at ${endpoint.url}\n` +
      `account ${account}, any region, 2 requests a second as in AWS; Ctrl-C stops it. Try:\n\n` +
      `  AWS_ACCESS_KEY_ID=${accessKeyId} AWS_SECRET_ACCESS_KEY=${secretAccessKey} aws cloudtrail lookup-events --endpoint-url ${endpoint.url} --region us-east-1\n`,
  );
  await interrupted();
  await endpoint.close();
  return { exitCode: 0 };
}
