// The timeline's toolbar: what the lanes group by, UTC or local time, one run or the
// whole investigation, the legend, and what is in view.
import { h, setText } from '../dom';
import { LANE_DIMENSIONS, type LaneDimension } from './laneGrouping';
import type { TimeZoneMode } from './timeAxis';

export interface ControlsState {
  readonly dimension: LaneDimension | undefined;
  readonly available: readonly LaneDimension[];
  readonly zone: TimeZoneMode;
  readonly investigation: boolean;
  /** Cell ids of the investigation view's lanes, in colour order. */
  readonly cells: readonly string[];
  /** Every value has its own lane (the lanes scroll), rather than the busiest and "other". */
  readonly expanded: boolean;
  /** Some values share an "other" lane now, or did before expanding. */
  readonly canExpand: boolean;
}

export interface ControlsHandlers {
  readonly onDimension: (dimension: LaneDimension) => void;
  readonly onZone: (zone: TimeZoneMode) => void;
  readonly onInvestigation: (on: boolean) => void;
  readonly onExpand: (on: boolean) => void;
  readonly onReset: () => void;
}

/** Short words (the toolbar wraps in a narrow panel and takes the plot's height), the full meaning on hover. */
const OUTCOME_LEGEND: readonly (readonly [string, string, string])[] = [
  ['error', 'Error', 'An error code: denied, unauthorized, failed'],
  ['write', 'Write', 'A call that changes something'],
  ['login', 'Login', 'A console login'],
  ['read', 'Read', 'A read-only call (Describe, List, Get, …)'],
  ['root', 'Root', 'The root user (outlined, whatever the outcome)'],
];

export class TimelineControls {
  readonly element: HTMLElement;
  /** Under the canvas: rows without a time, the range in view. */
  readonly status: HTMLElement;
  private readonly laneBy: HTMLSelectElement;
  private readonly zone: HTMLButtonElement;
  private readonly investigation: HTMLButtonElement;
  private readonly expand: HTMLButtonElement;
  private readonly legend: HTMLElement;
  private readonly range = h('span', { className: 'timeline-range', attrs: { 'data-testid': 'timeline-range' } });
  private readonly missing = h('span', { className: 'timeline-missing', attrs: { 'data-testid': 'timeline-missing' } });
  private legendDrawn = '';
  private state: ControlsState | undefined;

  constructor(handlers: ControlsHandlers) {
    this.laneBy = h('select', {
      className: 'lane-by',
      title: 'Group the lanes by',
      attrs: { 'data-testid': 'lane-by', 'aria-label': 'Lanes by' },
    });
    for (const { dimension, label } of LANE_DIMENSIONS) this.laneBy.append(h('option', { text: label, attrs: { value: dimension } }));
    this.laneBy.addEventListener('change', () => handlers.onDimension(this.laneBy.value as LaneDimension));
    this.zone = h('button', {
      className: 'button toggle',
      title: 'Show times in UTC or in local time',
      attrs: { type: 'button', 'data-testid': 'time-zone' },
    });
    this.zone.addEventListener('click', () => handlers.onZone(this.state?.zone === 'utc' ? 'local' : 'utc'));
    this.investigation = h('button', {
      className: 'button toggle',
      text: 'Investigation',
      title: 'One timeline of every cell run from this runbook, a lane and a colour per cell',
      attrs: { type: 'button', 'data-testid': 'view-investigation' },
    });
    this.investigation.addEventListener('click', () => handlers.onInvestigation(!(this.state?.investigation ?? false)));
    this.expand = h('button', {
      className: 'button toggle',
      text: 'All lanes',
      title: 'A lane for every value instead of the busiest and "other" (the lanes scroll: wheel over their labels)',
      attrs: { type: 'button', 'data-testid': 'expand-lanes' },
    });
    this.expand.addEventListener('click', () => handlers.onExpand(!(this.state?.expanded ?? false)));
    const reset = h('button', {
      className: 'button',
      text: 'Reset zoom',
      title: 'Show all events (or double-click the timeline)',
      attrs: { type: 'button', 'data-testid': 'timeline-reset' },
    });
    reset.addEventListener('click', handlers.onReset);
    this.legend = h('span', { className: 'timeline-legend', attrs: { 'data-testid': 'timeline-legend' } });
    this.element = h(
      'div',
      { className: 'timeline-toolbar' },
      h('label', { className: 'lane-by-label' }, 'Lanes ', this.laneBy),
      this.expand,
      this.investigation,
      this.zone,
      reset,
      this.legend,
    );
    this.status = h('div', { className: 'timeline-status' }, this.range, this.missing);
  }

  update(state: ControlsState): void {
    this.state = state;
    for (const option of this.laneBy.options) option.disabled = !state.available.includes(option.value as LaneDimension);
    if (state.dimension !== undefined) this.laneBy.value = state.dimension;
    this.laneBy.disabled = state.investigation || state.available.length === 0;
    setText(this.zone, state.zone === 'utc' ? 'UTC' : 'Local time');
    this.zone.dataset.zone = state.zone;
    this.zone.setAttribute('aria-pressed', String(state.zone === 'local'));
    this.investigation.setAttribute('aria-pressed', String(state.investigation));
    this.expand.hidden = state.investigation || !state.canExpand;
    this.expand.setAttribute('aria-pressed', String(state.expanded));
    this.investigation.dataset.active = String(state.investigation);
    this.drawLegend(state);
  }

  showStatus(range: string, missing: string): void {
    setText(this.range, range);
    setText(this.missing, missing);
    this.missing.hidden = missing === '';
  }

  private drawLegend(state: ControlsState): void {
    const key = state.investigation ? `cells|${state.cells.join('|')}` : 'outcomes';
    if (key === this.legendDrawn) return;
    this.legendDrawn = key;
    const entries = state.investigation
      ? state.cells.map((cell, i) => legendEntry(`run-${i % 8}`, cell))
      : OUTCOME_LEGEND.map(([kind, label, meaning]) => legendEntry(kind, label, meaning));
    this.legend.replaceChildren(...entries);
  }
}

function legendEntry(kind: string, label: string, meaning?: string): HTMLElement {
  return h(
    'span',
    { className: 'legend-entry', ...(meaning === undefined ? {} : { title: meaning }) },
    h('span', { className: `swatch swatch-${kind}`, attrs: { 'aria-hidden': 'true' } }),
    label,
  );
}
