// The runbooks a person can reach: the workspace's and the bundled ones, read for their
// title, tags and description, and grouped by tag for the Runbooks view.
import type { Runbook } from '../runbook/types';

export type RunbookOrigin = 'workspace' | 'bundled';

export interface LibraryEntry {
  readonly path: string;
  readonly origin: RunbookOrigin;
  readonly title: string;
  readonly description?: string;
  readonly tags: readonly string[];
  readonly cells: number;
  readonly reviewed?: string;
}

export const UNTAGGED = '(no tag)';

export function libraryEntry(runbook: Runbook, origin: RunbookOrigin): LibraryEntry {
  return {
    path: runbook.path,
    origin,
    title: runbook.title,
    ...(runbook.description ? { description: runbook.description } : {}),
    tags: runbook.tags,
    cells: runbook.cells.length,
    ...(runbook.reviewed ? { reviewed: runbook.reviewed } : {}),
  };
}

/** Tag → runbooks, tags sorted, each runbook under every tag it has; titles sorted within a tag. */
export function groupByTag(entries: readonly LibraryEntry[]): Map<string, LibraryEntry[]> {
  const groups = new Map<string, LibraryEntry[]>();
  for (const entry of entries) {
    for (const tag of entry.tags.length > 0 ? entry.tags : [UNTAGGED]) {
      let group = groups.get(tag);
      if (!group) groups.set(tag, (group = []));
      group.push(entry);
    }
  }
  const sorted = [...groups.entries()].sort(([a], [b]) => (a === UNTAGGED ? 1 : b === UNTAGGED ? -1 : a.localeCompare(b)));
  return new Map(sorted.map(([tag, list]) => [tag, list.sort((x, y) => x.title.localeCompare(y.title) || x.path.localeCompare(y.path))]));
}

/** Every word of the query appears in the title, a tag, the description or the path. */
export function matchesQuery(entry: LibraryEntry, query: string): boolean {
  const haystack = [entry.title, entry.description ?? '', entry.path, ...entry.tags].join(' ').toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word));
}
