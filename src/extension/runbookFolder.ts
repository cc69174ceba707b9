// Where the workspace keeps its runbooks: `runbooks/` in the first workspace folder, or that
// folder itself when it is one (a person who opened their runbooks folder gets new runbooks
// beside the others, not in runbooks/runbooks/). New runbooks, copies of bundled ones and
// the sample go there. Plain TypeScript: tested in node.
import { basename, join } from 'node:path';

export const RUNBOOKS_FOLDER = 'runbooks';

export function workspaceRunbooksFolder(workspaceRoot: string): string {
  return basename(workspaceRoot.replace(/[\\/]+$/, '')) === RUNBOOKS_FOLDER ? workspaceRoot : join(workspaceRoot, RUNBOOKS_FOLDER);
}

/** `name.md`, else `name-2.md`, `name-3.md`…: the first file name `taken` does not hold. */
export async function freeFileName(base: string, taken: (name: string) => Promise<boolean>): Promise<string> {
  const stem = base.replace(/\.md$/i, '');
  let name = `${stem}.md`;
  for (let n = 2; await taken(name); n++) name = `${stem}-${n}.md`;
  return name;
}
