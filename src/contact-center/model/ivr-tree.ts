// IVR menu tree (语音导航) validation: pure, no I/O. A tree is valid when its root exists, menu ids and the
// digits within a menu are unique, every digit leads to an existing menu or queue, every menu is reachable
// from the root, and following digits never returns to a menu already on the path (no cycles: a caller
// can always reach a queue by pressing keys).
export interface IvrTreeLike {
  root: string;
  nodes: { id: string; options: { digit: string; target: { type: 'menu'; menu: string } | { type: 'queue'; queue: string } }[] }[];
}

export interface IvrProblem {
  path: string;
  code: 'no_root' | 'duplicate_node' | 'duplicate_digit' | 'unknown_node' | 'unknown_queue' | 'cycle' | 'unreachable' | 'empty_menu';
  params: Record<string, string>;
}

export function validateIvrTree(tree: IvrTreeLike, queueExists: (key: string) => boolean): IvrProblem[] {
  const problems: IvrProblem[] = [];
  const index = new Map<string, number>();
  tree.nodes.forEach((n, i) => {
    if (index.has(n.id)) problems.push({ path: `tree.nodes.${i}.id`, code: 'duplicate_node', params: { node: n.id } });
    else index.set(n.id, i);
  });
  if (!index.has(tree.root)) problems.push({ path: 'tree.root', code: 'no_root', params: { node: tree.root } });
  tree.nodes.forEach((n, i) => {
    if (n.options.length === 0) problems.push({ path: `tree.nodes.${i}.options`, code: 'empty_menu', params: { node: n.id } });
    const digits = new Set<string>();
    n.options.forEach((o, j) => {
      const path = `tree.nodes.${i}.options.${j}`;
      if (digits.has(o.digit)) problems.push({ path: `${path}.digit`, code: 'duplicate_digit', params: { digit: o.digit } });
      digits.add(o.digit);
      if (o.target.type === 'menu' && !index.has(o.target.menu)) problems.push({ path: `${path}.target`, code: 'unknown_node', params: { node: o.target.menu } });
      if (o.target.type === 'queue' && !queueExists(o.target.queue)) problems.push({ path: `${path}.target`, code: 'unknown_queue', params: { queue: o.target.queue } });
    });
  });
  // Cycles and reachability: iterative depth-first search from the root, colouring menus
  // (1 = on the current path, 2 = finished).
  const colour = new Map<string, 1 | 2>();
  const reported = new Set<string>();
  if (index.has(tree.root)) {
    const stack: { id: string; next: number; path: string[] }[] = [{ id: tree.root, next: 0, path: [tree.root] }];
    colour.set(tree.root, 1);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const node = tree.nodes[index.get(top.id)!];
      if (top.next >= node.options.length) {
        colour.set(top.id, 2);
        stack.pop();
        continue;
      }
      const o = node.options[top.next++];
      if (o.target.type !== 'menu' || !index.has(o.target.menu)) continue;
      const to = o.target.menu;
      const c = colour.get(to);
      if (c === 1) {
        const key = `${top.id}->${to}`;
        if (!reported.has(key)) {
          reported.add(key);
          const from = top.path.indexOf(to);
          problems.push({ path: `tree.nodes.${index.get(top.id)}.options.${top.next - 1}.target`, code: 'cycle', params: { path: [...top.path.slice(from), to].join(' → ') } });
        }
      } else if (c === undefined) {
        colour.set(to, 1);
        stack.push({ id: to, next: 0, path: [...top.path, to] });
      }
    }
    tree.nodes.forEach((n, i) => {
      if (!colour.has(n.id) && index.get(n.id) === i) problems.push({ path: `tree.nodes.${i}.id`, code: 'unreachable', params: { node: n.id } });
    });
  }
  return problems;
}
