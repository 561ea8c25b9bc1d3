/** Actions due at virtual times, earliest first (a binary heap: tens of thousands of entries stay cheap). */
export class Agenda {
  private heap: { at: number; order: number; run: () => Promise<void> }[] = [];
  private added = 0;

  get size(): number {
    return this.heap.length;
  }

  add(at: number, run: () => Promise<void>): void {
    this.heap.push({ at, order: this.added++, run });
    let i = this.heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  peekTime(): number | undefined {
    return this.heap[0]?.at;
  }

  pop(): (() => Promise<void>) | undefined {
    const top = this.heap[0];
    const last = this.heap.pop();
    if (!top || !last) return undefined;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.siftDown(0);
    }
    return top.run;
  }

  /** Moves the entry at `start` down until neither child comes before it (the binary heap's invariant). */
  private siftDown(start: number): void {
    let i = start;
    for (;;) {
      const smallest = this.earliestOf(i, 2 * i + 1, 2 * i + 2);
      if (smallest === i) return;
      this.swap(i, smallest);
      i = smallest;
    }
  }

  private earliestOf(parent: number, left: number, right: number): number {
    let earliest = parent;
    if (left < this.heap.length && this.before(left, earliest)) earliest = left;
    if (right < this.heap.length && this.before(right, earliest)) earliest = right;
    return earliest;
  }

  private before(a: number, b: number): boolean {
    const [x, y] = [this.heap[a], this.heap[b]];
    return !!x && !!y && (x.at < y.at || (x.at === y.at && x.order < y.order));
  }

  private swap(a: number, b: number): void {
    [this.heap[a], this.heap[b]] = [this.heap[b] as never, this.heap[a] as never];
  }
}
