// The investigation timeline above the table: the selected run's events on a time axis,
// in lanes, coloured by outcome (or, in the investigation view, every cell of the
// runbook, a lane and a colour each). Wheel zooms around the cursor, drag pans, the
// overview's brush selects or moves the range, double-click resets; hover explains a
// mark, click selects it (shared with the table through `onPick`).
import { shownNodes } from '../shownText';
import { h, setText } from '../dom';
import { plural } from '../../protocol/plural';
import type { Run } from '../runStore';
import type { EventMark } from '../../protocol/results';
import { readText } from './eventFields';
import { FilterMask } from '../filterMask';
import { chooseDimension, sampleCounts } from './laneChoice';
import { availableDimensions, type LaneDimension } from './laneGrouping';
import { formatInstant, formatSpan, type TimeZoneMode } from './timeAxis';
import { readTimelineColours, watchTheme, type TimelineColours } from './timelineColours';
import { TimelineControls } from './timelineControls';
import { publishPaint } from './timelineDebug';
import { clampFirstLane, laneAtY, lanesThatFit, regionAt, timelineLayout, type TimelineLayout } from './timelineLayout';
import { TimelinePainter } from './timelinePainter';
import { eventAt, investigationScene, singleRunScene, type Scene, type SceneRun } from './timelineScene';
import { RunEvents } from './runEvents';
import { clampRange, panBy, sameRange, span, xToTime, type TimeRange } from './timeScale';
import { keyMove, wheelMove } from './timelineGestures';

export interface TimelineSelection {
  readonly runId: string;
  readonly row: number;
}

export interface TimelineHandlers {
  /** The visible range changed; undefined when everything is in view. */
  readonly onRange: (range: TimeRange | undefined) => void;
  /** A mark was clicked. */
  readonly onPick: (selection: TimelineSelection) => void;
}

type Drag =
  | { readonly kind: 'pan'; readonly x: number; readonly range: TimeRange; moved: boolean }
  | { readonly kind: 'brush'; readonly anchor: number }
  | { readonly kind: 'moveBrush'; readonly x: number; readonly range: TimeRange };

const GUTTER = 210;
const HIT_RADIUS = 6;

export class TimelineView {
  readonly element: HTMLElement;
  private readonly controls: TimelineControls;
  private readonly frame: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly tooltip: HTMLElement;
  private readonly laneLabels: HTMLElement;
  private readonly empty: HTMLElement;
  private readonly painter = new TimelinePainter();
  private readonly eventsOf = new WeakMap<Run, RunEvents>();
  private colours: TimelineColours | undefined;

  private run: Run | undefined;
  private runs: readonly Run[] = [];
  private sceneRuns = new Map<string, SceneRun>();
  private scene: Scene | undefined;
  private sceneKey = '';
  private layout: TimelineLayout | undefined;
  private size = { width: 0, height: 0 };

  private dimension: LaneDimension | undefined;
  /** The user chose the lanes' dimension: it is no longer chosen from the data. */
  private dimensionChosen = false;
  /** Where the automatic choice was made: the run and how many rows it had then. */
  private choiceMadeAt = { runId: '', rows: 0, finished: false, limit: 0 };
  /** Every value gets a lane ("other" expanded); the lanes then scroll. */
  private expanded = false;
  private firstLane = 0;
  private filterTerms: readonly string[] = [];
  /** The investigation's marked events, by eventID. */
  private marks: ReadonlyMap<string, EventMark> = new Map();
  private starred: { readonly scene: Scene; readonly marks: ReadonlyMap<string, EventMark>; readonly ids: number[] } | undefined;
  private readonly masksOf = new WeakMap<Run, FilterMask>();
  private zone: TimeZoneMode = 'utc';
  private investigation = false;
  /** The zoomed range; undefined shows all events (and follows new ones as they arrive). */
  private range: TimeRange | undefined;
  private reportedRange: TimeRange | undefined;
  private selection: TimelineSelection | undefined;
  private hovered = -1;
  private drag: Drag | undefined;
  private paintPending = false;
  private labelsDrawn = '';
  private dataDrawn = '';
  private lastPaintAt = -Infinity;
  private lastPaintMs = 0;
  private deferred: number | undefined;
  private box: DOMRect | undefined;

