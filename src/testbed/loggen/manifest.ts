// manifest.json, written next to AWSLogs/: what was generated (seed, counts, range)
// and, for each injected attack, the eventIDs it produced, so tests and demos can
// check that a detection finds exactly those. It holds nothing machine-dependent
// (no wall-clock time, no compressed sizes): the same options give the same manifest.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

// Hidden, so that log readers (ours included) never take it for a log file.
export const MANIFEST_FILE = '.trailbook-manifest.json';
export const GENERATOR = 'trailbook-loggen';

export interface AttackManifest {
  name: string;
  description: string;
  account: string;
  principal: string;
  sourceIPAddress: string;
  firstEventTime: string;
  lastEventTime: string;
  eventIDs: string[];
  details?: Record<string, string>;
}

export interface Manifest {
  generator: typeof GENERATOR;
  formatVersion: 1;
  seed: number;
  events: number;
  backgroundEvents: number;
  attackEvents: number;
  files: number;
  /** The requested range [start, end): every eventTime lies inside it. */
  start: string;
  end: string;
  days: number;
  firstEventTime: string;
  lastEventTime: string;
  bursts: number;
  accounts: { id: string; name: string; alias: string }[];
  regions: string[];
  eventsBySource: Record<string, number>;
  attacks: AttackManifest[];
}

/** The manifest in `dir`, or undefined when there is none or it is not ours. */
export async function readManifest(dir: string): Promise<Manifest | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST_FILE), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const m = JSON.parse(text) as Partial<Manifest>;
    return m && m.generator === GENERATOR ? (m as Manifest) : undefined;
  } catch {
    return undefined;
  }
}
