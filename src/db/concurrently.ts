// Independent statements over several connections: at most `parallel` of `items` in flight, each
// started when one finishes (on PostgreSQL one pool connection each; PGlite runs them one after another).

/** fn over every item, at most `parallel` at a time; the results in the items' order. */
export async function mapConcurrently<T, R>(items: readonly T[], parallel: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, items.length)) }, worker));
  return out;
}
