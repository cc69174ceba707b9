// Where an investigation record goes: `investigations/YYYY-MM-DD-slug.md` in the workspace,
// named after the runbook's title. Never the runbook itself, never inside the extension's
// install folder (an update would wipe it, and evidence would name a path nobody has).
import { isAbsolute, join, relative, resolve } from 'node:path';
import { slugOf as slugText } from '../../runbook/slug';

export const INVESTIGATIONS_FOLDER = 'investigations';

/** `Access keys created without MFA!` → `access-keys-created-without-mfa`; at most 60 characters, never empty. */
export function slugOf(title: string): string {
  return slugText(title, 'investigation');
}

/** The record's file name for a day (UTC) and a title; `taken` says whether a name is in use (then -2, -3, …). */
export function recordFileName(at: Date, title: string, taken: (name: string) => boolean = () => false): string {
  const stem = `${at.toISOString().slice(0, 10)}-${slugOf(title)}`;
  for (let n = 1; ; n += 1) {
    const name = `${stem}${n === 1 ? '' : `-${n}`}.md`;
    if (!taken(name)) return name;
  }
}

const inside = (folder: string, path: string): boolean => {
  const rel = relative(resolve(folder), resolve(path));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/**
 * Why `recordPath` may not hold a record, or undefined when it may: it is the runbook, or it
 * is inside a folder that is not the person's (the extension's install folder).
 */
export function refuseRecordPath(
  recordPath: string,
  runbookPath: string | undefined,
  forbiddenFolders: readonly string[],
): string | undefined {
  if (!/\.md$/i.test(recordPath)) return `${recordPath} is not a Markdown file (.md): an investigation record is Markdown`;
  if (runbookPath !== undefined && resolve(recordPath) === resolve(runbookPath))
    return `${recordPath} is the runbook itself: an investigation is kept in its own file, the runbook stays as it is`;
  const folder = forbiddenFolders.find((f) => inside(f, recordPath));
  if (folder !== undefined)
    return `${recordPath} is inside the extension's install folder (${folder}), which an update replaces: keep investigations in the workspace`;
  return undefined;
}

/** The record's path in `workspace` for a new investigation. */
export function newRecordPath(workspace: string, at: Date, title: string, taken: (name: string) => boolean): string {
  return join(workspace, INVESTIGATIONS_FOLDER, recordFileName(at, title, taken));
}
