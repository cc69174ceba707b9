// The sizes a person gives the results view (the run list open or folded and its width,
// the timeline's height, the detail pane's width, the run details unfolded, the widths
// given to columns by name), kept per
// panel in the webview's state so a reload or a hidden tab finds them as left, and
// bounded so that no pane is ever squeezed out of use. Pure: no DOM.

export interface PanelLayout {
  readonly runsOpen: boolean;
  readonly runsWidth: number;
  /** Pixels; 0 until the person moves the border: then a share of the panel's height (AUTO_TIMELINE_SHARE). */
  readonly timelineHeight: number;
  readonly detailWidth: number;
  readonly detailsOpen: boolean;
  /** Widths a person gave columns, by column name: a column of that name in any later result starts there. */
  readonly columnWidths: Readonly<Record<string, number>>;
}

export const DEFAULT_LAYOUT: PanelLayout = {
  runsOpen: false,
  runsWidth: 220,
  timelineHeight: 0,
  detailWidth: 420,
  detailsOpen: false,
  columnWidths: {},
};

/** Column widths remembered at most: the names a person resized last win. */
export const MAX_REMEMBERED_COLUMNS = 100;

/** `widths` with `name` set to `px` (moved to the end: the most recent), the oldest dropped past the bound. */
export function withColumnWidth(widths: Readonly<Record<string, number>>, name: string, px: number): Record<string, number> {
  const entries = Object.entries(widths).filter(([key]) => key !== name);
  entries.push([name, Math.round(px)]);
  return Object.fromEntries(entries.slice(-MAX_REMEMBERED_COLUMNS));
}

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
    columnWidths: layout.columnWidths,
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
  const flag = (key: keyof PanelLayout): boolean =>
    typeof value[key] === 'boolean' ? (value[key] as boolean) : (DEFAULT_LAYOUT[key] as boolean);
  // Saved state is the page's own, but a name is still only a key: kept in a map without a prototype.
  const columnWidths: Record<string, number> = Object.create(null);
  const savedWidths = value.columnWidths;
  if (typeof savedWidths === 'object' && savedWidths !== null && !Array.isArray(savedWidths)) {
    for (const [name, px] of Object.entries(savedWidths).slice(-MAX_REMEMBERED_COLUMNS)) {
      if (typeof px === 'number' && Number.isFinite(px) && px > 0 && px <= 4000) columnWidths[name] = Math.round(px);
    }
  }
  return {
    runsOpen: flag('runsOpen'),
    runsWidth: number('runsWidth'),
    timelineHeight: number('timelineHeight'),
    detailWidth: number('detailWidth'),
    detailsOpen: flag('detailsOpen'),
    columnWidths: { ...columnWidths },
  };
}
