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
  readonly lanes: Band;
  readonly laneHeight: number;
  readonly laneCount: number;
  readonly overview: Band;
}

const AXIS = 18;
const HISTOGRAM = 34;
const OVERVIEW = 26;
const GAP = 4;
export const MIN_LANE_HEIGHT = 11;
export const MAX_LANE_HEIGHT = 20;

/** How many lanes fit (the busiest get them; the rest go to "other"). */
export function lanesThatFit(height: number, cap = 30): number {
  const room = height - AXIS - HISTOGRAM - OVERVIEW - 3 * GAP;
  return Math.max(2, Math.min(cap, Math.floor(room / MIN_LANE_HEIGHT)));
}

export function timelineLayout(width: number, height: number, laneCount: number, gutter: number): TimelineLayout {
  const plotLeft = Math.min(gutter, Math.floor(width * 0.4));
  const plotWidth = Math.max(10, width - plotLeft - 10);
  const axis = { top: 0, height: AXIS };
  const histogram = { top: AXIS, height: HISTOGRAM };
  const overview = { top: height - OVERVIEW, height: OVERVIEW };
  const lanesTop = histogram.top + HISTOGRAM + GAP;
  const room = Math.max(0, overview.top - GAP - lanesTop);
  const laneHeight = laneCount === 0 ? MAX_LANE_HEIGHT : Math.max(4, Math.min(MAX_LANE_HEIGHT, Math.floor(room / laneCount)));
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
    overview,
  };
}

/** The lane under y, or -1. */
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
