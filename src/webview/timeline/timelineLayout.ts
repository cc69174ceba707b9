// Where each part of the timeline goes inside the canvas, in CSS pixels: the label
// gutter at the left; top to bottom the time axis, the histogram, the lanes and the
// overview strip with its brush. Pure: no DOM.

export interface Band {
  readonly top: number;
  readonly height: number;
}

export interface TimelineLayout {
  readonly width: number;
  readonly height: number;
  /** Plot area, right of the label gutter. */
  readonly plotLeft: number;
  readonly plotWidth: number;
  readonly axis: Band;
  readonly histogram: Band;
  /** The lanes shown (they scroll when there are more than fit). */
  readonly lanes: Band;
  readonly laneHeight: number;
  /** Lanes shown: firstLane … firstLane + laneCount - 1 of totalLanes. */
  readonly laneCount: number;
  readonly firstLane: number;
  readonly totalLanes: number;
  readonly overview: Band;
}

const AXIS = 18;
const HISTOGRAM = 34;
const OVERVIEW = 26;
const GAP = 4;
/** The lane labels' font size (timelinePainter.ts); a lane is never shorter than its label with a pixel above and below. */
export const LABEL_FONT_PX = 11;
export const MIN_LANE_HEIGHT = 15;
export const MAX_LANE_HEIGHT = 22;

function laneRoom(height: number): number {
  return Math.max(0, height - AXIS - HISTOGRAM - OVERVIEW - 3 * GAP);
}

/** How many lanes fit at their minimum height (the busiest get them; the rest go to "other", or scroll when expanded). */
export function lanesThatFit(height: number, cap = 30): number {
  return Math.max(2, Math.min(cap, Math.floor(laneRoom(height) / MIN_LANE_HEIGHT)));
}

/** The first lane shown when the user scrolled to `wanted`: never past the last screenful. */
export function clampFirstLane(wanted: number, totalLanes: number, height: number): number {
  const shown = Math.max(1, Math.floor(laneRoom(height) / MIN_LANE_HEIGHT));
  return Math.max(0, Math.min(Math.round(wanted), totalLanes - shown));
}

export function timelineLayout(width: number, height: number, totalLanes: number, gutter: number, firstLane = 0): TimelineLayout {
  const plotLeft = Math.min(gutter, Math.floor(width * 0.4));
  const plotWidth = Math.max(10, width - plotLeft - 10);
  const axis = { top: 0, height: AXIS };
  const histogram = { top: AXIS, height: HISTOGRAM };
  const overview = { top: height - OVERVIEW, height: OVERVIEW };
  const lanesTop = histogram.top + HISTOGRAM + GAP;
  const room = Math.max(0, overview.top - GAP - lanesTop);
  const first = Math.max(0, Math.min(firstLane, totalLanes - 1));
  // As many lanes as fit at their minimum height; the rest scroll (or were folded into "other").
  const laneCount = Math.max(0, Math.min(totalLanes - first, Math.max(1, Math.floor(room / MIN_LANE_HEIGHT))));
  const laneHeight = laneCount === 0 ? MAX_LANE_HEIGHT : Math.max(MIN_LANE_HEIGHT, Math.min(MAX_LANE_HEIGHT, Math.floor(room / laneCount)));
  return {
    width,
    height,
    plotLeft,
    plotWidth,
    axis,
    histogram,
    lanes: { top: lanesTop, height: laneHeight * laneCount },
    laneHeight,
    laneCount,
    firstLane: laneCount === 0 ? 0 : first,
    totalLanes,
    overview,
  };
}

/** The lane under y, counted among the lanes shown (add firstLane for the scene's lane), or -1. */
export function laneAtY(layout: TimelineLayout, y: number): number {
  const lane = Math.floor((y - layout.lanes.top) / layout.laneHeight);
  return lane >= 0 && lane < layout.laneCount ? lane : -1;
}

export type Region = 'axis' | 'histogram' | 'lanes' | 'overview' | 'gutter' | 'none';

export function regionAt(layout: TimelineLayout, x: number, y: number): Region {
  if (y >= layout.overview.top && y < layout.overview.top + layout.overview.height) return x >= layout.plotLeft ? 'overview' : 'none';
  if (x < layout.plotLeft) return 'gutter';
  if (y < layout.histogram.top) return 'axis';
  if (y < layout.histogram.top + layout.histogram.height) return 'histogram';
  if (y >= layout.lanes.top && y < layout.lanes.top + layout.lanes.height) return 'lanes';
  return 'none';
}
