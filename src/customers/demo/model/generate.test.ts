import { describe, expect, it } from 'vitest';
import { regionByCode } from '../../../platform/regions.ts';
import { emailSchema, phoneSchema } from '../../schemas.ts';
import { DemoGenerator, type DemoEnvironment } from './generate.ts';
import { createRng, permute1e8 } from './prng.ts';
import { demoTerritories } from './vocabulary.ts';

const anchor = new Date('2026-01-01T00:00:00Z');
const managersByProvince = new Map<string, string[]>();
demoTerritories.forEach((t, i) => t.regionCodes.forEach((p) => managersByProvince.set(p, [`manager-${i}`])));
const env: DemoEnvironment = { anchor, managersByProvince, agents: ['agent-1', 'agent-2'] };

function generate(seed: string | number, n: number, k = 3) {
  let id = 0;
  const g = new DemoGenerator(seed, env, { contactsPerCustomer: k, newId: () => `id-${id++}` });
  const customers = [];
  const contacts = [];
  for (let i = 0; i < n; i++) {
    const c = g.nextCustomer();
    customers.push(c);
    contacts.push(...g.contactsOf(c));
  }
  return { customers, contacts };
}

/** The customer's region codes form one chain: district ⊂ city ⊂ province (municipalities have no city level). */
function regionChainOk(p: string, c: string | null, d: string | null): boolean {
  const province = regionByCode(p);
  if (province?.level !== 'province') return false;
  if (c) {
    const city = regionByCode(c);
    if (city?.level !== 'city' || city.parentCode !== p) return false;
  }
  if (d) {
    const district = regionByCode(d);
    if (district?.level !== 'district' || district.parentCode !== (c ?? p)) return false;
  }
  return true;
}

