import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { Invalid } from '../../platform/errors.ts';
import { mapHeaders, normalizeHeader, parseMapOption } from './headers.ts';
import { resolveRegion, shortRegionName } from './region-names.ts';
import { detectEncoding } from './read-rows.ts';
import { planBatch, type CustomerRecord } from './plan-batch.ts';
import type { CandidateRow } from './validate-row.ts';

describe('header mapping', () => {
  it('maps Chinese and English headers, ignoring markers, case and full-width characters', () => {
    const m = mapHeaders(['*客户名称', 'Mobile', '电话（选填）', 'E-Mail', '省份', '城市', '区县', '详细地址', '标签', '类型', '来源', '负责人', '备注'], []);
    expect(m.columns.map((c) => c.field)).toEqual(['name', 'phones', 'phones', 'emails', 'province', 'city', 'district', 'street', 'tags', 'kind', 'source', 'owner']);
    expect(m.unmapped).toEqual(['备注']);
    expect(normalizeHeader('ＮＡＭＥ ')).toBe('name');
  });

  it('maps custom fields by key or label, and lets --map override', () => {
    const custom = [{ key: 'level', labelZh: '客户等级', labelEn: 'Level', type: 'text', options: [], required: false }];
    const m = mapHeaders(['联系人', '等级?', 'custom.level', '号码'], custom, parseMapOption('等级?=ignore，号码=phones'));
    expect(m.columns.map((c) => `${c.header}:${c.field}`)).toEqual(['联系人:name', 'custom.level:custom.level', '号码:phones']);
    expect(mapHeaders(['Level', 'name'], custom).columns[0].field).toBe('custom.level');
  });

  it('rejects a file without a name column, ambiguous columns and unknown --map targets', () => {
    expect(() => mapHeaders(['手机', '邮箱'], [])).toThrow(Invalid);
    expect(() => mapHeaders(['姓名', '名称'], [])).toThrow(Invalid);
    expect(() => mapHeaders(['姓名', 'x'], [], { x: 'shoe_size' })).toThrow(Invalid);
    expect(() => mapHeaders(['姓名'], [], { missing: 'phones' })).toThrow(Invalid);
  });
});

describe('region names → GB/T 2260 codes', () => {
  it('accepts full names, short names and codes', () => {
    expect(resolveRegion({ province: '广东省', city: '深圳市', district: '南山区' })).toEqual({ provinceCode: '440000', cityCode: '440300', districtCode: '440305' });
    expect(resolveRegion({ province: '广东', city: '深圳', district: '南山' })).toEqual({ provinceCode: '440000', cityCode: '440300', districtCode: '440305' });
    expect(resolveRegion({ province: '440000', city: '440300', district: '440305' })).toEqual({ provinceCode: '440000', cityCode: '440300', districtCode: '440305' });
    expect(resolveRegion({ province: '内蒙古', city: '呼和浩特' })).toMatchObject({ provinceCode: '150000', cityCode: '150100' });
    expect(resolveRegion({ city: '杭州市' })).toMatchObject({ provinceCode: '330000', cityCode: '330100' });
    expect(resolveRegion({ province: '上海市', city: '上海市', district: '浦东新区' })).toEqual({ provinceCode: '310000', cityCode: null, districtCode: '310115' });
    expect(resolveRegion({ province: '北京', district: '朝阳区' })).toEqual({ provinceCode: '110000', cityCode: null, districtCode: '110105' });
    expect(shortRegionName('新疆维吾尔自治区')).toBe('新疆');
  });

  it('names the column of an unknown or mismatched region', () => {
    expect(resolveRegion({ province: '火星' })).toEqual({ column: 'province', reason: 'unknown_region' });
    expect(resolveRegion({ province: '广东', city: '杭州' })).toEqual({ column: 'city', reason: 'region_mismatch' });
    expect(resolveRegion({ province: '广东', city: '深圳', district: '西湖区' })).toEqual({ column: 'district', reason: 'unknown_region' });
    expect(resolveRegion({ province: '440300' })).toEqual({ column: 'province', reason: 'region_mismatch' });
  });
});

describe('encoding detection', () => {
  it('BOM → utf8, valid UTF-8 → utf8, otherwise GBK; a character cut at the sample end is still UTF-8', () => {
    expect(detectEncoding(Buffer.from('\uFEFF姓名', 'utf8'))).toBe('utf8');
    expect(detectEncoding(Buffer.from('姓名,手机', 'utf8'))).toBe('utf8');
    expect(detectEncoding(iconv.encode('姓名,手机,张三', 'gbk'))).toBe('gbk');
    expect(detectEncoding(Buffer.from('姓名', 'utf8').subarray(0, 4))).toBe('utf8');
  });
});

describe('batch dedupe plan', () => {
  const row = (line: number, name: string, phones: string[], emails: string[] = []): CandidateRow => ({ line, name, phones, emails, tags: [], custom: {} });
  const stored: CustomerRecord = {
    id: '00000000-0000-7000-8000-000000000001', kind: 'person', name: '老王', phones: ['13800000001'], emails: ['w@x.cn'],
    provinceCode: '440000', cityCode: null, districtCode: null, street: null, tags: ['老客户'], custom: { a: 1 }, ownerId: null, source: '门店', isNew: false,
  };

  it('update: merges later rows into the first match, in the file or in the database', () => {
    const p = planBatch([row(2, '王', ['13800000001']), row(3, '新', ['13900000000']), row(4, '新二', ['13700000000'], ['n@x.cn']), row(5, '新三', ['13900000000'], ['n@x.cn'])], [{ ...stored }], 'update');
    expect(p).toMatchObject({ created: 2, updated: 2, skipped: 0 });
    expect(p.updates).toHaveLength(1);
    expect(p.updates[0]).toMatchObject({ name: '王', phones: ['13800000001'], provinceCode: '440000', source: '门店', tags: ['老客户'] });
    // Row 5 matches row 3 by phone first: merged there, its email added.
    expect(p.inserts.find((r) => r.phones.includes('13900000000'))).toMatchObject({ name: '新三', emails: ['n@x.cn'] });
  });

  it('skip: leaves matches alone and counts them', () => {
    const p = planBatch([row(2, '王', [], ['w@x.cn']), row(3, '新', ['13900000000']), row(4, '新', ['13900000000'])], [{ ...stored }], 'skip');
    expect(p).toMatchObject({ created: 1, updated: 0, skipped: 2 });
    expect(p.updates).toEqual([]);
  });
});
