// VS Code 1.100 as shipped in code-server 4.100.3 (installed by scripts/e2e-setup.sh),
// with the packaged extension installed into throwaway folders and served on loopback.
// See /work/shared/notes/real-vscode-e2e.md for why it is done this way on machines
// without access to Microsoft's download servers.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const CODE_SERVER_VERSION = '4.100.3';

/** The same folder scripts/e2e-setup.sh installs into. */
export function codeServerBin(): string {
  const home = process.env.TRAILBOOK_E2E_HOME || join(homedir(), '.cache/trailbook-e2e');
  const dir = join(home, `code-server-${CODE_SERVER_VERSION}`);
  const bin = join(dir, 'node_modules/.bin/code-server');
  if (!existsSync(join(dir, '.trailbook-installed')) || !existsSync(bin)) {
    throw new Error(`code-server ${CODE_SERVER_VERSION} is not installed in ${dir}: run bash scripts/e2e-setup.sh (npm run test:e2e does)`);
  }
  return bin;
}

export interface Profile {
  /** --user-data-dir: settings, state, logs. */
  readonly dataDir: string;
  /** --extensions-dir: only the extension under test. */
  readonly extensionsDir: string;
  /** The folder opened in the workbench. */
  readonly workspace: string;
}

export function makeProfile(root: string): Profile {
  const profile = { dataDir: join(root, 'data'), extensionsDir: join(root, 'extensions'), workspace: join(root, 'workspace') };
  for (const dir of Object.values(profile)) mkdirSync(dir, { recursive: true });
  return profile;
}

/**
 * Isolates code-server's own config (~/.config/code-server) from the person's, and the
 * extension host from the person's AWS settings: no AWS_* variable of the test process
 * reaches it, only those in `extra` (a throwaway AWS config folder).
 */
function environment(root: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
  return { ...inherited, XDG_CONFIG_HOME: join(root, 'xdg-config'), XDG_DATA_HOME: join(root, 'xdg-data'), ...extra };
}

export function installExtension(bin: string, profile: Profile, vsix: string, root: string, id: string): void {
  // A folder copied into the extensions dir is ignored: the VSIX must be installed.
  const result = spawnSync(
    bin,
    ['--user-data-dir', profile.dataDir, '--extensions-dir', profile.extensionsDir, '--install-extension', vsix],
    { encoding: 'utf8', env: environment(root), timeout: 120_000 },
  );
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0 || !/successfully installed/i.test(output)) {
    throw new Error(`code-server --install-extension ${vsix} failed (${result.error?.message ?? `exit ${result.status}`}):\n${output}`);
  }
  const listed = spawnSync(bin, ['--user-data-dir', profile.dataDir, '--extensions-dir', profile.extensionsDir, '--list-extensions'], {
    encoding: 'utf8',
    env: environment(root),
    timeout: 60_000,
  });
  if (!listed.stdout?.split('\n').some((line) => line.trim().toLowerCase() === id)) {
    throw new Error(`${id} is not among the installed extensions after installing ${vsix}: ${listed.stdout}${listed.stderr}`);
  }
}

export function writeUserSettings(profile: Profile, settings: Record<string, unknown>): void {
  const dir = join(profile.dataDir, 'User');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface RunningServer {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/**
 * Starts code-server on 127.0.0.1 and resolves once it answers its health check. `env` is
 * added to its environment (and so to the extension host's), such as AWS_CONFIG_FILE.
 */
export async function startCodeServer(
  bin: string,
  profile: Profile,
  root: string,
  logFile: string,
  env: NodeJS.ProcessEnv = {},
): Promise<RunningServer> {
  const port = await freePort();
  const log = createWriteStream(logFile);
  const child: ChildProcess = spawn(
    bin,
    [
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--user-data-dir',
      profile.dataDir,
      '--extensions-dir',
      profile.extensionsDir,
      profile.workspace,
    ],
    // Its own process group, so stopping it also stops the extension host and the
    // other processes it forks.
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: environment(root, env) },
  );
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const pid = child.pid!;
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `exited with ${code ?? signal}`));
  // Detached, it would outlive a test process that is killed (a runner's timeout, ^C):
  // take its group down on the way out in every case.
  const killOnExit = (): void => signalGroup(pid, 'SIGKILL');
  process.once('exit', killOnExit);
  const onSignal = (signal: NodeJS.Signals): void => {
    killOnExit();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const stop = async (): Promise<void> => {
    if (exited === undefined) {
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      signalGroup(pid, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), 5_000);
      await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      clearTimeout(timer);
    }
    // Whatever it forked and left behind in its group goes too.
    signalGroup(pid, 'SIGKILL');
    process.off('exit', killOnExit);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    log.end();
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited !== undefined) {
      await stop();
      throw new Error(`code-server ${exited} before it answered; see ${logFile}`);
    }
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer on ${url} within 60 s; see ${logFile}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { url, pid, stop };
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}
