// The runbooks a person can reach: the workspace's and the bundled ones, read for their
// title, tags and description, and grouped for the Runbooks view by what a responder looks
// for: the ATT&CK tactic (its name, in the order an intrusion goes), then the runbook.
import type { Runbook } from '../runbook/types';
import { isTechniqueId, TACTICS, techniqueName } from './attackNames';

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

export interface TacticGroup {
  /** The tactic tag (`defense-evasion`), or `investigation` / `other` for runbooks without one. */
  readonly key: string;
  /** `Defense Evasion` */
  readonly name: string;
  readonly entries: readonly LibraryEntry[];
}

const GENERAL = { key: 'investigation', name: 'Investigation and pivots' } as const;
const OTHER = { key: 'other', name: 'Other runbooks' } as const;
const TACTIC_BY_TAG = new Map(TACTICS.map((tactic, index) => [tactic.tag, { ...tactic, index }]));

/** The tactic a runbook is listed under: the first tactic among its tags, in the author's order. */
export function primaryTactic(entry: LibraryEntry): { readonly key: string; readonly name: string } {
  for (const tag of entry.tags) {
    const tactic = TACTIC_BY_TAG.get(tag.toLowerCase());
    if (tactic) return { key: tactic.tag, name: tactic.name };
  }
  return entry.tags.some((tag) => /^(investigation|pivot|triage)$/i.test(tag)) ? GENERAL : OTHER;
}

/**
 * Each runbook once, under its primary tactic; tactics in ATT&CK's order, then the general
 * investigations, then the rest; titles sorted within a group. A bundled runbook the
 * workspace holds a copy of (same file name) is left out: the copy is the one to open.
 */
export function groupByTactic(entries: readonly LibraryEntry[]): TacticGroup[] {
  const groups = new Map<string, { name: string; entries: LibraryEntry[] }>();
  for (const entry of withoutCopiedBundled(entries)) {
    const tactic = primaryTactic(entry);
    let group = groups.get(tactic.key);
    if (!group) groups.set(tactic.key, (group = { name: tactic.name, entries: [] }));
    group.entries.push(entry);
  }
  const rank = (key: string): number => TACTIC_BY_TAG.get(key)?.index ?? (key === GENERAL.key ? TACTICS.length : TACTICS.length + 1);
  return [...groups.entries()]
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([key, group]) => ({
      key,
      name: group.name,
      entries: group.entries.sort((x, y) => x.title.localeCompare(y.title) || x.path.localeCompare(y.path)),
    }));
}

/** The entries without the bundled runbooks the workspace holds a copy of (same file name): the copy is the one to open. */
export function withoutCopiedBundled(entries: readonly LibraryEntry[]): LibraryEntry[] {
  const fileName = (path: string): string => path.split(/[\\/]/).pop()!.toLowerCase();
  const copied = new Set(entries.filter((e) => e.origin === 'workspace').map((e) => fileName(e.path)));
  return entries.filter((entry) => !(entry.origin === 'bundled' && copied.has(fileName(entry.path))));
}

/** The ATT&CK techniques a runbook is tagged with, by name: `Disable or Modify Cloud Logs (T1562.008)`. */
export function techniqueNames(entry: LibraryEntry): string[] {
  return entry.tags.filter(isTechniqueId).map(techniqueName);
}

/** Every word of the query appears in the title, a tag (or its ATT&CK name), the description or the path. */
export function matchesQuery(entry: LibraryEntry, query: string): boolean {
  const haystack = [entry.title, entry.description ?? '', entry.path, ...entry.tags, ...techniqueNames(entry), primaryTactic(entry).name]
    .join(' ')
    .toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word));
}
