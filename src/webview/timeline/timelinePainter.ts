// Draws the timeline on a canvas in one pass over the events per frame. Marks are first
// merged into a pixel-column × lane occupancy grid (the outcome that matters most wins a
// pixel), so 100,000 events cost one loop and at most (plot width × lanes) rectangles.
// The same loop fills the histogram, the overview and the hit grid.
import { HitGrid } from './hitGrid';
import { drawOverviewBrush } from './overviewBrush';
import { shortLaneLabels } from './laneGrouping';
import { Outcome, OUTCOME_MASK, ROOT_FLAG } from './outcome';
import { axisTicks, formatSpan, tickLabel, type TimeZoneMode } from './timeAxis';
import { bucketFloor, niceBucketSize } from './timeBuckets';
import type { TimelineColours } from './timelineColours';
import type { TimelineLayout } from './timelineLayout';
import { lowerBound, upperBound } from './runEvents';
import { eventAt, laneOf, type Scene } from './timelineScene';
import type { TimeRange } from './timeScale';

export interface PaintInput {
  readonly scene: Scene;
  readonly layout: TimelineLayout;
  readonly range: TimeRange;
  readonly bounds: TimeRange;
  readonly colours: TimelineColours;
  readonly zone: TimeZoneMode;
  /** Global event ids (see SceneSource.offset). */
  readonly selected: number;
  readonly hovered: number;
  /** Per run (by runId): 1 for the rows the filter box keeps; absent when nothing is filtered. */
  readonly masks?: ReadonlyMap<string, Uint8Array> | undefined;
  /** Global event ids of the events marked in the investigation: a star over each. */
  readonly starred?: readonly number[];
}

export interface PaintStats {
  /** Events drawn (inside the visible range). */
  readonly inView: number;
  /** Events with a time, in all the scene. */
  readonly placed: number;
  readonly histogramBucket: number;
  /** Stars drawn (marked events inside the visible range and lanes). */
  readonly starredInView: number;
}

/** A lone event is a mark a person sees and can aim at, not a hairline. */
const MARK_WIDTH = 3;

export class TimelinePainter {
  readonly grid = new HitGrid();
  private occupancy = new Uint8Array(0);
  private histogram: Uint32Array<ArrayBuffer> = new Uint32Array(0);
  private histogramErrors: Uint32Array<ArrayBuffer> = new Uint32Array(0);
  private overview: Uint32Array<ArrayBuffer> = new Uint32Array(0);
  private overviewKey = '';
  private placedScene: Scene | undefined;
  private placedKey = '';
  private inView = 0;

  paint(ctx: CanvasRenderingContext2D, input: PaintInput): PaintStats {
    const { scene, layout, range, bounds, colours } = input;
    const width = Math.max(1, Math.ceil(layout.plotWidth) + 1);
    const lanes = layout.laneCount;
    const cells = width * lanes;
    const span = range.end - range.start;
    const bucket = niceBucketSize(span, Math.max(8, Math.floor(layout.plotWidth / 3)));
    const histogramStart = bucketFloor(range.start, bucket);
    const buckets = Math.floor((range.end - histogramStart) / bucket) + 1;
    const overviewBins = this.countOverview(scene, bounds, Math.max(1, Math.floor(layout.plotWidth / 2)));
    // A hover or a selection changes no mark: only the range, the size or the events do.
    const placedKey = `${range.start}|${range.end}|${width}|${lanes}|${layout.firstLane}|${maskKey(input.masks)}`;
    if (scene !== this.placedScene || placedKey !== this.placedKey) {
      this.placedScene = scene;
      this.placedKey = placedKey;
      this.inView = this.place(
        scene,
        range,
        width,
        cells,
        lanes,
        layout.firstLane,
        histogramStart,
        bucket,
        buckets,
        layout.plotWidth / span,
        input.masks,
      );
    }
    const inView = this.inView;

    ctx.clearRect(0, 0, layout.width, layout.height);
    ctx.font = `11px ${colours.font}`;
    ctx.textBaseline = 'middle';
    this.drawLanes(ctx, input);
    this.drawAxis(ctx, input);
    this.drawHistogram(ctx, input, histogramStart, bucket, buckets);
    this.drawMarks(ctx, input, width);
    this.drawFocus(ctx, input, input.hovered, false);
    this.drawFocus(ctx, input, input.selected, true);
    const starredInView = this.drawStars(ctx, input);
    this.drawOverview(ctx, input, overviewBins);
    return { inView, placed: scene.placed, histogramBucket: bucket, starredInView };
  }

