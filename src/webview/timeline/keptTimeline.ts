// The timeline of a result kept by the host: the overview and the histogram are the host's
// bins, and once the span in view holds few enough events they are drawn as marks, one
// lane, red where the call failed. Words in the filter box narrow it as they narrow the
// table: the host counts and gives only the rows they keep. Wheel zooms around the cursor, drag pans, the overview
// moves the range, double-click or 0 shows everything. Each frame paints only what it
// holds (a few thousand bars or marks) and asks the host for what the new range wants
// (keptSpan.ts), so a million events zoom as fast as a hundred.
import { h, setText } from '../dom';
import type { PostToHost } from '../hostApi';
import type { KeptHostMessage, KeptSummary } from '../../protocol/keptResult';
import { plural } from '../../protocol/plural';
import { eventsAtMost, KeptSpan } from './keptSpan';
import { axisTicks, formatInstant, formatSpan, tickLabel } from './timeAxis';
import { readTimelineColours, watchTheme, type TimelineColours } from './timelineColours';
import { publishPaint } from './timelineDebug';
import { regionAt, timelineLayout, type TimelineLayout } from './timelineLayout';
import { drawOverviewBrush } from './overviewBrush';
import { compact } from './timelinePainter';
import { keyMove, wheelMove } from './timelineGestures';
import { clampRange, panBy, span, xToTime, type TimeRange } from './timeScale';

const GUTTER = 140;
/** A click this close (px) to a mark picks it. */
const HIT_RADIUS = 6;

export class KeptTimeline {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly frame: HTMLElement;
  private readonly status: HTMLElement;
  private span: KeptSpan | undefined;
  private range: TimeRange | undefined;
  private layout: TimelineLayout | undefined;
  private colours: TimelineColours | undefined;
  private size = { width: 0, height: 0 };
  private paintPending = false;
  private drag: { readonly x: number; readonly range: TimeRange; readonly overview: boolean; moved: boolean } | undefined;
  /** The row selected (in the table or here), by its place in the result. */
  private selectedRow: number | undefined;
  /** The filter box's words: the host's bins and marks are of the rows they keep. */
  private filter: readonly string[] = [];

  /** @param onPick a mark was clicked: its row, by its place in the whole result. */
  constructor(
    private readonly post: PostToHost,
    private readonly onPick: (row: number) => void = () => undefined,
  ) {
    this.canvas = h('canvas', {
      className: 'timeline-canvas',
      attrs: {
        'data-testid': 'kept-timeline-canvas',
        role: 'img',
        tabindex: '0',
        'aria-label': 'Timeline of the events, counted by the host: + and − zoom, arrows pan, 0 shows everything',
      },
    });
    this.frame = h('div', { className: 'timeline-frame' }, this.canvas);
    this.status = h('div', { className: 'timeline-status', attrs: { 'data-testid': 'kept-timeline-status', 'aria-live': 'polite' } });
    this.element = h(
      'section',
      { className: 'timeline kept-timeline', attrs: { 'data-testid': 'kept-timeline', 'aria-label': 'Timeline' } },
      this.status,
      this.frame,
    );
    this.element.hidden = true;
    new ResizeObserver((entries) => {
      const box = entries.at(-1)?.contentRect;
      if (box === undefined) return;
      this.size = { width: box.width, height: box.height };
      this.requestPaint();
    }).observe(this.frame);
    watchTheme(() => {
      this.colours = undefined;
      this.requestPaint();
    });
    this.listen();
  }

  /** Shows the kept result of `runId` (a new one starts zoomed out), or hides when undefined. */
  show(runId: string | undefined, summary: KeptSummary | undefined): void {
    this.element.hidden = summary === undefined;
    if (runId === undefined || summary === undefined) {
      this.span = undefined;
      return;
    }
    if (this.span?.runId === runId && this.span.summary === summary) return;
    this.span = new KeptSpan(runId, summary);
    this.span.setFilter(this.filter);
    this.range = undefined;
    this.requestPaint();
  }

