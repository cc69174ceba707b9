// A handle between two panes: drag it, or focus it and use the arrow keys, to move the
// border by so many pixels. The owner decides what the move means (and its bounds).
import { h } from './dom';

export type SplitDirection = 'columns' | 'rows';

export interface SplitHandlers {
  /** A move begins: the owner notes the size it moves from. */
  readonly start: () => void;
  /** The border is `delta` pixels right (columns) or down (rows) of where it began. */
  readonly move: (delta: number) => void;
  /** Released: the owner saves the layout. */
  readonly end: () => void;
}

export class Splitter {
  readonly element: HTMLElement;
  private dragFrom: number | undefined;

  constructor(direction: SplitDirection, label: string, testId: string, handlers: SplitHandlers) {
    this.element = h('div', {
      className: `splitter splitter-${direction}`,
      title: `${label}: drag, or arrow keys`,
      attrs: {
        role: 'separator',
        tabindex: '0',
        'aria-label': label,
        'aria-orientation': direction === 'columns' ? 'vertical' : 'horizontal',
        'data-testid': testId,
      },
    });
    const at = (event: PointerEvent): number => (direction === 'columns' ? event.clientX : event.clientY);
    this.element.addEventListener('pointerdown', (event) => {
      if (event.button !== 0) return;
      event.preventDefault();
      this.dragFrom = at(event);
      handlers.start();
      this.element.setPointerCapture(event.pointerId);
      this.element.classList.add('dragging');
    });
    this.element.addEventListener('pointermove', (event) => {
      if (this.dragFrom !== undefined) handlers.move(at(event) - this.dragFrom);
    });
    const end = (event: PointerEvent): void => {
      if (this.dragFrom === undefined) return;
      handlers.move(at(event) - this.dragFrom);
      this.dragFrom = undefined;
      handlers.end();
      this.element.classList.remove('dragging');
      if (this.element.hasPointerCapture(event.pointerId)) this.element.releasePointerCapture(event.pointerId);
    };
    this.element.addEventListener('pointerup', end);
    this.element.addEventListener('pointercancel', end);
    this.element.addEventListener('keydown', (event) => {
      const keys: Readonly<Record<string, number>> =
        direction === 'columns' ? { ArrowLeft: -16, ArrowRight: 16 } : { ArrowUp: -16, ArrowDown: 16 };
      const delta = keys[event.key];
      if (delta === undefined) return;
      event.preventDefault();
      handlers.start();
      handlers.move(delta);
      handlers.end();
    });
  }
}
