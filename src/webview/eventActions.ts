// What one does next with the selected event: copy the identifiers one pastes elsewhere
// (ARN, access key, IP, event id), or pivot, which asks the host to add the next cell to
// the runbook ("everything this principal did", "±15 minutes around it", …) and run it.
// A button is disabled when the row lacks what it needs (src/protocol/pivotValues.ts, as the
// host reads it), and its title says why.
import { displayText } from '../protocol/displayText';
import { pivotValue, type PivotKind } from '../protocol/pivotValues';
import { h } from './dom';
import type { PostToHost } from './hostApi';
import { readText, resolveFields, type EventField } from './timeline/eventFields';
import { rowAsObject } from './formatValue';
import type { Run } from './runStore';

interface CopySpec {
  readonly testId: string;
  readonly label: string;
  readonly field: EventField;
}

const COPIES: readonly CopySpec[] = [
  { testId: 'copy-arn', label: 'ARN', field: 'principal' },
  { testId: 'copy-access-key', label: 'Access key', field: 'accessKey' },
  { testId: 'copy-ip', label: 'IP', field: 'sourceIp' },
  { testId: 'copy-event-id', label: 'Event id', field: 'eventId' },
];

interface PivotSpec {
  readonly kind: PivotKind;
  readonly label: string;
  /** What the row must have, in words for the disabled button's title. */
  readonly needs: string;
}

const PIVOTS: readonly PivotSpec[] = [
  { kind: 'principal', label: 'Everything this principal did', needs: 'a principal ARN (userIdentity.arn)' },
  { kind: 'accessKey', label: '… this access key did', needs: 'an access key id (userIdentity.accessKeyId)' },
  { kind: 'sourceIp', label: '… this IP did', needs: 'a source IP (sourceIPAddress)' },
  { kind: 'around', label: '±15 minutes around it', needs: 'an eventTime' },
  { kind: 'resource', label: '… on this resource', needs: 'a resource ARN (resources)' },
];

export class EventActions {
  readonly element: HTMLElement;
  private readonly copies = new Map<string, HTMLButtonElement>();
  private readonly pivots = new Map<PivotKind, HTMLButtonElement>();
  private run: Run | undefined;
  private row: number | undefined;
  private values = new Map<string, string>();

  constructor(private readonly post: PostToHost) {
    const copyGroup = h('span', { className: 'action-group' }, h('span', { className: 'action-label', text: 'Copy' }));
    for (const spec of COPIES) {
      const button = h('button', { className: 'button', text: spec.label, attrs: { type: 'button', 'data-testid': spec.testId } });
      button.addEventListener('click', () => {
        const text = this.values.get(spec.testId);
        if (text !== undefined) this.post({ type: 'copy', text });
      });
      this.copies.set(spec.testId, button);
      copyGroup.append(button);
    }
    const pivotGroup = h('span', { className: 'action-group' }, h('span', { className: 'action-label', text: 'Pivot' }));
    for (const spec of PIVOTS) {
      const button = h('button', { className: 'button pivot', text: spec.label, attrs: { type: 'button', 'data-testid': `pivot-${spec.kind}` } });
      button.addEventListener('click', () => this.pivot(spec.kind));
      this.pivots.set(spec.kind, button);
      pivotGroup.append(button);
    }
    this.element = h('div', { className: 'event-actions' }, pivotGroup, copyGroup);
  }

  show(run: Run, row: number): void {
    this.run = run;
    this.row = row;
    const values = run.rows[row] ?? [];
    const fields = resolveFields(run.columns);
    this.values = new Map();
    for (const spec of COPIES) {
      const value = readText(values, fields[spec.field]);
      const button = this.copies.get(spec.testId)!;
      button.disabled = value === undefined;
      button.title = value === undefined ? `This row has no ${spec.label.toLowerCase()}` : `Copy ${displayText(value)}`;
      if (value !== undefined) this.values.set(spec.testId, value);
    }
    // The same reading of the row as the host's, which builds the cell: enabled means it can.
    const byColumn = rowAsObject(run.columns, values);
    for (const spec of PIVOTS) {
      const value = pivotValue(byColumn, spec.kind);
      const button = this.pivots.get(spec.kind)!;
      button.disabled = value === undefined;
      button.title = value === undefined ? `Needs ${spec.needs} in the row` : `Add a cell below this one for ${displayText(value)}, and run it`;
    }
  }

  private pivot(kind: PivotKind): void {
    const run = this.run;
    const values = this.row === undefined ? undefined : run?.rows[this.row];
    if (run === undefined || values === undefined) return;
    this.post({ type: 'pivot', runId: run.runId, kind, row: rowAsObject(run.columns, values) });
  }
}
