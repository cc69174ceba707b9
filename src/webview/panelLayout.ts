// The sizes a person gives the results view (the run list open or folded and its width,
// the timeline's height, the detail pane's width, the run details unfolded), kept per
// panel in the webview's state so a reload or a hidden tab finds them as left, and
// bounded so that no pane is ever squeezed out of use. Pure: no DOM.

export interface PanelLayout {
  readonly runsOpen: boolean;
  readonly runsWidth: number;
  /** Pixels; 0 until the person moves the border: then a share of the panel's height (AUTO_TIMELINE_SHARE). */
  readonly timelineHeight: number;
  readonly detailWidth: number;
  readonly detailsOpen: boolean;
}

export const DEFAULT_LAYOUT: PanelLayout = { runsOpen: false, runsWidth: 220, timelineHeight: 0, detailWidth: 420, detailsOpen: false };

/** The timeline's share of the height until the person sets it: the picture and the rows about alike. */
export const AUTO_TIMELINE_SHARE = 0.45;

/** The smallest useful size of each part, in CSS pixels. */
export const MIN_SIZES = {
  runs: 150,
  /** A toolbar, the range caption and a plot with a few lanes. */
  timeline: 190,
  /** The header and four rows. */
  table: 110,
  detail: 260,
  /** What the table keeps beside the detail pane; narrower, the detail lies over it. */
  tableBeside: 320,
} as const;

/** The room the parts share: the run pane's size, the run list aside. */
export interface Room {
  readonly width: number;
  readonly height: number;
}

const clamp = (value: number, low: number, high: number): number => Math.max(low, Math.min(high, value));

/** `layout` with each size inside what `room` allows (the minimums win over the room when both cannot hold). */
export function fitLayout(layout: PanelLayout, room: Room): PanelLayout {
  return {
    runsOpen: layout.runsOpen,
    runsWidth: clamp(layout.runsWidth, MIN_SIZES.runs, Math.max(MIN_SIZES.runs, Math.min(400, room.width * 0.4))),
    timelineHeight: clamp(
      layout.timelineHeight > 0 ? layout.timelineHeight : Math.round(room.height * AUTO_TIMELINE_SHARE),
      MIN_SIZES.timeline,
      Math.max(MIN_SIZES.timeline, room.height - MIN_SIZES.table),
    ),
    detailWidth: clamp(layout.detailWidth, MIN_SIZES.detail, Math.max(MIN_SIZES.detail, room.width - MIN_SIZES.tableBeside)),
    detailsOpen: layout.detailsOpen,
  };
}

/** Whether the detail pane fits beside the table in this width, or lies over it. */
export function detailBeside(width: number): boolean {
  return width >= MIN_SIZES.detail + MIN_SIZES.tableBeside;
}

/** A layout read back from the webview's state: anything missing or malformed is the default. */
export function readLayout(saved: unknown): PanelLayout {
  const value = typeof saved === 'object' && saved !== null ? (saved as Record<string, unknown>) : {};
  const number = (key: keyof PanelLayout): number => {
    const v = value[key];
    return typeof v === 'number' && Number.isFinite(v) ? v : (DEFAULT_LAYOUT[key] as number);
  };
  const flag = (key: keyof PanelLayout): boolean => (typeof value[key] === 'boolean' ? (value[key] as boolean) : (DEFAULT_LAYOUT[key] as boolean));
  return { runsOpen: flag('runsOpen'), runsWidth: number('runsWidth'), timelineHeight: number('timelineHeight'), detailWidth: number('detailWidth'), detailsOpen: flag('detailsOpen') };
}