  constructor(private readonly handlers: TimelineHandlers) {
    this.controls = new TimelineControls({
      onDimension: (dimension) => {
        this.dimension = dimension;
        this.dimensionChosen = true;
        this.firstLane = 0;
        this.refresh();
      },
      onExpand: (on) => this.setExpanded(on),
      onZone: (zone) => {
        this.zone = zone;
        this.refresh();
      },
      onInvestigation: (on) => {
        this.investigation = on;
        this.range = undefined;
        this.refresh();
      },
      onReset: () => this.setRange(undefined),
    });
    this.canvas = h('canvas', {
      className: 'timeline-canvas',
      attrs: {
        'data-testid': 'timeline-canvas',
        role: 'img',
        tabindex: '0',
        'aria-label': 'Timeline of the events: + and − zoom, arrows pan, 0 shows everything',
      },
    });
    this.tooltip = h('div', { className: 'timeline-tooltip', attrs: { 'data-testid': 'timeline-tooltip', role: 'tooltip' } });
    this.tooltip.hidden = true;
    // The canvas draws the labels; this list says them to screen readers and to tests.
    this.laneLabels = h('ol', { className: 'visually-hidden', attrs: { 'data-testid': 'lane-labels', 'aria-label': 'Lanes' } });
    this.empty = h('div', { className: 'timeline-empty', attrs: { 'data-testid': 'timeline-empty' } });
    this.frame = h('div', { className: 'timeline-frame' }, this.canvas, this.tooltip);
    // The range caption sits between the toolbar and the plot: never under the filter box or cut off below.
    this.element = h(
      'section',
      { className: 'timeline', attrs: { 'data-testid': 'timeline', 'aria-label': 'Timeline' } },
      this.controls.element,
      this.controls.status,
      this.frame,
      this.laneLabels,
      this.empty,
    );
    this.listen();
    new ResizeObserver((entries) => {
      const box = entries.at(-1)?.contentRect;
      if (box === undefined) return;
      this.size = { width: box.width, height: box.height };
      this.box = undefined;
      this.requestPaint();
    }).observe(this.frame);
    watchTheme(() => {
      this.colours = undefined;
      this.requestPaint();
    });
  }

  /** The rows of `run` (and, in the investigation view, of its runbook's runs) changed or may have. */
  update(run: Run | undefined, runs: readonly Run[]): void {
    if (run !== this.run) {
      this.run = run;
      this.range = undefined;
      this.hovered = -1;
      this.firstLane = 0;
      // Another run: paint (and report its range to the table) now, not after the throttle.
      this.lastPaintAt = -Infinity;
    }
    this.runs = runs;
    // The view draws for many reasons (a tick, a range the timeline itself reported):
    // paint only when the rows may have changed.
    // The status too: a run that ends without rows must not keep saying they are coming.
    const drawn = `${run?.runId}|${run?.status}|${run?.rows.length}|${run?.columns.length}|${this.investigation ? runs.map((r) => `${r.runId}:${r.rows.length}`).join(',') : ''}`;
    if (drawn === this.dataDrawn) return;
    this.dataDrawn = drawn;
    this.box = undefined;
    // While rows stream in, paint at most once per three paints' time: each paint reads
    // every event, and the time between is what receiving the next batches needs.
    const wait = this.lastPaintAt + Math.max(16, 3 * this.lastPaintMs) - performance.now();
    if (wait <= 0 || this.scene === undefined) this.paintNow();
    else if (this.deferred === undefined) {
      this.deferred = window.setTimeout(() => {
        this.deferred = undefined;
        this.requestPaint();
      }, wait);
    }
  }

  /** The event selected in the table (or elsewhere). */
  select(selection: TimelineSelection | undefined): void {
    if (selection?.runId === this.selection?.runId && selection?.row === this.selection?.row) return;
    this.selection = selection;
    this.requestPaint();
  }

  /** The filter box's words: the timeline draws only the events of the rows they keep. */
  setFilter(terms: readonly string[]): void {
    if (terms.join(' ') === this.filterTerms.join(' ')) return;
    this.filterTerms = terms;
    this.requestPaint();
  }

