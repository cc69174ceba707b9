// The runbook line in its repository, for a Slack link or a PagerDuty incident: from
// trailbook.notify.yaml's `link`, else from GitHub Actions' own variables. A path outside
// the working folder has no place in the repository, so it gets no link.
import { isAbsolute, relative, sep } from 'node:path';

export function repositoryBase(configured: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (configured) return configured;
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_SHA: sha } = env;
  if (server && repository && sha && /^https:\/\//.test(server) && /^[\w.-]+\/[\w.-]+$/.test(repository) && /^[0-9a-f]{40}$/.test(sha)) {
    return `${server}/${repository}/blob/${sha}`;
  }
  return undefined;
}

export function runbookLink(base: string | undefined, runbookPath: string, line: number, cwd: string = process.cwd()): string | undefined {
  if (!base) return undefined;
  const path = relative(cwd, runbookPath);
  if (path === '' || path.startsWith('..') || isAbsolute(path)) return undefined;
  const segments = path.split(sep).map((s) => encodeURIComponent(s));
  return `${base}/${segments.join('/')}#L${line}`;
}