  /** Files the events in view into the occupancy grid, the histogram and the hit grid. */
  private place(
    scene: Scene,
    range: TimeRange,
    width: number,
    cells: number,
    lanes: number,
    firstLane: number,
    histogramStart: number,
    bucket: number,
    buckets: number,
    scale: number,
    masks: ReadonlyMap<string, Uint8Array> | undefined,
  ): number {
    if (this.occupancy.length < cells) this.occupancy = new Uint8Array(cells);
    else this.occupancy.fill(0, 0, cells);
    this.grid.reset(width, lanes);

    this.histogram = sized(this.histogram, buckets);
    this.histogramErrors = sized(this.histogramErrors, buckets);

    let inView = 0;
    const frame: FrameGeometry = { start: range.start, end: range.end, scale, histogramStart, bucket, width, firstLane, lanes };
    for (const source of scene.sources) {
      const events = source.events;
      // Zoomed into sorted events, only the visible ones are read.
      const from = events.sorted ? lowerBound(events.times, events.length, range.start) : 0;
      const to = events.sorted ? upperBound(events.times, events.length, range.end) : events.length;
      const fixedCode = source.runColour === undefined ? 0 : (source.runColour % 8) + 1;
      const mask = masks?.get(source.runId);
      inView += placeEvents(
        events.times,
        events.classes,
        mask,
        source.keyIds,
        source.laneOfKey,
        source.lane,
        fixedCode,
        source.offset,
        from,
        to,
        frame,
        this.occupancy,
        this.histogram,
        this.histogramErrors,
        this.grid,
      );
    }

    return inView;
  }

  /** The overview's counts depend on the events and their bounds only: counted again only when those change. */
  private countOverview(scene: Scene, bounds: TimeRange, bins: number): number {
    const key = `${bounds.start}|${bounds.end}|${bins}|${scene.sources.map((s) => `${s.runId}:${s.events.length}`).join(',')}`;
    if (key === this.overviewKey) return bins;
    this.overviewKey = key;
    this.overview = sized(this.overview, bins);
    const overview = this.overview;
    const scale = bins / (bounds.end - bounds.start);
    for (const source of scene.sources) {
      const { times, length } = source.events;
      for (let i = 0; i < length; i += 1) {
        const bin = Math.floor((times[i]! - bounds.start) * scale);
        if (bin >= 0 && bin < bins) overview[bin]! += 1;
      }
    }
    return bins;
  }

  private drawLanes(ctx: CanvasRenderingContext2D, { scene, layout, colours }: PaintInput): void {
    const maxChars = Math.max(6, Math.floor((layout.plotLeft - 44) / 6.2));
    const shown = scene.lanes.slice(layout.firstLane, layout.firstLane + layout.laneCount);
    // "other (51 lanes)" is Trailbook's own words: shortened to "other (51)", never cut.
    const short = shortLaneLabels(
      shown.map((lane) => lane.label),
      maxChars,
    );
    shown.forEach((lane, index) => {
      const label = lane.isOther
        ? lane.label.length + 2 <= maxChars
          ? lane.label
          : lane.label.replace(' lanes)', ')')
        : (short[index] ?? lane.label);
      const top = layout.lanes.top + index * layout.laneHeight;
      if ((index + layout.firstLane) % 2 === 0) {
        ctx.fillStyle = colours.laneStripe;
        ctx.fillRect(0, top, layout.width, layout.laneHeight);
      }
      const middle = top + layout.laneHeight / 2;
      ctx.textAlign = 'left';
      ctx.fillStyle = lane.isOther ? colours.muted : colours.foreground;
      ctx.fillText(lane.isOther ? `${label} ▸` : label, 6, middle);
      ctx.textAlign = 'right';
      ctx.fillStyle = colours.muted;
      ctx.fillText(compact(lane.count), layout.plotLeft - 6, middle);
    });
    // More lanes than fit: a scroll bar in the gutter's edge says where these are among them.
    if (layout.laneCount < layout.totalLanes) {
      const band = layout.lanes;
      const thumb = Math.max(8, (band.height * layout.laneCount) / layout.totalLanes);
      const at = band.top + ((band.height - thumb) * layout.firstLane) / Math.max(1, layout.totalLanes - layout.laneCount);
      ctx.fillStyle = colours.grid;
      ctx.fillRect(layout.plotLeft - 3, band.top, 2, band.height);
      ctx.fillStyle = colours.muted;
      ctx.fillRect(layout.plotLeft - 3, at, 2, thumb);
    }
  }