  /** The events marked in the investigation: each gets a star, and its note on hover. */
  setMarks(marks: ReadonlyMap<string, EventMark>): void {
    this.marks = marks;
    this.requestPaint();
  }

  /** Global ids of the scene's marked events: read once per scene and set of marks, not per hover. */
  private starredIds(scene: Scene): number[] {
    if (this.marks.size === 0) return [];
    if (this.starred?.scene === scene && this.starred.marks === this.marks) return this.starred.ids;
    const ids: number[] = [];
    for (const source of scene.sources) {
      const run = this.sceneRuns.get(source.runId);
      const field = run?.events.fields.eventId;
      if (run === undefined || field === undefined) continue;
      run.rows.forEach((row, i) => {
        const id = readText(row, field);
        if (id !== undefined && this.marks.has(id)) ids.push(source.offset + i);
      });
    }
    this.starred = { scene, marks: this.marks, ids };
    return ids;
  }

  /** Which rows of `run` the filter keeps (undefined: no filter), up to date with its rows. */
  filterMaskFor(run: Run): FilterMask | undefined {
    if (this.filterTerms.length === 0) return undefined;
    let mask = this.masksOf.get(run);
    if (mask === undefined) {
      mask = new FilterMask();
      this.masksOf.set(run, mask);
    }
    mask.sync(run.rows, this.filterTerms);
    return mask;
  }

  /** Times of a run's rows (NaN without one), for the table's range filter. */
  eventsFor(run: Run): RunEvents {
    let events = this.eventsOf.get(run);
    if (events === undefined) {
      events = new RunEvents();
      this.eventsOf.set(run, events);
    }
    events.sync(run.columns, run.rows);
    return events;
  }

  private setExpanded(on: boolean): void {
    this.expanded = on;
    this.firstLane = 0;
    this.refresh();
  }

  private refresh(): void {
    this.sceneKey = '';
    this.requestPaint();
  }

  private requestPaint(): void {
    if (this.paintPending) return;
    this.paintPending = true;
    requestAnimationFrame(() => {
      this.paintPending = false;
      this.paintNow();
    });
  }

  private setRange(range: TimeRange | undefined): void {
    const bounds = this.scene?.bounds;
    // Zoomed all the way out is "everything", which keeps following rows as they arrive.
    this.range = range === undefined || bounds === undefined || span(range) >= span(bounds) - 1 ? undefined : range;
    this.requestPaint();
  }

