// The overview band's brush: the span in view left clear and outlined, the rest shaded, and the label.
// Both timelines draw it (the one over rows in the webview and the one over a result the
// host keeps), each over its own histogram.
import type { TimelineColours } from './timelineColours';
import type { TimelineLayout } from './timelineLayout';
import type { TimeRange } from './timeScale';

export function drawOverviewBrush(
  ctx: CanvasRenderingContext2D,
  layout: TimelineLayout,
  range: TimeRange,
  bounds: TimeRange,
  colours: TimelineColours,
): void {
  const band = layout.overview;
  const scale = layout.plotWidth / (bounds.end - bounds.start);
  const x0 = layout.plotLeft + (range.start - bounds.start) * scale;
  const x1 = layout.plotLeft + (range.end - bounds.start) * scale;
  ctx.fillStyle = colours.shade;
  ctx.fillRect(layout.plotLeft, band.top, Math.max(0, x0 - layout.plotLeft), band.height);
  ctx.fillRect(x1, band.top, Math.max(0, layout.plotLeft + layout.plotWidth - x1), band.height);
  ctx.fillStyle = colours.brush;
  ctx.fillRect(x0, band.top, Math.max(2, x1 - x0), band.height);
  ctx.strokeStyle = colours.write;
  ctx.lineWidth = 1;
  ctx.strokeRect(Math.round(x0) + 0.5, band.top + 0.5, Math.max(2, Math.round(x1 - x0)), band.height - 1);
  ctx.fillStyle = colours.muted;
  ctx.textAlign = 'right';
  ctx.fillText('overview', layout.plotLeft - 6, band.top + band.height / 2);
}