  private drawAxis(ctx: CanvasRenderingContext2D, { layout, range, colours, zone }: PaintInput): void {
    const { step, ticks } = axisTicks(range, layout.plotWidth, zone);
    ctx.strokeStyle = colours.grid;
    ctx.lineWidth = 1;
    ctx.beginPath();
    const bottom = layout.lanes.top + layout.lanes.height;
    ctx.fillStyle = colours.muted;
    ctx.textAlign = 'left';
    // A label never runs into the next one or off the plot: it is left out instead.
    let freeFrom = layout.plotLeft;
    const right = layout.plotLeft + layout.plotWidth + 8;
    for (const tick of ticks) {
      const x = Math.round(layout.plotLeft + (tick - range.start) * (layout.plotWidth / (range.end - range.start))) + 0.5;
      ctx.moveTo(x, layout.axis.top + 4);
      ctx.lineTo(x, bottom);
      const label = tickLabel(tick, step, zone);
      const labelWidth = ctx.measureText(label).width;
      if (x + 3 < freeFrom || x + 3 + labelWidth > right) continue;
      ctx.fillText(label, x + 3, layout.axis.top + layout.axis.height / 2);
      freeFrom = x + 3 + labelWidth + 6;
    }
    ctx.stroke();
    ctx.textAlign = 'left';
    ctx.fillText(zone === 'utc' ? 'UTC' : 'local time', 6, layout.axis.top + layout.axis.height / 2);
  }

  private drawHistogram(
    ctx: CanvasRenderingContext2D,
    { layout, range, colours }: PaintInput,
    start: number,
    bucket: number,
    buckets: number,
  ): void {
    let max = 0;
    for (const count of this.histogram.subarray(0, buckets)) max = Math.max(max, count);
    const band = layout.histogram;
    const scale = layout.plotWidth / (range.end - range.start);
    ctx.textAlign = 'right';
    ctx.fillStyle = colours.muted;
    ctx.fillText(`peak ${compact(max)} per ${formatSpan(bucket)}`, layout.plotLeft - 6, band.top + band.height / 2);
    if (max === 0) return;
    const left = layout.plotLeft;
    const right = left + layout.plotWidth;
    const bars = (counts: Uint32Array, colour: string): void => {
      ctx.fillStyle = colour;
      ctx.beginPath();
      for (const [i, count] of counts.subarray(0, buckets).entries()) {
        if (count === 0) continue;
        const x0 = Math.max(left, left + (start + i * bucket - range.start) * scale);
        const x1 = Math.min(right, left + (start + (i + 1) * bucket - range.start) * scale);
        // A bucket that holds anything is at least a pixel tall and a pixel wide: a lone event still shows.
        const height = Math.max(1, (count / max) * (band.height - 2));
        ctx.rect(x0, band.top + band.height - height, Math.max(1, x1 - x0 - 0.5), height);
      }
      ctx.fill();
    };
    bars(this.histogram, colours.histogram);
    bars(this.histogramErrors, colours.error);
  }