  private paintNow(): void {
    const started = performance.now();
    const scene = this.buildScene();
    const run = this.run;
    this.element.hidden = run === undefined;
    const hasTimes = scene !== undefined && scene.bounds !== undefined;
    this.frame.hidden = !hasTimes;
    // Without times the timeline is one line of text, not a third of the panel.
    this.element.classList.toggle('no-times', !hasTimes);
    // Lanes, zone and legend mean nothing without marks; the investigation toggle stays
    // reachable while it is on (other cells may have times).
    this.controls.element.hidden = !hasTimes && !this.investigation;
    this.empty.hidden = hasTimes || run === undefined;
    if (run !== undefined && !hasTimes) {
      setText(this.empty, this.emptyText(run));
      this.controls.showStatus('', '');
    }
    this.controls.update({
      dimension: this.dimension,
      available: run === undefined ? [] : availableDimensions(this.eventsFor(run).fields),
      zone: this.zone,
      investigation: this.investigation,
      cells: this.investigation && scene !== undefined ? scene.lanes.map((lane) => lane.label) : [],
      expanded: this.expanded,
      canExpand: this.expanded || (scene?.lanes.some((lane) => lane.isOther) ?? false),
    });
    this.drawLaneLabels(scene);
    if (scene === undefined || scene.bounds === undefined) {
      this.reportRange(undefined);
      return;
    }
    const bounds = scene.bounds;
    if (this.range !== undefined) this.range = clampRange(this.range, bounds);
    const range = this.range ?? bounds;
    const layout = this.resizeCanvas(scene.lanes.length);
    const ctx = this.canvas.getContext('2d');
    if (ctx === null || layout === undefined) return;
    this.colours ??= readTimelineColours(this.element);
    const masks = new Map<string, Uint8Array>();
    for (const source of scene.sources) {
      const sourceRun = this.sourceRun(source.runId);
      const mask = sourceRun === undefined ? undefined : this.filterMaskFor(sourceRun);
      if (mask !== undefined) masks.set(source.runId, mask.mask);
    }
    const stats = this.painter.paint(ctx, {
      masks: masks.size === 0 ? undefined : masks,
      scene,
      layout,
      range,
      bounds,
      colours: this.colours,
      zone: this.zone,
      selected: this.globalId(this.selection),
      hovered: this.hovered,
      starred: this.starredIds(scene),
    });
    this.canvas.dataset.starred = String(stats.starredInView);
    const missing =
      scene.missingTime === 0
        ? ''
        : `${plural(scene.missingTime, 'row')} without eventTime ${scene.missingTime === 1 ? 'is' : 'are'} not on the timeline`;
    const filtered = masks.size === 0 ? '' : ' (filtered)';
    const lanesShown =
      layout.laneCount < layout.totalLanes
        ? ` · lanes ${layout.firstLane + 1}–${layout.firstLane + layout.laneCount} of ${layout.totalLanes} (wheel over the labels scrolls)`
        : '';
    this.controls.showStatus(
      `${formatInstant(range.start, this.zone)} → ${formatInstant(range.end, this.zone)} (${formatSpan(span(range))}) · ${stats.inView.toLocaleString('en-US')} of ${stats.placed.toLocaleString('en-US')} events in view${filtered}${lanesShown}`,
      missing,
    );
    this.canvas.dataset.placed = String(stats.placed);
    this.canvas.dataset.inView = String(stats.inView);
    this.reportRange(this.range);
    this.lastPaintAt = performance.now();
    this.lastPaintMs = this.lastPaintAt - started;
    publishPaint({ at: this.lastPaintAt, ms: this.lastPaintMs, placed: stats.placed, inView: stats.inView, lanes: scene.lanes.length });
  }

  private reportRange(range: TimeRange | undefined): void {
    const same =
      range === undefined || this.reportedRange === undefined ? range === this.reportedRange : sameRange(range, this.reportedRange);
    if (same) return;
    this.reportedRange = range;
    this.handlers.onRange(range);
  }

  private buildScene(): Scene | undefined {
    const run = this.run;
    if (run === undefined) {
      this.scene = undefined;
      return undefined;
    }
    const runs = this.investigation ? investigationRuns(run, this.runs) : [run];
    const sceneRuns = runs.map((r) => ({ runId: r.runId, cellId: r.started.cellId, rows: r.rows, events: this.eventsFor(r) }));
    const [first] = sceneRuns;
    if (first === undefined) return undefined;
    const events = first.events;
    const available = availableDimensions(events.fields);
    // Folded, the busiest values and the "other" lane together fill what fits.
    const limit = this.expanded ? 500 : lanesThatFit(this.size.height) - 1;
    if (this.dimensionChosen && (this.dimension === undefined || !available.includes(this.dimension))) this.dimensionChosen = false;
    if (!this.dimensionChosen) this.chooseDimension(run, available, limit);
    const key = `${this.investigation}|${this.dimension}|${limit}|${sceneRuns.map((r) => `${r.runId}:${r.events.length}`).join(',')}`;
    if (key === this.sceneKey && this.scene !== undefined) return this.scene;
    this.sceneKey = key;
    this.sceneRuns = new Map(sceneRuns.map((r) => [r.runId, r]));
    this.scene = this.investigation ? investigationScene(sceneRuns) : singleRunScene(first, this.dimension, limit);
    return this.scene;
  }

  /**
   * The lanes' dimension from what the rows hold (laneChoice.ts), until the user picks one:
   * chosen on the first rows, again each time they have doubled, and once more at the end,
   * so a streaming result settles instead of flipping with every batch.
   */
  private chooseDimension(run: Run, available: readonly LaneDimension[], limit: number): void {
    const made = this.choiceMadeAt;
    const finished = run.status !== 'running';
    // Also when the lanes that fit change (a shorter panel): what tells most apart depends on it.
    const again =
      made.runId !== run.runId ||
      made.limit !== limit ||
      run.rows.length >= 2 * made.rows ||
      (finished && !made.finished) ||
      this.dimension === undefined ||
      !available.includes(this.dimension);
    if (!again) return;
    this.choiceMadeAt = { runId: run.runId, rows: Math.max(1, run.rows.length), finished, limit };
    const events = this.eventsFor(run);
    this.dimension = chooseDimension(sampleCounts(run.rows, events.fields, available), limit);
  }

