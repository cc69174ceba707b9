// `credential_process`: a command that prints credentials as JSON (Version 1). Run here
// rather than through the SDK so that a failure can say how the command ended (its exit
// status, its last line of standard error); its standard output holds secrets and is never
// quoted, and neither is the command line (some carry a token or a password): messages
// name the profile.
import { spawn } from 'node:child_process';
import type { AwsCredentialIdentity } from '@smithy/types';
import { AwsCredentialsError } from './credentialsError';
import { displayText } from './displayText';

const TIMEOUT_MS = 60_000;
const MAX_OUTPUT = 1 << 20;

/**
 * The command's last words, bounded and escaped, without any part of its command line: a
 * shell's "not found" names the program, a helper may echo its arguments, a token among them.
 */
function lastLine(text: string, command: string): string {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const words = command
    .split(/\s+/)
    .map((word) => word.replace(/^["']+|["']+$/g, ''))
    .filter((word) => word.length >= 6);
  let line = lines[lines.length - 1] ?? '';
  for (const part of [command, ...words.sort((a, b) => b.length - a.length)]) line = line.split(part).join('…');
  return displayText(line);
}

export async function runCredentialProcess(profile: string, command: string, env: NodeJS.ProcessEnv): Promise<AwsCredentialIdentity> {
  const what = `the credential_process of profile ${profile}`;
  const { status, signal, stdout, stderr, timedOut } = await new Promise<{
    status: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
    timedOut: boolean;
  }>((resolve, reject) => {
    // A shell, as the AWS CLI and SDKs run it: the setting may quote paths or use pipes.
    const child = spawn(command, { shell: true, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
    }, TIMEOUT_MS);
    child.stdout.on('data', (d: Buffer) => {
      if (stdout.length < MAX_OUTPUT) stdout += d.toString('utf8');
    });
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < MAX_OUTPUT) stderr += d.toString('utf8');
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      // The code only: some platforms put the command line in the message.
      reject(
        new AwsCredentialsError(
          `${what} could not be started (${(error as NodeJS.ErrnoException).code ?? 'error'}): run it in a terminal to see why`,
          profile,
        ),
      );
    });
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      resolve({ status: code, signal: sig, stdout, stderr, timedOut });
    });
  });
  const said = lastLine(stderr, command);
  if (timedOut) throw new AwsCredentialsError(`${what} did not finish within ${TIMEOUT_MS / 1000} s and was stopped`, profile);
  if (status !== 0) {
    const how = status === null ? `was stopped by ${signal ?? 'a signal'}` : `exited with status ${status}`;
    throw new AwsCredentialsError(`${what} ${how}${said ? `: ${said}` : ''}. Run the command in a terminal to see why`, profile);
  }
  let data: {
    Version?: unknown;
    AccessKeyId?: unknown;
    SecretAccessKey?: unknown;
    SessionToken?: unknown;
    Expiration?: unknown;
    AccountId?: unknown;
  };
  try {
    data = JSON.parse(stdout) as typeof data;
  } catch {
    throw new AwsCredentialsError(`${what} exited with status 0 but did not print JSON credentials`, profile);
  }
  if (data?.Version !== 1) throw new AwsCredentialsError(`${what} printed credentials without "Version": 1`, profile);
  if (typeof data.AccessKeyId !== 'string' || typeof data.SecretAccessKey !== 'string') {
    throw new AwsCredentialsError(`${what} printed JSON without AccessKeyId and SecretAccessKey`, profile);
  }
  const expiration = typeof data.Expiration === 'string' ? new Date(data.Expiration) : undefined;
  if (expiration && !Number.isNaN(expiration.getTime()) && expiration.getTime() <= Date.now()) {
    throw new AwsCredentialsError(`${what} printed credentials that expired at ${expiration.toISOString()}`, profile);
  }
  return {
    accessKeyId: data.AccessKeyId,
    secretAccessKey: data.SecretAccessKey,
    ...(typeof data.SessionToken === 'string' ? { sessionToken: data.SessionToken } : {}),
    ...(expiration && !Number.isNaN(expiration.getTime()) ? { expiration } : {}),
    ...(typeof data.AccountId === 'string' ? { accountId: data.AccountId } : {}),
  };
}