  private drawMarks(ctx: CanvasRenderingContext2D, { layout, colours, scene }: PaintInput, width: number): void {
    const occupancy = this.occupancy;
    const lanes = layout.laneCount;
    const inset = layout.laneHeight >= 10 ? 2 : 1;
    const markHeight = Math.max(2, layout.laneHeight - 2 * inset);
    const investigation = scene.sources.some((s) => s.runColour !== undefined);
    const codes: [number, string][] = investigation
      ? colours.runs.map((colour, i) => [i + 1, colour])
      : [
          [Outcome.Read, colours.read],
          [Outcome.Write, colours.write],
          [Outcome.Login, colours.login],
          [Outcome.Error, colours.error],
        ];
    for (const [code, colour] of codes) {
      ctx.fillStyle = colour;
      ctx.beginPath();
      let any = false;
      for (let lane = 0; lane < lanes; lane += 1) {
        const top = layout.lanes.top + lane * layout.laneHeight + inset;
        const base = lane * width;
        // Neighbouring pixels of one colour are one rectangle: a busy lane is a few
        // long bars, not a thousand marks for the rasteriser.
        for (let x = 0; x < width; x += 1) {
          if ((occupancy[base + x]! & OUTCOME_MASK) !== code) continue;
          let end = x + 1;
          while (end < width && (occupancy[base + end]! & OUTCOME_MASK) === code) end += 1;
          // Centred on its pixel, but inside the plot: a mark at the range's edge is drawn whole.
          const left = Math.min(
            Math.max(layout.plotLeft + x - MARK_WIDTH / 2, layout.plotLeft),
            layout.plotLeft + layout.plotWidth - MARK_WIDTH,
          );
          ctx.rect(left, top, end - x - 1 + MARK_WIDTH, markHeight);
          any = true;
          x = end - 1;
        }
      }
      if (any) ctx.fill();
    }
    // Root activity: an outlined box around the mark, whatever its outcome colour.
    ctx.strokeStyle = colours.root;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    let anyRoot = false;
    for (let lane = 0; lane < lanes; lane += 1) {
      const top = layout.lanes.top + lane * layout.laneHeight + 0.75;
      const base = lane * width;
      for (let x = 0; x < width; x += 1) {
        if ((occupancy[base + x]! & ROOT_FLAG) === 0) continue;
        ctx.rect(layout.plotLeft + x - 3, top, 6, layout.laneHeight - 1.5);
        anyRoot = true;
      }
    }
    if (anyRoot) ctx.stroke();
  }

  private drawFocus(ctx: CanvasRenderingContext2D, { scene, layout, range, colours }: PaintInput, id: number, selected: boolean): void {
    if (id < 0) return;
    for (const source of scene.sources) {
      const row = id - source.offset;
      if (row < 0 || row >= source.events.length) continue;
      const t = source.events.times[row] ?? NaN;
      if (!(t >= range.start && t <= range.end)) return;
      const x = layout.plotLeft + (t - range.start) * (layout.plotWidth / (range.end - range.start));
      const lane = laneOf(source, row) - layout.firstLane;
      if (lane < 0 || lane >= layout.laneCount) return;
      const top = layout.lanes.top + lane * layout.laneHeight;
      ctx.strokeStyle = colours.selection;
      ctx.lineWidth = selected ? 2 : 1;
      if (selected) {
        // A line through every lane: what else happened at that moment is the next question.
        ctx.setLineDash([3, 3]);
        ctx.beginPath();
        ctx.moveTo(Math.round(x) + 0.5, layout.histogram.top);
        ctx.lineTo(Math.round(x) + 0.5, layout.lanes.top + layout.lanes.height);
        ctx.stroke();
        ctx.setLineDash([]);
      }
      ctx.strokeRect(x - 4, top, 8, layout.laneHeight);
      return;
    }
  }

  /** A star on each marked event: what the person found stands out of the crowd. */
  private drawStars(ctx: CanvasRenderingContext2D, { scene, layout, range, colours, starred }: PaintInput): number {
    if (starred === undefined || starred.length === 0) return 0;
    let drawn = 0;
    ctx.save();
    const size = Math.max(12, Math.min(18, layout.laneHeight + 2));
    ctx.font = `bold ${size}px ${colours.font}`;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    ctx.fillStyle = colours.star;
    for (const id of starred) {
      const found = eventAt(scene, id);
      if (found === undefined) continue;
      const t = found.source.events.times[found.row] ?? NaN;
      if (!(t >= range.start && t <= range.end)) continue;
      const lane = laneOf(found.source, found.row) - layout.firstLane;
      if (lane < 0 || lane >= layout.laneCount) continue;
      const x = layout.plotLeft + (t - range.start) * (layout.plotWidth / (range.end - range.start));
      // Beside the mark, not on it: the mark's colour (its outcome) stays readable.
      ctx.fillText('★', x + 5, layout.lanes.top + lane * layout.laneHeight + layout.laneHeight / 2);
      drawn += 1;
    }
    ctx.restore();
    return drawn;
  }

