// Which Node.js the CLI runs on, said once where it helps (`trailbook --version`, the
// README) instead of on every run.
//
// The AWS SDK for JavaScript prints a six-line NodeVersionSupportWarning the first time
// a client is created under Node.js < 22 (every `trailbook run --source lookup` on Node
// 20). Nothing in it can be acted on in the middle of an incident, and it lands between
// the results on standard error, so the CLI turns it off with the SDK's own switch.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The Node.js major version AWS SDK releases after the first week of January 2027 require. */
export const SDK_NODE_MAJOR = 22;

/** The environment variable @aws-sdk/core reads (when a client is created) to skip the warning. */
export const SDK_WARNING_SWITCH = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';

/**
 * Turns the SDK's Node.js version warning off for this process, unless the user set the
 * switch themselves (to "false" to see the warning again). Child processes inherit it;
 * it only ever affects that one warning of the JavaScript SDK.
 */
export function quietSdkNodeVersionWarning(env: NodeJS.ProcessEnv = process.env): void {
  if (env[SDK_WARNING_SWITCH] === undefined) env[SDK_WARNING_SWITCH] = 'true';
}

/** What to do about an older Node.js, or undefined on a Node.js the SDK will keep supporting. */
export function nodeVersionNote(nodeVersion: string = process.version): string | undefined {
  const major = Number(/^v?(\d+)\./.exec(nodeVersion)?.[1]);
  if (!Number.isFinite(major) || major >= SDK_NODE_MAJOR) return undefined;
  return (
    `Node.js ${nodeVersion} works today, but AWS SDK releases published after the first week of January 2027 ` +
    `need Node.js ${SDK_NODE_MAJOR} or later: install Node.js ${SDK_NODE_MAJOR} before then to keep receiving ` +
    `Trailbook's updates with the SDK's fixes. (The SDK's own warning about this is not printed on every run.)`
  );
}

/**
 * Trailbook's version, from the package.json above this file: out/cli.js in a release or
 * an npm install, src/cli/ when run from the sources.
 */
export function trailbookVersion(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const { name, version } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
      if (name === 'trailbook' && version) return version;
    }
    if (dirname(dir) === dir) return 'unknown (no package.json of trailbook above the CLI)';
  }
}

/** `trailbook --version`: the version, the Node.js it runs on, and the note when there is one. */
export function versionText(nodeVersion: string = process.version): string {
  const note = nodeVersionNote(nodeVersion);
  return `trailbook ${trailbookVersion()} (Node.js ${nodeVersion})\n${note ? `${note}\n` : ''}`;
}
