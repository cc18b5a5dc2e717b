// 省市区 as people type them (广东省 / 广东 / 440000, 深圳市 / 深圳, 南山区 / 南山) → GB/T 2260 codes,
// using the maintained tree in src/platform/regions.ts.
import { provinces, regionByCode, type Region } from '../../platform/regions.ts';

export interface RegionCodes {
  provinceCode: string | null;
  cityCode: string | null;
  districtCode: string | null;
}

export type RegionError = { column: 'province' | 'city' | 'district'; reason: 'unknown_region' | 'region_mismatch' };

const SUFFIXES = ['维吾尔自治区', '壮族自治区', '回族自治区', '特别行政区', '自治区', '自治州', '地区', '省', '市', '盟', '区', '县', '旗'];

/** Name without its administrative suffix, when something meaningful (two characters or more) is left. */
export function shortRegionName(name: string): string {
  for (const s of SUFFIXES) {
    if (name.endsWith(s) && name.length - s.length >= 2) return name.slice(0, -s.length);
  }
  return name;
}

function clean(s: string): string {
  return s.normalize('NFKC').replace(/\s+/g, '');
}

interface NameIndex {
  byName: Map<string, Region>;
}

const childIndexCache = new WeakMap<Region, NameIndex>();
let provinceIndex: NameIndex | null = null;
let cityIndex: Map<string, Region[]> | null = null;

function indexOf(regions: readonly Region[]): NameIndex {
  const byName = new Map<string, Region>();
  for (const r of regions) byName.set(r.name, r);
  // Short names second, so they never shadow a full name.
  for (const r of regions) {
    const short = shortRegionName(r.name);
    if (!byName.has(short)) byName.set(short, r);
  }
  return { byName };
}

function childIndex(parent: Region): NameIndex {
  let idx = childIndexCache.get(parent);
  if (!idx) {
    idx = indexOf(parent.children);
    childIndexCache.set(parent, idx);
  }
  return idx;
}

function findProvince(v: string): Region | undefined {
  if (/^\d{6}$/.test(v)) {
    const r = regionByCode(v);
    return r?.level === 'province' ? r : undefined;
  }
  provinceIndex ??= indexOf(provinces());
  return provinceIndex.byName.get(v);
}

/** Cities by name across all provinces, for files that have a city column but no province. */
function citiesNamed(v: string): Region[] {
  if (!cityIndex) {
    cityIndex = new Map();
    for (const p of provinces()) {
      for (const c of p.children) {
        if (c.level !== 'city') continue;
        for (const n of new Set([c.name, shortRegionName(c.name)])) {
          const list = cityIndex.get(n) ?? [];
          list.push(c);
          cityIndex.set(n, list);
        }
      }
    }
  }
  return cityIndex.get(v) ?? [];
}

function childNamed(parent: Region, v: string, level: Region['level']): Region | undefined {
  if (/^\d{6}$/.test(v)) {
    const r = regionByCode(v);
    return r && r.parentCode === parent.code && r.level === level ? r : undefined;
  }
  const r = childIndex(parent).byName.get(v);
  return r?.level === level ? r : undefined;
}

function isMunicipality(p: Region): boolean {
  return p.children.length > 0 && p.children[0].level === 'district';
}

/** Resolves the three region cells of a row; empty cells stay null. */
export function resolveRegion(input: { province?: string; city?: string; district?: string }): RegionCodes | RegionError {
  const pv = clean(input.province ?? '');
  let cv = clean(input.city ?? '');
  const dv = clean(input.district ?? '');
  const out: RegionCodes = { provinceCode: null, cityCode: null, districtCode: null };
  let province: Region | undefined;
  let city: Region | undefined;

  if (pv) {
    province = findProvince(pv);
    if (!province) return { column: 'province', reason: /^\d{6}$/.test(pv) && regionByCode(pv) ? 'region_mismatch' : 'unknown_region' };
    out.provinceCode = province.code;
  }

  if (cv) {
    if (/^\d{6}$/.test(cv) && !province) {
      const r = regionByCode(cv);
      if (r?.level !== 'city') return { column: 'city', reason: 'unknown_region' };
      city = r;
      province = r.parentCode ? regionByCode(r.parentCode) : undefined;
      out.provinceCode = province?.code ?? null;
    } else if (!province) {
      const found = citiesNamed(cv);
      if (found.length !== 1) return { column: found.length ? 'province' : 'city', reason: 'unknown_region' };
      city = found[0];
      province = city.parentCode ? regionByCode(city.parentCode) : undefined;
      out.provinceCode = province?.code ?? null;
    } else if (isMunicipality(province)) {
      // 北京市 / 市辖区 in the city column of a municipality mean "the municipality itself".
      if (cv === province.name || cv === shortRegionName(province.name) || cv === '市辖区' || cv === province.code) {
        cv = '';
      } else {
        const asDistrict = childNamed(province, cv, 'district');
        if (!asDistrict || (dv && childNamed(province, dv, 'district') !== asDistrict)) return { column: 'city', reason: 'region_mismatch' };
        out.districtCode = asDistrict.code;
        return out;
      }
    } else {
      city = childNamed(province, cv, 'city');
      if (!city) {
        const anywhere = /^\d{6}$/.test(cv) ? regionByCode(cv) : citiesNamed(cv)[0];
        return { column: 'city', reason: anywhere ? 'region_mismatch' : 'unknown_region' };
      }
    }
    if (city) out.cityCode = city.code;
  }

  if (dv) {
    const parent = city ?? (province && isMunicipality(province) ? province : undefined);
    if (!parent) return { column: 'district', reason: 'unknown_region' };
    const district = childNamed(parent, dv, 'district');
    if (!district) {
      const anywhere = /^\d{6}$/.test(dv) && regionByCode(dv);
      return { column: 'district', reason: anywhere ? 'region_mismatch' : 'unknown_region' };
    }
    out.districtCode = district.code;
  }
  return out;
}

/** "广东省", "深圳市", "南山区" for the export. */
export function regionName(code: string | null): string {
  return code ? (regionByCode(code)?.name ?? code) : '';
}