describe('demo generator', () => {
  it('gives the same customers and contacts for the same seed, and different ones for another seed', () => {
    const strip = (r: ReturnType<typeof generate>) => JSON.stringify(r);
    expect(strip(generate('abc', 500))).toBe(strip(generate('abc', 500)));
    const other = generate('abd', 500);
    const same = generate('abc', 500);
    const equalNames = same.customers.filter((c, i) => c.name === other.customers[i].name).length;
    expect(equalNames).toBeLessThan(50);
  });

  it('makes valid, unique mainland mobiles and valid e-mails', () => {
    const { customers } = generate(7, 20_000, 0);
    const phones = customers.flatMap((c) => c.phones);
    expect(phones.filter((p) => !phoneSchema.safeParse(p).success || !/^1[3-9]\d{9}$/.test(p))).toEqual([]);
    expect(new Set(phones).size).toBe(phones.length);
    expect(customers.flatMap((c) => c.emails).filter((e) => !emailSchema.safeParse(e).success)).toEqual([]);
    const withEmail = customers.filter((c) => c.emails.length).length / customers.length;
    expect(withEmail).toBeGreaterThan(0.25);
    expect(withEmail).toBeLessThan(0.5);
  });

  it('places customers in real, consistent regions, weighted toward populous provinces', () => {
    const { customers } = generate(11, 20_000, 0);
    const byProvince = new Map<string, number>();
    const broken = customers.filter((c) => !regionChainOk(c.provinceCode, c.cityCode, c.districtCode));
    expect(broken.map((c) => [c.provinceCode, c.cityCode, c.districtCode])).toEqual([]);
    for (const c of customers) byProvince.set(c.provinceCode, (byProvince.get(c.provinceCode) ?? 0) + 1);
    expect(byProvince.size).toBeGreaterThan(25);
    // Guangdong (126M people) far ahead of Tibet (4M); Beijing as a municipality has no city level.
    expect(byProvince.get('440000')!).toBeGreaterThan(10 * (byProvince.get('540000') ?? 0));
    expect(customers.some((c) => c.provinceCode === '110000' && c.cityCode === null && c.districtCode?.startsWith('1101'))).toBe(true);
  });

  it('mixes persons with about 10% companies, with pinyin search keys', () => {
    const { customers } = generate(3, 10_000, 0);
    const companies = customers.filter((c) => c.kind === 'company');
    expect(companies.length / customers.length).toBeGreaterThan(0.08);
    expect(companies.length / customers.length).toBeLessThan(0.12);
    for (const c of companies) expect(c.name).toMatch(/(有限公司|有限责任公司)$/);
    const persons = customers.filter((c) => c.kind === 'person');
    const badKeys = persons.filter((c) => !/^[\u4e00-\u9fff]{2,4}$/.test(c.name) || !/^[a-z]+$/.test(c.namePinyin) || c.nameInitials.length !== [...c.name].length);
    expect(badKeys.map((c) => c.name)).toEqual([]);
    // Surnames follow their frequency: 王, 李 and 张 are each far more common than 令狐.
    const wang = persons.filter((c) => c.name.startsWith('王')).length / persons.length;
    expect(wang).toBeGreaterThan(0.04);
    expect(wang).toBeLessThan(0.1);
  });

  it('gives owners whose territory covers the province, and leaves some in the shared pool', () => {
    const { customers } = generate(5, 5_000, 0);
    const owned = customers.filter((c) => c.ownerId);
    expect(owned.length / customers.length).toBeGreaterThan(0.88);
    expect(owned.length / customers.length).toBeLessThan(0.96);
    expect(owned.filter((c) => !managersByProvince.get(c.provinceCode)!.includes(c.ownerId!))).toEqual([]);
  });

  it('spreads creation over three years and puts contacts after creation, in business hours', () => {
    const { customers, contacts } = generate(9, 5_000, 4);
    const threeYears = 3 * 366 * 86_400_000;
    const created = new Map(customers.map((c) => [c.id, c.createdAt.getTime()]));
    for (const c of customers) {
      expect(c.createdAt.getTime()).toBeLessThan(anchor.getTime());
      expect(c.createdAt.getTime()).toBeGreaterThan(anchor.getTime() - threeYears);
    }
    const oldest = Math.min(...created.values());
    expect(oldest).toBeLessThan(anchor.getTime() - 2.5 * 365 * 86_400_000);
    // On average 4 per customer (each customer gets 0 … 8).
    expect(contacts.length / customers.length).toBeGreaterThan(3.8);
    expect(contacts.length / customers.length).toBeLessThan(4.2);
    const channels = new Set(contacts.map((c) => c.channel));
    expect([...channels].sort()).toEqual(['counter', 'email', 'phone', 'sms', 'visit', 'web', 'wechat']);
    const staff = new Set(['agent-1', 'agent-2', ...customers.map((c) => c.ownerId)]);
    const bad = contacts.filter(
      (l) => l.occurredAt.getTime() <= created.get(l.customerId)! || l.occurredAt.getTime() >= anchor.getTime() || /[{}]/.test(l.summary) || !staff.has(l.staffId),
    );
    expect(bad).toEqual([]);
  });
});

describe('demo PRNG', () => {
  it('permute1e8 is a bijection', () => {
    const keys = [1, 2, 3, 4];
    const seen = new Set<number>();
    let outOfRange = 0;
    for (let i = 0; i < 200_000; i++) {
      const v = permute1e8(i, keys);
      if (!(v >= 0 && v < 100_000_000 && Number.isInteger(v))) outOfRange++;
      seen.add(v);
    }
    expect(outOfRange).toBe(0);
    expect(seen.size).toBe(200_000);
  });

  it('streams are reproducible and roughly uniform', () => {
    const a = createRng('x', 's');
    const b = createRng('x', 's');
    const buckets = new Array(10).fill(0);
    let differ = 0;
    for (let i = 0; i < 100_000; i++) {
      const v = a.next();
      if (v !== b.next()) differ++;
      buckets[Math.floor(v * 10)]++;
    }
    expect(differ).toBe(0);
    for (const n of buckets) expect(Math.abs(n - 10_000)).toBeLessThan(500);
  });
});
