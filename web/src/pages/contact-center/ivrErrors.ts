// Where the server's IVR checks point: "tree.nodes.2.options.1.target" (publish) or "body.nodes.2.id"
// (a request body refused by the schema) → menu 2, option 1; anything else concerns the whole tree.
import type { FieldError } from '../../api/client.ts';

/** Problems by where they point: "tree.nodes.2.options.1.target" → node 2, option 1. */
export interface Placed {
  tree: FieldError[];
  node: Map<number, FieldError[]>;
  option: Map<string, FieldError[]>;
}

export function placeIvrErrors(errors: FieldError[]): Placed {
  const out: Placed = { tree: [], node: new Map(), option: new Map() };
  for (const e of errors) {
    const p = e.path.replace(/^body\./, '').replace(/^tree\./, '');
    const m = /^nodes\.(\d+)(?:\.options\.(\d+))?/.exec(p);
    if (m?.[2] !== undefined) {
      const k = `${m[1]}.${m[2]}`;
      out.option.set(k, [...(out.option.get(k) ?? []), e]);
    } else if (m) {
      const k = Number(m[1]);
      out.node.set(k, [...(out.node.get(k) ?? []), e]);
    } else out.tree.push(e);
  }
  return out;
}

