// Which rows of a long list are worth putting in the DOM: those in view, plus a margin
// so a short scroll needs no new rows. Pure: no DOM, shared by every virtualised list.

export interface Viewport {
  readonly scrollTop: number;
  readonly height: number;
  /** Pixels above the first row inside the scrolled content (a sticky header). */
  readonly offset: number;
  readonly rowHeight: number;
  readonly total: number;
  /** Extra rows kept above and below the visible ones. */
  readonly overscan: number;
}

/** Half-open range of row positions [first, end). */
export interface RowRange {
  readonly first: number;
  readonly end: number;
}

export function visibleRows(view: Viewport): RowRange {
  if (view.total === 0 || view.rowHeight <= 0) return { first: 0, end: 0 };
  const top = Math.max(0, view.scrollTop - view.offset);
  const first = Math.max(0, Math.floor(top / view.rowHeight) - view.overscan);
  const inView = Math.ceil(Math.max(view.height, view.rowHeight) / view.rowHeight) + 1;
  const end = Math.min(view.total, Math.floor(top / view.rowHeight) + inView + view.overscan);
  return { first: Math.min(first, end), end };
}

/** The scrollTop that shows row `position` fully, moving as little as possible. */
export function scrollToShow(view: Viewport, position: number): number {
  const rowTop = view.offset + position * view.rowHeight;
  const visibleTop = view.scrollTop + view.offset;
  if (rowTop < visibleTop) return rowTop - view.offset;
  const rowBottom = rowTop + view.rowHeight;
  if (rowBottom > view.scrollTop + view.height) return rowBottom - view.height;
  return view.scrollTop;
}