  private sourceRun(runId: string): Run | undefined {
    if (this.run?.runId === runId) return this.run;
    return this.runs.find((r) => r.runId === runId);
  }

  private resizeCanvas(lanes: number): TimelineLayout | undefined {
    if (this.size.width === 0) {
      const box = this.frame.getBoundingClientRect();
      this.size = { width: box.width, height: box.height };
    }
    const { width, height } = this.size;
    if (width < 50 || height < 50) return undefined;
    const dpr = window.devicePixelRatio || 1;
    const pixelWidth = Math.round(width * dpr);
    const pixelHeight = Math.round(height * dpr);
    if (this.canvas.width !== pixelWidth || this.canvas.height !== pixelHeight) {
      this.canvas.width = pixelWidth;
      this.canvas.height = pixelHeight;
      this.canvas.style.width = `${width}px`;
      this.canvas.style.height = `${height}px`;
    }
    this.canvas.getContext('2d')?.setTransform(dpr, 0, 0, dpr, 0, 0);
    this.firstLane = clampFirstLane(this.firstLane, lanes, height);
    // Labels need room even in a narrow panel: at least 140 px, a third of a wide one.
    this.layout = timelineLayout(width, height, lanes, Math.min(GUTTER, Math.max(140, width * 0.3)), this.firstLane);
    return this.layout;
  }

  private drawLaneLabels(scene: Scene | undefined): void {
    const lanes = scene?.lanes ?? [];
    const key = lanes.map((lane) => `${lane.label}\u0000${lane.count}`).join('\u0001');
    if (key === this.labelsDrawn) return;
    this.labelsDrawn = key;
    this.laneLabels.replaceChildren(
      ...lanes.map((lane) =>
        h('li', { text: lane.label, attrs: { 'data-count': String(lane.count), ...(lane.isOther ? { 'data-other': 'true' } : {}) } }),
      ),
    );
  }

  private globalId(selection: TimelineSelection | undefined): number {
    if (selection === undefined || this.scene === undefined) return -1;
    const source = this.scene.sources.find((s) => s.runId === selection.runId);
    return source === undefined ? -1 : source.offset + selection.row;
  }

  private emptyText(run: Run): string {
    if (run.rows.length === 0) return run.status === 'running' ? 'The timeline fills as rows arrive.' : '';
    return this.eventsFor(run).hasTimes
      ? 'No row has a readable eventTime: nothing to place on the timeline.'
      : 'No eventTime column: select eventTime in the cell to see these rows on a timeline.';
  }

  // ---- interaction ----

  private listen(): void {
    const canvas = this.canvas;
    canvas.addEventListener('wheel', (event) => this.onWheel(event), { passive: false });
    canvas.addEventListener('pointerdown', (event) => this.onPointerDown(event));
    canvas.addEventListener('pointermove', (event) => this.onPointerMove(event));
    canvas.addEventListener('pointerup', (event) => this.onPointerUp(event));
    canvas.addEventListener('pointerleave', () => this.hover(-1, 0, 0));
    // The page scrolled or the window changed: the canvas moved.
    canvas.addEventListener('pointerenter', () => {
      this.box = undefined;
    });
    window.addEventListener('resize', () => {
      this.box = undefined;
    });
    // Any scroll (captured: the results pane scrolls, not the window) moves the canvas under a
    // pointer that stays on it.
    window.addEventListener(
      'scroll',
      () => {
        this.box = undefined;
      },
      { capture: true, passive: true },
    );
    canvas.addEventListener('dblclick', () => this.setRange(undefined));
    canvas.addEventListener('keydown', (event) => this.onKey(event));
  }

  private point(event: MouseEvent): { x: number; y: number } {
    // Measured once per change of the data around it, not per event: a wheel gesture
    // sends dozens, and each measure after a redraw would force a layout of the page.
    this.box ??= this.canvas.getBoundingClientRect();
    return { x: event.clientX - this.box.left, y: event.clientY - this.box.top };
  }

