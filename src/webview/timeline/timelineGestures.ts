// What the keyboard and the wheel do to the span in view, the same for the timeline over
// rows in the webview and the one over a result the host keeps: + and − zoom, arrows pan,
// 0 and Home show everything; the wheel pans sideways and zooms around the time under the
// pointer (over the overview, a time of the whole span).
import { regionAt, type TimelineLayout } from './timelineLayout';
import { panBy, span, wheelFactor, xToTime, zoomAround, type TimeRange } from './timeScale';

/** The span a key moves to (undefined: everything), or 'none' for a key that moves nothing. */
export function keyMove(key: string, range: TimeRange, bounds: TimeRange): TimeRange | undefined | 'none' {
  const middle = (range.start + range.end) / 2;
  switch (key) {
    case '+':
    case '=':
      return zoomAround(range, middle, 0.5, bounds);
    case '-':
      return zoomAround(range, middle, 2, bounds);
    case 'ArrowLeft':
      return panBy(range, -span(range) / 5, bounds);
    case 'ArrowRight':
      return panBy(range, span(range) / 5, bounds);
    case '0':
    case 'Home':
      return undefined;
    default:
      return 'none';
  }
}

/** The span a wheel turn at (x, y) moves to. */
export function wheelMove(
  event: { readonly deltaX: number; readonly deltaY: number },
  x: number,
  y: number,
  layout: TimelineLayout,
  range: TimeRange,
  bounds: TimeRange,
): TimeRange {
  if (Math.abs(event.deltaX) > Math.abs(event.deltaY)) return panBy(range, (event.deltaX / layout.plotWidth) * span(range), bounds);
  // Over the overview the pointer points into all of time, elsewhere into the span in view.
  const anchor =
    regionAt(layout, x, y) === 'overview'
      ? xToTime(x, bounds, layout.plotLeft, layout.plotWidth)
      : x >= layout.plotLeft
        ? xToTime(x, range, layout.plotLeft, layout.plotWidth)
        : (range.start + range.end) / 2;
  return zoomAround(range, anchor, wheelFactor(event.deltaY), bounds);
}
