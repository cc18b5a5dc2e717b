// IVR tree validation (pure) against hand-built trees: every digit leads somewhere, no cycles, queues exist.
import { describe, expect, it } from 'vitest';
import { validateIvrTree, type IvrTreeLike } from './model/ivr-tree.ts';

const queues = new Set(['front', 'complaints', 'data']);
const exists = (k: string) => queues.has(k);
const menu = (id: string, options: [string, { type: 'menu'; menu: string } | { type: 'queue'; queue: string }][]) => ({ id, options: options.map(([digit, target]) => ({ digit, target })) });

describe('IVR tree validation', () => {
  it('accepts a tree whose digits all lead to menus or existing queues', () => {
    const tree: IvrTreeLike = { root: 'main', nodes: [
      menu('main', [['1', { type: 'menu', menu: 'biz' }], ['2', { type: 'queue', queue: 'complaints' }], ['0', { type: 'queue', queue: 'front' }]]),
      menu('biz', [['1', { type: 'queue', queue: 'data' }], ['9', { type: 'queue', queue: 'front' }]]),
    ] };
    expect(validateIvrTree(tree, exists)).toEqual([]);
  });

  it('reports unknown menus and queues, duplicate digits and ids, a missing root, empty and unreachable menus', () => {
    const tree: IvrTreeLike = { root: 'main', nodes: [
      menu('main', [['1', { type: 'menu', menu: 'nowhere' }], ['1', { type: 'queue', queue: 'front' }], ['2', { type: 'queue', queue: 'devices' }]]),
      menu('orphan', [['1', { type: 'queue', queue: 'front' }]]),
      menu('empty', []),
      menu('main', [['3', { type: 'queue', queue: 'front' }]]),
    ] };
    const codes = validateIvrTree(tree, exists).map((p) => `${p.code}@${p.path}`).sort();
    expect(codes).toEqual([
      'duplicate_digit@tree.nodes.0.options.1.digit',
      'duplicate_node@tree.nodes.3.id',
      'empty_menu@tree.nodes.2.options',
      'unknown_node@tree.nodes.0.options.0.target',
      'unknown_queue@tree.nodes.0.options.2.target',
      'unreachable@tree.nodes.1.id',
      'unreachable@tree.nodes.2.id',
    ]);
    expect(validateIvrTree({ root: 'x', nodes: [menu('a', [['1', { type: 'queue', queue: 'front' }]])] }, exists).map((p) => p.code)).toEqual(['no_root']); // reachability is only meaningful from an existing root
  });

  it('finds cycles, including a self-loop and a long one, and names the path', () => {
    const tree: IvrTreeLike = { root: 'a', nodes: [
      menu('a', [['1', { type: 'menu', menu: 'b' }], ['0', { type: 'queue', queue: 'front' }]]),
      menu('b', [['1', { type: 'menu', menu: 'c' }], ['2', { type: 'menu', menu: 'b' }]]),
      menu('c', [['1', { type: 'menu', menu: 'a' }], ['2', { type: 'queue', queue: 'data' }]]),
    ] };
    const cycles = validateIvrTree(tree, exists).filter((p) => p.code === 'cycle').map((p) => p.params.path).sort();
    expect(cycles).toEqual(['a → b → c → a', 'b → b']);
    // A diamond (two digits to the same submenu) is not a cycle.
    const diamond: IvrTreeLike = { root: 'a', nodes: [
      menu('a', [['1', { type: 'menu', menu: 'b' }], ['2', { type: 'menu', menu: 'c' }]]),
      menu('b', [['1', { type: 'menu', menu: 'd' }]]),
      menu('c', [['1', { type: 'menu', menu: 'd' }]]),
      menu('d', [['1', { type: 'queue', queue: 'front' }]]),
    ] };
    expect(validateIvrTree(diamond, exists)).toEqual([]);
  });
});
