// A binary min-heap ordered by a caller's `less` (Williams 1964; Cormen et al., "Introduction to
// Algorithms", ch. 6). Used by the routing policy and the simulation's event list.

export class Heap<T> {
  private items: T[] = [];

  constructor(private readonly less: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(x: T): void {
    const a = this.items;
    let i = a.length;
    a.push(x);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(x, a[p])) break;
      a[i] = a[p];
      i = p;
    }
    a[i] = x;
  }

  pop(): T | undefined {
    const a = this.items;
    const n = a.length;
    if (n === 0) return undefined;
    const top = a[0];
    const last = a.pop() as T;
    if (n > 1) this.siftDown(last, 0);
    return top;
  }

  /** Keeps only the items for which `keep` holds, then restores heap order in O(n). */
  filter(keep: (x: T) => boolean): void {
    this.items = this.items.filter(keep);
    for (let i = (this.items.length >> 1) - 1; i >= 0; i--) this.siftDown(this.items[i], i);
  }

  private siftDown(x: T, start: number): void {
    const a = this.items;
    const n = a.length;
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.less(a[r], a[l]) ? r : l;
      if (!this.less(a[c], x)) break;
      a[i] = a[c];
      i = c;
    }
    a[i] = x;
  }
}
