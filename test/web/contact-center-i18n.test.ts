// Every string key the contact center pages use exists in both languages, with the same placeholders,
// and the keys built at run time (agent states, queue kinds) cover the server's lists.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { agentStates, queueKinds } from '../../src/contact-center/tables.ts';

const root = path.resolve(import.meta.dirname, '../..');
type Tree = { [k: string]: string | Tree };
const load = (f: string) => JSON.parse(fs.readFileSync(path.join(root, 'web/src/i18n', f), 'utf8')) as Tree;
const zh = load('zh-CN.json');
const en = load('en.json');

function lookup(tree: Tree, key: string): string | Tree | undefined {
  let node: string | Tree | undefined = tree;
  for (const part of key.split('.')) node = typeof node === 'object' ? node[part] : undefined;
  return node;
}

function leaves(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : leaves(v, `${prefix}${k}.`)));
}

const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

const sources = [
  ...fs.readdirSync(path.join(root, 'web/src/pages/contact-center')).filter((f) => f.endsWith('.tsx')).map((f) => path.join(root, 'web/src/pages/contact-center', f)),
  path.join(root, 'web/src/sections.ts'),
];
const code = sources.map((f) => fs.readFileSync(f, 'utf8')).join('\n');

describe('contact center UI strings', () => {
  it('has the same cc keys and placeholders in zh-CN and en', () => {
    const zhKeys = leaves(lookup(zh, 'cc') as Tree, 'cc.');
    const enKeys = leaves(lookup(en, 'cc') as Tree, 'cc.');
    expect(enKeys.sort()).toEqual(zhKeys.sort());
    for (const k of zhKeys) expect(placeholders(lookup(en, k) as string), k).toEqual(placeholders(lookup(zh, k) as string));
  });

  it('defines every literal key the pages use', () => {
    const used = [...code.matchAll(/\bt\('((?:cc|common|timeline)\.[\w.]+)'/g), ...code.matchAll(/labelKey: '(cc\.[\w.]+)'/g)].map((m) => m[1]);
    expect(used.length).toBeGreaterThan(100);
    const missing = [...new Set(used)].filter((k) => typeof lookup(zh, k) !== 'string' || typeof lookup(en, k) !== 'string');
    expect(missing).toEqual([]);
  });

  it('labels every agent state, queue kind and call kind of the server', () => {
    for (const tree of [zh, en]) {
      for (const s of agentStates) expect(typeof lookup(tree, `cc.state.${s}`), s).toBe('string');
      for (const k of queueKinds) expect(typeof lookup(tree, `cc.kind.${k}`), k).toBe('string');
      for (const k of ['answered', 'abandoned', 'open']) expect(typeof lookup(tree, `timeline.kind.call_${k}`), k).toBe('string');
      for (const k of ['connecting', 'live', 'retrying']) expect(typeof lookup(tree, `cc.wallboard.link.${k}`), k).toBe('string');
      for (const k of ['queues', 'skills', 'agents']) expect(typeof lookup(tree, `cc.tabs.${k}`), k).toBe('string');
    }
  });
});
