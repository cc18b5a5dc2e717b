// The IVR editor shows each of the server's checks on the menu or digit it concerns: the paths come from
// the server's own validator (so a change of its path format fails here), placed by the editor's helper.
import { describe, expect, it } from 'vitest';
import { validateIvrTree } from '../../src/contact-center/model/ivr-tree.ts';
import type { IvrTree } from '../../src/contact-center/schemas.ts';
import { placeIvrErrors } from '../../web/src/pages/contact-center/ivrErrors.ts';

const tree: IvrTree = {
  root: 'main',
  nodes: [
    { id: 'main', prompt: { zh: '主菜单', en: 'Main' }, options: [
      { digit: '1', target: { type: 'queue', queue: 'front' } },
      { digit: '2', target: { type: 'queue', queue: 'nowhere' } },
      { digit: '3', target: { type: 'menu', menu: 'biz' } },
    ] },
    { id: 'biz', prompt: { zh: '业务', en: 'Business' }, options: [
      { digit: '1', target: { type: 'menu', menu: 'main' } },
      { digit: '1', target: { type: 'queue', queue: 'front' } },
    ] },
    { id: 'lost', prompt: { zh: '孤立', en: 'Lost' }, options: [] },
  ],
};

describe('IVR editor: where the checks land', () => {
  it('puts option problems on the option, menu problems on the menu', () => {
    const problems = validateIvrTree(tree, (k) => k === 'front').map((p) => ({ path: p.path, code: p.code, message: p.code }));
    const placed = placeIvrErrors(problems);
    expect(placed.option.get('0.1')?.map((e) => e.code)).toEqual(['unknown_queue']);
    expect(placed.option.get('1.1')?.map((e) => e.code)).toEqual(['duplicate_digit']);
    expect(placed.option.get('1.0')?.map((e) => e.code)).toEqual(['cycle']);
    expect(placed.node.get(2)?.map((e) => e.code).sort()).toEqual(['empty_menu', 'unreachable']);
    expect(placed.node.get(0)).toBeUndefined();
    expect(placed.tree).toEqual([]);
  });

  it('reads schema errors of a refused request body and keeps unplaceable ones for the whole tree', () => {
    const placed = placeIvrErrors([
      { path: 'body.tree.nodes.3.prompt.zh', code: 'too_small', message: 'required' },
      { path: 'body.nodes.0.options.2.digit', code: 'invalid_digit', message: 'digit' },
      { path: 'tree.root', code: 'no_root', message: 'root' },
    ]);
    expect(placed.node.get(3)?.map((e) => e.code)).toEqual(['too_small']);
    expect(placed.option.get('0.2')?.map((e) => e.code)).toEqual(['invalid_digit']);
    expect(placed.tree.map((e) => e.code)).toEqual(['no_root']);
  });
});