  /** The filter box's words (the table lists the rows they keep; the timeline draws those). Cheap when unchanged. */
  setFilter(words: readonly string[]): void {
    this.filter = words;
    if (this.span?.setFilter(words) === true) this.requestPaint();
  }

  /** The row selected in the table: its mark is outlined when drawn. */
  select(row: number | undefined): void {
    if (row === this.selectedRow) return;
    this.selectedRow = row;
    this.requestPaint();
  }

  /** A host answer about a kept result. */
  receive(message: KeptHostMessage): void {
    if (this.span?.receive(message) === true) this.requestPaint();
  }

  private requestPaint(): void {
    if (this.paintPending) return;
    this.paintPending = true;
    requestAnimationFrame(() => {
      this.paintPending = false;
      this.paint();
    });
  }

  private setRange(range: TimeRange | undefined): void {
    const bounds = this.span?.bounds;
    this.range = range === undefined || bounds === undefined || span(range) >= span(bounds) - 1 ? undefined : clampRange(range, bounds);
    this.requestPaint();
  }

  private paint(): void {
    const kept = this.span;
    if (kept === undefined || this.element.hidden) return;
    const started = performance.now();
    const bounds = kept.bounds;
    const summary = kept.summary;
    const missing =
      summary.missingTime === 0
        ? ''
        : ` · ${plural(summary.missingTime, 'row')} without a time ${summary.missingTime === 1 ? 'is' : 'are'} not on the timeline`;
    if (bounds === undefined) {
      this.frame.hidden = true;
      setText(this.status, `${plural(summary.rowCount, 'row')}, none with a readable time: nothing to place on the timeline.`);
      return;
    }
    this.frame.hidden = false;
    if (this.size.width === 0) {
      const box = this.frame.getBoundingClientRect();
      this.size = { width: box.width, height: box.height };
    }
    const { width, height } = this.size;
    if (width < 50 || height < 50) return;
    const range = this.range ?? bounds;
    const layout = timelineLayout(width, height, 1, Math.min(GUTTER, width * 0.3));
    this.layout = layout;
    for (const request of kept.requests(range, layout.plotWidth)) this.post(request);
    const dpr = window.devicePixelRatio || 1;
    if (this.canvas.width !== Math.round(width * dpr) || this.canvas.height !== Math.round(height * dpr)) {
      this.canvas.width = Math.round(width * dpr);
      this.canvas.height = Math.round(height * dpr);
      this.canvas.style.width = `${width}px`;
      this.canvas.style.height = `${height}px`;
    }
    const ctx = this.canvas.getContext('2d');
    if (ctx === null) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const colours = (this.colours ??= readTimelineColours(this.element));
    ctx.clearRect(0, 0, width, height);
    ctx.font = `11px ${colours.font}`;
    ctx.textBaseline = 'middle';
    this.drawAxis(ctx, layout, range, colours);
    const bins = kept.bins;
    if (bins !== undefined) this.drawBins(ctx, layout, range, colours, bins);
    const marks = kept.marksFor(range);
    let inView: number | undefined;
    if (marks !== undefined) inView = this.drawMarks(ctx, layout, range, colours, marks);
    else
      this.drawLaneNote(
        ctx,
        layout,
        colours,
        bins !== undefined ? 'zoom in to see each event' : kept.filter === '' ? 'counting…' : 'filtering on the host…',
      );
    if (kept.overview !== undefined) this.drawOverview(ctx, layout, range, bounds, colours, kept.overview);
    const shown = inView ?? (bins === undefined ? undefined : eventsAtMost(bins, range));
    const count = shown === undefined ? 'counting' : `${inView === undefined ? 'about ' : ''}${shown.toLocaleString('en-US')}`;
    const error = kept.error === undefined ? '' : ` · the host could not answer: ${kept.error}`;
    // Filtered: out of the events that match (the filtered overview's sum), once the host has counted them.
    const matching = kept.filter === '' ? undefined : kept.overview?.counts.reduce((sum, n) => sum + n, 0);
    const of =
      kept.filter === ''
        ? `of ${summary.rowCount.toLocaleString('en-US')} events`
        : `of ${matching === undefined ? '…' : matching.toLocaleString('en-US')} events matching the filter`;
    setText(
      this.status,
      `${formatInstant(range.start, 'utc')} → ${formatInstant(range.end, 'utc')} (${formatSpan(span(range))}) · ${count} ${of} in view, counted by the host${missing}${error}`,
    );
    this.canvas.dataset.matching = matching === undefined ? '' : String(matching);
    this.canvas.dataset.placed = String(summary.rowCount - summary.missingTime);
    this.canvas.dataset.inView = String(shown ?? 0);
    this.canvas.dataset.marks = String(inView ?? 0);
    const ms = performance.now() - started;
    publishPaint({
      at: performance.now(),
      ms,
      placed: summary.rowCount - summary.missingTime,
      inView: bins === undefined ? 0 : (shown ?? 0),
      lanes: 1,
    });
  }

