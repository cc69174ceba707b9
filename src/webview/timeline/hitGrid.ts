// Which mark is under the pointer, without scanning every event on each mousemove.
// While drawing, each painted mark is filed in a grid cell (lane × a few pixels); a
// lookup reads only the cells around the pointer. Linked lists in typed arrays: filing
// 100,000 marks allocates nothing. Pure: no DOM.

export class HitGrid {
  private columns = 0;
  private rows = 0;
  private cellWidth = 1;
  /** First item of each cell, -1 for none. */
  private head = new Int32Array(0);
  /** Next item in the same cell, -1 at the end. */
  private next = new Int32Array(0);
  private xs = new Float32Array(0);
  private refs = new Int32Array(0);
  private count = 0;

  /** Empties the grid for a plot `width` px wide with `rows` lanes. */
  reset(width: number, rows: number, cellWidth = 4): void {
    this.cellWidth = cellWidth;
    this.columns = Math.max(1, Math.ceil(width / cellWidth) + 1);
    this.rows = Math.max(1, rows);
    const cells = this.columns * this.rows;
    if (this.head.length < cells) this.head = new Int32Array(cells);
    this.head.fill(-1, 0, cells);
    this.count = 0;
  }

  /** Files item `ref` at x (px from the plot's left) in lane `row`. */
  add(ref: number, x: number, row: number): void {
    if (row < 0 || row >= this.rows) return;
    const column = Math.floor(x / this.cellWidth);
    if (column < 0 || column >= this.columns) return;
    if (this.count === this.next.length) this.grow();
    const item = this.count;
    this.count += 1;
    const cell = row * this.columns + column;
    this.xs[item] = x;
    this.refs[item] = ref;
    this.next[item] = this.head[cell]!;
    this.head[cell] = item;
  }

  /** The ref of the mark nearest to x in lane `row`, within `radius` px; -1 for none. */
  nearest(x: number, row: number, radius: number): number {
    if (row < 0 || row >= this.rows) return -1;
    const first = Math.max(0, Math.floor((x - radius) / this.cellWidth));
    const last = Math.min(this.columns - 1, Math.floor((x + radius) / this.cellWidth));
    let best = -1;
    let bestDistance = radius + 1e-9;
    for (let column = first; column <= last; column += 1) {
      // Items of a cell are newest first: on a tie the mark drawn last (on top) wins.
      for (let item = this.head[row * this.columns + column]!; item !== -1; item = this.next[item]!) {
        const distance = Math.abs(this.xs[item]! - x);
        if (distance < bestDistance) {
          bestDistance = distance;
          best = this.refs[item]!;
        }
      }
    }
    return best;
  }

  get size(): number {
    return this.count;
  }

  private grow(): void {
    const capacity = Math.max(1024, this.next.length * 2);
    const next = new Int32Array(capacity);
    next.set(this.next);
    const xs = new Float32Array(capacity);
    xs.set(this.xs);
    const refs = new Int32Array(capacity);
    refs.set(this.refs);
    this.next = next;
    this.xs = xs;
    this.refs = refs;
  }
}