  private drawOverview(ctx: CanvasRenderingContext2D, { layout, range, bounds, colours }: PaintInput, bins: number): void {
    const band = layout.overview;
    let max = 0;
    for (const count of this.overview.subarray(0, bins)) max = Math.max(max, count);
    ctx.fillStyle = colours.histogram;
    ctx.beginPath();
    const binWidth = layout.plotWidth / bins;
    for (const [i, count] of this.overview.subarray(0, bins).entries()) {
      if (max === 0) break;
      if (count === 0) continue;
      const height = Math.max(1, (count / max) * (band.height - 4));
      ctx.rect(layout.plotLeft + i * binWidth, band.top + band.height - 1 - height, Math.max(1, binWidth - 0.5), height);
    }
    ctx.fill();
    drawOverviewBrush(ctx, layout, range, bounds, colours);
  }
}

interface FrameGeometry {
  readonly start: number;
  readonly end: number;
  /** Pixels per millisecond. */
  readonly scale: number;
  readonly histogramStart: number;
  readonly bucket: number;
  /** Pixel columns of the occupancy grid. */
  readonly width: number;
  /** The lanes shown: [firstLane, firstLane + lanes) of the scene's. */
  readonly firstLane: number;
  readonly lanes: number;
}

/**
 * The hot loop, on its own so the engine optimises it early: files events [from, to) of
 * one source into the occupancy grid (the outcome that matters most wins a pixel), the
 * histogram and the hit grid. Returns how many were in view.
 */
function placeEvents(
  times: Float64Array,
  classes: Uint8Array,
  mask: Uint8Array | undefined,
  keyIds: Int32Array | undefined,
  laneOfKey: Int32Array | undefined,
  fixedLane: number,
  fixedCode: number,
  offset: number,
  from: number,
  to: number,
  frame: FrameGeometry,
  occupancy: Uint8Array,
  histogram: Uint32Array,
  histogramErrors: Uint32Array,
  grid: HitGrid,
): number {
  const { start, end, scale, histogramStart, bucket, width, firstLane, lanes } = frame;
  let inView = 0;
  for (let i = from; i < to; i += 1) {
    const t = times[i]!;
    if (!(t >= start && t <= end)) continue; // also NaN: no eventTime
    if (mask !== undefined && mask[i] === 0) continue;
    const cls = classes[i]!;
    const h = ((t - histogramStart) / bucket) | 0;
    histogram[h] = histogram[h]! + 1;
    const outcome = cls & OUTCOME_MASK;
    if (outcome === Outcome.Error) histogramErrors[h] = histogramErrors[h]! + 1;
    const xf = (t - start) * scale;
    inView += 1;
    // Lanes scrolled out of view count in the histogram, not in the grid.
    const lane = (keyIds === undefined || laneOfKey === undefined ? fixedLane : laneOfKey[keyIds[i]!]!) - firstLane;
    if (lane < 0 || lane >= lanes) continue;
    const cell = lane * width + (xf | 0);
    const code = fixedCode === 0 ? outcome : fixedCode;
    const old = occupancy[cell]!;
    const shown = old & OUTCOME_MASK;
    occupancy[cell] = (fixedCode === 0 ? (code > shown ? code : shown) : code) | ((old | cls) & ROOT_FLAG);
    // Hover finds the mark one sees: a pixel's first event of the outcome that shows there.
    if (code > shown || (fixedCode !== 0 && code !== shown)) grid.add(offset + i, xf, lane);
  }
  return inView;
}

function sized(array: Uint32Array<ArrayBuffer>, length: number): Uint32Array<ArrayBuffer> {
  if (array.length < length) return new Uint32Array(Math.max(length, array.length * 2));
  array.fill(0, 0, length);
  return array;
}

/** What the filter masks are, for knowing when events must be placed again. */
function maskKey(masks: ReadonlyMap<string, Uint8Array> | undefined): string {
  if (masks === undefined) return '';
  return [...masks].map(([runId, mask]) => `${runId}:${maskIds.get(mask) ?? rememberMask(mask)}`).join(',');
}

const maskIds = new WeakMap<Uint8Array, number>();
let nextMaskId = 1;
function rememberMask(mask: Uint8Array): number {
  const id = nextMaskId++;
  maskIds.set(mask, id);
  return id;
}

/** `812`, `4.2k`, `100k`: counts in a narrow gutter. */
export function compact(n: number): string {
  if (n < 1000) return String(n);
  if (n < 10_000) return `${(n / 1000).toFixed(1)}k`;
  if (n < 1_000_000) return `${Math.round(n / 1000)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}