  private drawAxis(ctx: CanvasRenderingContext2D, layout: TimelineLayout, range: TimeRange, colours: TimelineColours): void {
    const { step, ticks } = axisTicks(range, layout.plotWidth, 'utc');
    const scale = layout.plotWidth / span(range);
    ctx.strokeStyle = colours.grid;
    ctx.fillStyle = colours.muted;
    ctx.textAlign = 'left';
    ctx.beginPath();
    let freeFrom = layout.plotLeft;
    for (const tick of ticks) {
      const x = Math.round(layout.plotLeft + (tick - range.start) * scale) + 0.5;
      ctx.moveTo(x, layout.axis.top + 4);
      ctx.lineTo(x, layout.lanes.top + layout.lanes.height);
      const label = tickLabel(tick, step, 'utc');
      const labelWidth = ctx.measureText(label).width;
      if (x + 3 < freeFrom || x + 3 + labelWidth > layout.plotLeft + layout.plotWidth + 8) continue;
      ctx.fillText(label, x + 3, layout.axis.top + layout.axis.height / 2);
      freeFrom = x + 3 + labelWidth + 6;
    }
    ctx.stroke();
    ctx.fillText('UTC', 6, layout.axis.top + layout.axis.height / 2);
  }

  /** The latest bins, placed by time: while the host answers for a new range they stretch with it. */
  private drawBins(
    ctx: CanvasRenderingContext2D,
    layout: TimelineLayout,
    range: TimeRange,
    colours: TimelineColours,
    bins: NonNullable<KeptSpan['bins']>,
  ): void {
    const band = layout.histogram;
    const scale = layout.plotWidth / span(range);
    const left = layout.plotLeft;
    const right = left + layout.plotWidth;
    let max = 0;
    bins.counts.forEach((count, i) => {
      const from = bins.start + i * bins.size;
      if (from + bins.size > range.start && from <= range.end) max = Math.max(max, count);
    });
    ctx.textAlign = 'right';
    ctx.fillStyle = colours.muted;
    ctx.fillText(`peak ${compact(max)} per ${formatSpan(bins.size)}`, left - 6, band.top + band.height / 2);
    if (max === 0) return;
    const bars = (counts: readonly number[], colour: string): void => {
      ctx.fillStyle = colour;
      ctx.beginPath();
      counts.forEach((count, i) => {
        if (count === 0) return;
        const x0 = Math.max(left, left + (bins.start + i * bins.size - range.start) * scale);
        const x1 = Math.min(right, left + (bins.start + (i + 1) * bins.size - range.start) * scale);
        if (x1 < left || x0 > right) return;
        const barHeight = Math.max(1, (count / max) * (band.height - 2));
        ctx.rect(x0, band.top + band.height - barHeight, Math.max(1, x1 - x0 - 0.5), barHeight);
      });
      ctx.fill();
    };
    bars(bins.counts, colours.histogram);
    if (bins.errors !== undefined) bars(bins.errors, colours.error);
  }