  private onWheel(event: WheelEvent): void {
    const layout = this.layout;
    const bounds = this.scene?.bounds;
    if (layout === undefined || bounds === undefined) return;
    event.preventDefault();
    const range = this.range ?? bounds;
    const { x, y: pointerY } = this.point(event);
    // Over the lane labels the wheel scrolls the lanes, when there are more than fit.
    if (regionAt(layout, x, pointerY) === 'gutter' && layout.laneCount < layout.totalLanes) {
      this.firstLane = clampFirstLane(
        this.firstLane + Math.sign(event.deltaY) * Math.max(1, Math.round(Math.abs(event.deltaY) / 40)),
        layout.totalLanes,
        this.size.height,
      );
      this.requestPaint();
      return;
    }
    this.setRange(wheelMove(event, x, pointerY, layout, range, bounds));
  }

  /** The keyboard does what the wheel and drag do: + and − zoom, arrows pan, 0 resets. */
  private onKey(event: KeyboardEvent): void {
    const bounds = this.scene?.bounds;
    if (bounds === undefined) return;
    const moved = keyMove(event.key, this.range ?? bounds, bounds);
    if (moved === 'none') return;
    event.preventDefault();
    this.setRange(moved);
  }

  private onPointerDown(event: PointerEvent): void {
    const layout = this.layout;
    const bounds = this.scene?.bounds;
    if (layout === undefined || bounds === undefined || event.button !== 0) return;
    const { x, y } = this.point(event);
    const range = this.range ?? bounds;
    const region = regionAt(layout, x, y);
    if (region === 'overview') {
      const time = xToTime(x, bounds, layout.plotLeft, layout.plotWidth);
      this.drag =
        time >= range.start && time <= range.end && this.range !== undefined
          ? { kind: 'moveBrush', x, range }
          : { kind: 'brush', anchor: time };
    } else if (region === 'gutter') {
      // A click on the "other" lane's label gives each of its values a lane of its own.
      const lane = laneAtY(layout, y);
      if (lane >= 0 && this.scene?.lanes[layout.firstLane + lane]?.isOther === true) this.setExpanded(true);
      return;
    } else if (region !== 'none') {
      this.drag = { kind: 'pan', x, range, moved: false };
    } else return;
    this.canvas.setPointerCapture(event.pointerId);
  }

  private onPointerMove(event: PointerEvent): void {
    const layout = this.layout;
    const bounds = this.scene?.bounds;
    if (layout === undefined || bounds === undefined) return;
    const { x, y } = this.point(event);
    const drag = this.drag;
    if (drag === undefined) {
      this.hoverAt(x, y);
      return;
    }
    switch (drag.kind) {
      case 'pan': {
        if (Math.abs(x - drag.x) > 3) drag.moved = true;
        if (drag.moved) this.setRange(panBy(drag.range, (-(x - drag.x) / layout.plotWidth) * span(drag.range), bounds));
        break;
      }
      case 'moveBrush':
        this.setRange(panBy(drag.range, ((x - drag.x) / layout.plotWidth) * span(bounds), bounds));
        break;
      case 'brush': {
        const time = xToTime(x, bounds, layout.plotLeft, layout.plotWidth);
        if (Math.abs(time - drag.anchor) > span(bounds) / layout.plotWidth)
          this.setRange(clampRange({ start: Math.min(time, drag.anchor), end: Math.max(time, drag.anchor) }, bounds));
        break;
      }
    }
    this.canvas.classList.toggle('dragging', drag.kind !== 'brush');
  }

  private onPointerUp(event: PointerEvent): void {
    const drag = this.drag;
    this.drag = undefined;
    this.canvas.classList.remove('dragging');
    if (this.canvas.hasPointerCapture(event.pointerId)) this.canvas.releasePointerCapture(event.pointerId);
    if (drag?.kind !== 'pan' || drag.moved) return;
    const { x, y } = this.point(event);
    const id = this.markAt(x, y);
    const found = id < 0 || this.scene === undefined ? undefined : eventAt(this.scene, id);
    if (found === undefined) return;
    this.selection = { runId: found.source.runId, row: found.row };
    this.requestPaint();
    this.handlers.onPick(this.selection);
  }

