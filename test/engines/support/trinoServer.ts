// A real Trino server for the suite: scripts/trino-setup.sh installs it (once per machine)
// and writes a one-node loopback configuration on a free port; this starts it in the
// foreground as a child process (the launcher's `run` replaces itself with the JVM, so the
// child's pid is the server's) and stops it by that pid.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { TrinoClient } from '../../../src/sources/trino/client';

const SETUP = resolve(__dirname, '../../../scripts/trino-setup.sh');
const STARTUP_TIMEOUT_MS = 240_000;

export interface InstallResult {
  readonly trinoHome: string;
  readonly javaHome: string;
  readonly version: string;
  readonly ms: number;
}

export interface RunningTrino {
  readonly url: string;
  readonly version: string;
  readonly startupMs: number;
  readonly logFile: string;
  stop(): Promise<void>;
}

/** A port nobody listens on now, on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

/** Runs the setup script (install if needed, configure `work`); its log goes to our stderr. */
export function installAndConfigure(work: string, port: number): InstallResult {
  const started = Date.now();
  const result = spawnSync('bash', [SETUP, '--etc', join(work, 'etc'), '--port', String(port), '--data', join(work, 'data')], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (result.status !== 0)
    throw new Error(`scripts/trino-setup.sh failed (exit ${result.status ?? result.signal}); its messages are above`);
  const values = Object.fromEntries(
    result.stdout
      .split('\n')
      .map((line) => /^([A-Z_]+)=(.*)$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1], m[2]]),
  );
  if (!values.TRINO_HOME || !values.JAVA_HOME) throw new Error(`scripts/trino-setup.sh printed no TRINO_HOME/JAVA_HOME: ${result.stdout}`);
  return { trinoHome: values.TRINO_HOME, javaHome: values.JAVA_HOME, version: values.TRINO_VERSION ?? '?', ms: Date.now() - started };
}

const tail = (file: string, lines = 30): string => {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
};

/** Starts the configured server and waits until it accepts queries. */
export async function startTrino(work: string, port: number, install: InstallResult): Promise<RunningTrino> {
  const started = Date.now();
  const logFile = join(work, 'server.log');
  const log = openSync(logFile, 'w');
  const child: ChildProcess = spawn(
    join(install.trinoHome, 'bin/launcher'),
    ['run', '-etc-dir', join(work, 'etc'), '-data-dir', join(work, 'data')],
    {
      env: { ...process.env, JAVA_HOME: install.javaHome, PATH: `${install.javaHome}/bin:${process.env.PATH ?? ''}` },
      stdio: ['ignore', log, log],
    },
  );
  closeSync(log);
  let exited: string | undefined;
  const exit = new Promise<void>((done) =>
    child.once('exit', (code, signal) => {
      exited = `exit ${code ?? signal}`;
      done();
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exit;
    clearTimeout(timer);
  };
  // Stop the server if this process is interrupted while it runs.
  const onSignal = (): void => {
    child.kill('SIGKILL');
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  for (;;) {
    if (exited) throw new Error(`Trino stopped while starting (${exited}); the end of ${logFile}:\n${tail(logFile)}`);
    if (Date.now() - started > STARTUP_TIMEOUT_MS) {
      await stop();
      throw new Error(`Trino did not start within ${STARTUP_TIMEOUT_MS / 1000} s; the end of ${logFile}:\n${tail(logFile)}`);
    }
    try {
      const info = (await (await fetch(`${url}/v1/info`, { signal: AbortSignal.timeout(2000) })).json()) as { starting?: boolean };
      if (info.starting === false) break;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  // `starting: false` comes before the node has announced itself to the coordinator's
  // discovery (a few seconds later); a query in between fails with NO_NODES_AVAILABLE.
  // A query over the node table runs only once a node is active, so wait for that.
  const client = new TrinoClient({ server: url, user: 'trailbook-conformance' });
  for (;;) {
    if (exited) throw new Error(`Trino stopped while starting (${exited}); the end of ${logFile}:\n${tail(logFile)}`);
    if (Date.now() - started > STARTUP_TIMEOUT_MS) {
      await stop();
      throw new Error(
        `Trino started but no node became active within ${STARTUP_TIMEOUT_MS / 1000} s; the end of ${logFile}:\n${tail(logFile)}`,
      );
    }
    try {
      const nodes = await client.query("SELECT count(*) FROM system.runtime.nodes WHERE state = 'active'");
      if (Number(nodes.rows[0]?.[0]) > 0) break;
    } catch (error) {
      if (!/NO_NODES_AVAILABLE/.test((error as Error).message)) throw error;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return { url, version: install.version, startupMs: Date.now() - started, logFile, stop };
}