  /** Each event of the span as a tick in the one lane; returns how many are in view. */
  private drawMarks(
    ctx: CanvasRenderingContext2D,
    layout: TimelineLayout,
    range: TimeRange,
    colours: TimelineColours,
    marks: NonNullable<ReturnType<KeptSpan['marksFor']>>,
  ): number {
    const scale = layout.plotWidth / span(range);
    const top = layout.lanes.top + 3;
    const markHeight = Math.max(4, layout.laneHeight - 6);
    // One mark per pixel column and outcome, a failed call drawn over the rest: a few
    // thousand events cost at most a few hundred rectangles.
    const columns = Math.ceil(layout.plotWidth) + 1;
    const column = new Uint8Array(columns);
    let inView = 0;
    for (const [i, time] of marks.times.entries()) {
      if (!(time >= range.start && time <= range.end)) continue;
      inView += 1;
      const x = Math.min(columns - 1, Math.round((time - range.start) * scale));
      column[x] = Math.max(column[x]!, marks.failed[i] === 1 ? 2 : 1);
    }
    for (const outcome of [1, 2]) {
      ctx.fillStyle = outcome === 2 ? colours.error : colours.write;
      ctx.beginPath();
      for (let x = 0; x < columns; x += 1) if (column[x] === outcome) ctx.rect(layout.plotLeft + x - 1, top, 3, markHeight);
      ctx.fill();
    }
    const selected = this.selectedRow === undefined ? -1 : marks.rowIndexes.indexOf(this.selectedRow);
    const selectedTime = marks.times[selected] ?? NaN;
    if (selectedTime >= range.start && selectedTime <= range.end) {
      ctx.strokeStyle = colours.selection;
      ctx.lineWidth = 2;
      ctx.strokeRect(Math.round(layout.plotLeft + (selectedTime - range.start) * scale) - 3, top - 2, 7, markHeight + 4);
    }
    ctx.textAlign = 'right';
    ctx.fillStyle = colours.foreground;
    ctx.fillText('events', layout.plotLeft - 6, layout.lanes.top + layout.laneHeight / 2);
    return inView;
  }

  private drawLaneNote(ctx: CanvasRenderingContext2D, layout: TimelineLayout, colours: TimelineColours, note: string): void {
    ctx.textAlign = 'left';
    ctx.fillStyle = colours.muted;
    ctx.fillText(note, layout.plotLeft + 6, layout.lanes.top + layout.laneHeight / 2);
  }

  private drawOverview(
    ctx: CanvasRenderingContext2D,
    layout: TimelineLayout,
    range: TimeRange,
    bounds: TimeRange,
    colours: TimelineColours,
    overview: NonNullable<KeptSpan['overview']>,
  ): void {
    const band = layout.overview;
    const scale = layout.plotWidth / span(bounds);
    const max = Math.max(0, ...overview.counts);
    ctx.fillStyle = colours.histogram;
    ctx.beginPath();
    overview.counts.forEach((count, i) => {
      if (count === 0 || max === 0) return;
      const x0 = layout.plotLeft + (overview.start + i * overview.size - bounds.start) * scale;
      const barHeight = Math.max(1, (count / max) * (band.height - 4));
      ctx.rect(x0, band.top + band.height - 1 - barHeight, Math.max(1, overview.size * scale - 0.5), barHeight);
    });
    ctx.fill();
    drawOverviewBrush(ctx, layout, range, bounds, colours);
  }

  // ---- interaction: the same gestures as the in-view timeline ----