  private markAt(x: number, y: number): number {
    const layout = this.layout;
    if (layout === undefined || regionAt(layout, x, y) !== 'lanes') return -1;
    return this.painter.grid.nearest(x - layout.plotLeft, laneAtY(layout, y), HIT_RADIUS);
  }

  private hoverAt(x: number, y: number): void {
    const layout = this.layout;
    if (layout !== undefined && regionAt(layout, x, y) === 'gutter') {
      this.hover(-1, x, y);
      this.showLaneLabel(layout, x, y);
      return;
    }
    this.hover(this.markAt(x, y), x, y);
  }

  /** The lane's whole value on hover over its (shortened) label. */
  private showLaneLabel(layout: TimelineLayout, x: number, y: number): void {
    const lane = laneAtY(layout, y);
    const shown = lane < 0 ? undefined : this.scene?.lanes[layout.firstLane + lane];
    if (shown === undefined) return;
    const hint = shown.isOther ? 'click to give each value a lane' : `${plural(shown.count, 'event')}`;
    this.tooltip.replaceChildren(
      h('div', { className: 'tooltip-lane', attrs: { 'data-testid': 'lane-tooltip' } }, ...shownNodes(shown.label)),
      h('div', { className: 'tooltip-label', text: hint }),
    );
    this.placeTooltip(x, y);
  }

  private placeTooltip(x: number, y: number): void {
    this.tooltip.hidden = false;
    // Keep the tooltip inside the frame: flip it to the left of the cursor near the right edge.
    const width = this.tooltip.offsetWidth;
    const left = x + 14 + width > this.size.width ? Math.max(0, x - 14 - width) : x + 14;
    this.tooltip.style.left = `${left}px`;
    this.tooltip.style.top = `${Math.max(0, Math.min(y + 12, this.size.height - this.tooltip.offsetHeight))}px`;
  }

  private hover(id: number, x: number, y: number): void {
    if (id !== this.hovered) {
      this.hovered = id;
      this.requestPaint();
    }
    const found = id < 0 || this.scene === undefined ? undefined : eventAt(this.scene, id);
    const run = found === undefined ? undefined : this.sceneRuns.get(found.source.runId);
    if (found === undefined || run === undefined) {
      this.tooltip.hidden = true;
      return;
    }
    const row = run.rows[found.row];
    const time = run.events.times[found.row];
    if (row === undefined || time === undefined) {
      this.tooltip.hidden = true;
      return;
    }
    const fields = run.events.fields;
    const lines: [string, string | undefined][] = [
      ['', formatInstant(time, this.zone)],
      ['', [readText(row, fields.eventSource), readText(row, fields.eventName)].filter(Boolean).join(' · ') || undefined],
      ['principal', readText(row, fields.principal)],
      ['IP', readText(row, fields.sourceIp)],
      ['error', readText(row, fields.errorCode)],
      ['cell', this.investigation ? run.cellId : undefined],
    ];
    const eventId = readText(row, fields.eventId);
    const mark = eventId === undefined ? undefined : this.marks.get(eventId);
    if (mark !== undefined) lines.push([`★ ${mark.tag}`, mark.note ?? '']);
    this.tooltip.replaceChildren(
      ...lines
        .filter(([, value]) => value !== undefined)
        .map(([label, value], i) =>
          h(
            'div',
            { className: i === 0 ? 'tooltip-time' : label === 'error' ? 'tooltip-error' : '' },
            label === '' ? '' : h('span', { className: 'tooltip-label', text: `${label} ` }),
            ...shownNodes(value!),
          ),
        ),
    );
    this.placeTooltip(x, y);
  }
}

/** The newest run of each cell of `run`'s runbook, in the runbook's order. */
function investigationRuns(run: Run, runs: readonly Run[]): Run[] {
  const byCell = new Map<string, Run>();
  // `runs` is oldest first: a later run of the same cell replaces the earlier.
  for (const r of runs) if (r.started.runbook === run.started.runbook) byCell.set(r.started.cellId, r);
  return [...byCell.values()].sort((a, b) => a.started.line - b.started.line || a.started.startedAt - b.started.startedAt);
}
