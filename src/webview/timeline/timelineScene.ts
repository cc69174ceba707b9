// What the timeline draws this frame: which runs, their lanes, and the time bounds.
// One run grouped by a dimension, or (the investigation view) several runs of one
// runbook, one lane and one colour per cell, so the story reads left to right.
// Pure: no DOM.
import type { ResultValue } from '../../protocol/results';
import { topLanes, type Lane, type LaneDimension } from './laneGrouping';
import type { RunEvents } from './runEvents';
import { paddedBounds, type TimeRange } from './timeScale';

export interface SceneRun {
  readonly runId: string;
  /** The cell id: the lane label in the investigation view. */
  readonly cellId: string;
  readonly rows: readonly (readonly ResultValue[])[];
  readonly events: RunEvents;
}

export interface SceneSource {
  readonly runId: string;
  readonly events: RunEvents;
  /** Key id of each row, and the lane of each key id; absent when the whole run is one lane. */
  readonly keyIds?: Int32Array;
  readonly laneOfKey?: Int32Array;
  readonly lane: number;
  /** Colour by run (investigation view) rather than by outcome. */
  readonly runColour?: number;
  /** Global id of this source's row 0 (hit-testing refers to events by global id). */
  readonly offset: number;
}

export interface Scene {
  readonly sources: readonly SceneSource[];
  readonly lanes: readonly Lane[];
  /** The events' extent, padded; undefined before any event has a time. */
  readonly bounds: TimeRange | undefined;
  /** Events with a time. */
  readonly placed: number;
  readonly missingTime: number;
}

export function singleRunScene(run: SceneRun, dimension: LaneDimension | undefined, laneLimit: number): Scene {
  const events = run.events;
  if (dimension === undefined) {
    return finish([{ runId: run.runId, events, lane: 0, offset: 0 }], [{ label: run.cellId, count: events.length, isOther: false }], [run]);
  }
  const keys = events.laneKeys(dimension, run.rows);
  const layout = topLanes(keys.names, keys.counts, laneLimit);
  return finish([{ runId: run.runId, events, keyIds: keys.ids, laneOfKey: layout.laneOfKey, lane: 0, offset: 0 }], layout.lanes, [run]);
}

/** `runs` in the order they ran: earlier cells get the upper lanes. */
export function investigationScene(runs: readonly SceneRun[]): Scene {
  const sources: SceneSource[] = [];
  const lanes: Lane[] = [];
  let offset = 0;
  runs.forEach((run, index) => {
    sources.push({ runId: run.runId, events: run.events, lane: index, runColour: index, offset });
    lanes.push({ label: run.cellId, count: run.events.length, isOther: false });
    offset += run.events.length;
  });
  return finish(sources, lanes, runs);
}

function finish(sources: SceneSource[], lanes: readonly Lane[], runs: readonly SceneRun[]): Scene {
  let first = Infinity;
  let last = -Infinity;
  let missingTime = 0;
  let placed = 0;
  for (const run of runs) {
    first = Math.min(first, run.events.first);
    last = Math.max(last, run.events.last);
    missingTime += run.events.missingTime;
    placed += run.events.length - run.events.missingTime;
  }
  return { sources, lanes, bounds: first <= last ? paddedBounds(first, last) : undefined, placed, missingTime };
}

/** The lane an event of `source` is in. */
export function laneOf(source: SceneSource, row: number): number {
  return source.keyIds === undefined || source.laneOfKey === undefined ? source.lane : source.laneOfKey[source.keyIds[row]!]!;
}

/** The source and row of a global event id (see SceneSource.offset). */
export function eventAt(scene: Scene, id: number): { readonly source: SceneSource; readonly row: number } | undefined {
  // The last source that starts at or before the id holds it.
  for (const source of [...scene.sources].reverse()) {
    if (id >= source.offset) return id - source.offset < source.events.length ? { source, row: id - source.offset } : undefined;
  }
  return undefined;
}