  private listen(): void {
    const canvas = this.canvas;
    canvas.addEventListener('wheel', (event) => this.onWheel(event), { passive: false });
    canvas.addEventListener('pointerdown', (event) => {
      const layout = this.layout;
      const bounds = this.span?.bounds;
      if (layout === undefined || bounds === undefined || event.button !== 0) return;
      const { x, y } = this.point(event);
      const region = regionAt(layout, x, y);
      if (region === 'none' || region === 'gutter') return;
      this.drag = { x, range: this.range ?? bounds, overview: region === 'overview', moved: false };
      canvas.setPointerCapture(event.pointerId);
    });
    canvas.addEventListener('pointermove', (event) => {
      const drag = this.drag;
      const layout = this.layout;
      const bounds = this.span?.bounds;
      if (drag === undefined) this.hover(event);
      if (drag === undefined || layout === undefined || bounds === undefined) return;
      const dx = this.point(event).x - drag.x;
      if (Math.abs(dx) > 3) drag.moved = true;
      if (!drag.moved) return;
      // The overview moves the range across all time; the plot drags the time under the cursor.
      this.setRange(
        panBy(drag.range, drag.overview ? (dx / layout.plotWidth) * span(bounds) : (-dx / layout.plotWidth) * span(drag.range), bounds),
      );
    });
    canvas.addEventListener('pointerup', (event) => {
      const drag = this.drag;
      this.drag = undefined;
      if (canvas.hasPointerCapture(event.pointerId)) canvas.releasePointerCapture(event.pointerId);
      if (drag === undefined || drag.moved || drag.overview) return;
      const { x, y } = this.point(event);
      const row = this.markAt(x, y);
      if (row === undefined) return;
      this.select(row);
      this.onPick(row);
    });
    canvas.addEventListener('dblclick', () => this.setRange(undefined));
    canvas.addEventListener('keydown', (event) => {
      const bounds = this.span?.bounds;
      if (bounds === undefined) return;
      const moved = keyMove(event.key, this.range ?? bounds, bounds);
      if (moved === 'none') return;
      event.preventDefault();
      this.setRange(moved);
    });
  }

  /**
   * Over a mark, the canvas's tooltip says what the mark knows without asking the host: its
   * time, its outcome and its row (a click shows the row itself); elsewhere, nothing.
   */
  private hover(event: MouseEvent): void {
    const { x, y } = this.point(event);
    const mark = this.markNear(x, y);
    const total = this.span?.summary.rowCount ?? 0;
    const title =
      mark === undefined
        ? ''
        : `${formatInstant(mark.time, 'utc')} · ${mark.failed ? 'failed (it has an errorCode)' : 'no errorCode'} · row ${(mark.row + 1).toLocaleString('en-US')} of ${total.toLocaleString('en-US')}: click to show it`;
    if (this.canvas.title !== title) this.canvas.title = title;
  }

  /** The row of the mark nearest (x, y) in the events lane, within HIT_RADIUS px. */
  private markAt(x: number, y: number): number | undefined {
    return this.markNear(x, y)?.row;
  }

  /** The mark nearest (x, y) in the events lane, within HIT_RADIUS px: its row, time and outcome. */
  private markNear(x: number, y: number): { row: number; time: number; failed: boolean } | undefined {
    const layout = this.layout;
    const bounds = this.span?.bounds;
    if (layout === undefined || bounds === undefined || regionAt(layout, x, y) !== 'lanes') return undefined;
    const range = this.range ?? bounds;
    const marks = this.span?.marksFor(range);
    if (marks === undefined) return undefined;
    const time = xToTime(x, range, layout.plotLeft, layout.plotWidth);
    const radius = (HIT_RADIUS / layout.plotWidth) * span(range);
    let best: { row: number; time: number; failed: boolean } | undefined;
    let distance = Infinity;
    for (const [i, markTime] of marks.times.entries()) {
      const away = Math.abs(markTime - time);
      const row = marks.rowIndexes[i];
      if (row !== undefined && away <= radius && away < distance) {
        distance = away;
        best = { row, time: markTime, failed: marks.failed[i] === 1 };
      }
    }
    return best;
  }

  private point(event: MouseEvent): { x: number; y: number } {
    const box = this.canvas.getBoundingClientRect();
    return { x: event.clientX - box.left, y: event.clientY - box.top };
  }

  private onWheel(event: WheelEvent): void {
    const layout = this.layout;
    const bounds = this.span?.bounds;
    if (layout === undefined || bounds === undefined) return;
    event.preventDefault();
    const { x, y } = this.point(event);
    this.setRange(wheelMove(event, x, y, layout, this.range ?? bounds, bounds));
  }
}
