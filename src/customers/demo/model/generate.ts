// Demo customers and contact logs, generated deterministically from a seed: the i-th customer of a
// seed is always the same person (name, phones, address, tags, times), whatever the batch size or
// database. Pure: no I/O; the clock (anchor) and the id generator are passed in.
import { regionByCode, type Region } from '../../../platform/regions.ts';
import { namePinyin, searchKeys, type SearchKeys } from '../../model/search-keys.ts';
import { createRng, permute1e8, WeightedTable, type Rng } from './prng.ts';
import {
  buildingNames, channelWeights, companyBrands, companyIndustries, companySuffixes, contactTemplates, emailDomains,
  estateNames, givenFemale, givenMale, inboundShare, issues, mobilePrefixes, products, promotions, provinceWeights,
  roadNames, roadSuffixes, sources, surnames, tagShares, type DemoChannel, type Direction,
} from './vocabulary.ts';

/** Largest run: phones come from a bijection on 10^8 suffixes, first phones below 5·10^7, second ones above. */
export const maxDemoCustomers = 10_000_000;
const DAY = 86_400_000;
const YEARS = 3;

export interface DemoEnvironment {
  /** Everything generated lies before this instant (start of today, so reruns the same day agree). */
  anchor: Date;
  /** Customer managers whose territories cover each province code. */
  managersByProvince: ReadonlyMap<string, readonly string[]>;
  /** Front-line staff who handle calls, chats and the counter. */
  agents: readonly string[];
  /** Share of customers left without an owner (the shared pool, 公海). */
  unownedShare?: number;
}

export interface DemoCustomer extends SearchKeys {
  id: string;
  kind: 'person' | 'company';
  name: string;
  phones: string[];
  emails: string[];
  provinceCode: string;
  cityCode: string | null;
  districtCode: string | null;
  street: string;
  tags: string[];
  ownerId: string | null;
  source: string;
  consent: Partial<Record<DemoChannel, boolean>>;
  createdAt: Date;
}

export interface DemoContact {
  id: string;
  customerId: string;
  channel: DemoChannel;
  direction: Direction;
  staffId: string | null;
  summary: string;
  occurredAt: Date;
}

interface ProvincePlan {
  province: Region;
  /** Cities (or, for municipalities, districts directly) with the capital weighted up. */
  places: WeightedTable<Region>;
}

const surnameTable = new WeightedTable(surnames.map((s) => s[0]), surnames.map((s) => s[1]));
const prefixTable = new WeightedTable(mobilePrefixes.map((p) => p[0]), mobilePrefixes.map((p) => p[1]));
const domainTable = new WeightedTable(emailDomains.map((d) => d[0]), emailDomains.map((d) => d[1]));
const suffixTable = new WeightedTable(companySuffixes.map((d) => d[0]), companySuffixes.map((d) => d[1]));
const roadSuffixTable = new WeightedTable(roadSuffixes.map((d) => d[0]), roadSuffixes.map((d) => d[1]));
const sourceTable = new WeightedTable(sources.map((d) => d[0]), sources.map((d) => d[1]));
const channelTable = new WeightedTable(channelWeights.map((d) => d[0]), channelWeights.map((d) => d[1]));

let provincePlans: WeightedTable<ProvincePlan> | null = null;
function provinceTable(): WeightedTable<ProvincePlan> {
  if (provincePlans) return provincePlans;
  const plans = provinceWeights.map(([code]) => {
    const province = regionByCode(code);
    if (!province || province.children.length === 0) throw new Error(`demo: region data lacks ${code}`);
    // The first child is the capital (GB/T 2260 numbers it 01): more customers live there.
    const weights = province.children.map((c, i) => (i === 0 ? 3 : 1) * (c.level === 'city' ? 1 + Math.min(c.children.length, 12) / 6 : 1));
    return { province, places: new WeightedTable(province.children, weights) };
  });
  provincePlans = new WeightedTable(plans, provinceWeights.map(([, w]) => w));
  return provincePlans;
}

function fill(template: string, rng: Rng, anchor: Date): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    switch (key) {
      case 'product': return rng.pick(products);
      case 'issue': return rng.pick(issues);
      case 'promo': return rng.pick(promotions);
      case 'amount': return String(rng.int(2, 300) * 100 - 1);
      case 'days': return String(rng.int(1, 5));
      case 'date': {
        const d = new Date(anchor.getTime() + rng.int(1, 20) * DAY);
        return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
      }
      default: return key;
    }
  });
}

/** A business-hours instant (08:00–21:59 Asia/Shanghai) on the day `daysAgo` days before the anchor. */
function businessTime(rng: Rng, anchor: Date, daysAgo: number): Date {
  const day = anchor.getTime() - daysAgo * DAY;
  const dayStartShanghai = day - (((day + 8 * 3_600_000) % DAY) + DAY) % DAY; // 00:00 in UTC+8
  return new Date(dayStartShanghai + rng.int(8 * 3600, 22 * 3600 - 1) * 1000);
}

export class DemoGenerator {
  private readonly customerRng: Rng;
  private readonly contactRng: Rng;
  private readonly phoneKeys: number[];
  private index = 0;
  private readonly managersOf: Map<string, readonly string[]>;
  private readonly allManagers: string[];

  constructor(
    seed: string | number,
    private readonly env: DemoEnvironment,
    private readonly opts: { contactsPerCustomer: number; newId: () => string },
  ) {
    this.customerRng = createRng(seed, 'customers');
    this.contactRng = createRng(seed, 'contacts');
    const keyRng = createRng(seed, 'phones');
    this.phoneKeys = [keyRng.uint32(), keyRng.uint32(), keyRng.uint32(), keyRng.uint32()];
    this.managersOf = new Map(env.managersByProvince);
    this.allManagers = [...new Set([...env.managersByProvince.values()].flat())].sort();
  }

  private mobile(rng: Rng, n: number): string {
    return prefixTable.pick(rng) + String(permute1e8(n, this.phoneKeys)).padStart(8, '0');
  }

  private personName(rng: Rng): string {
    const surname = surnameTable.pick(rng);
    const pool = rng.chance(0.5) ? givenMale : givenFemale;
    const roll = rng.next();
    if (roll < 0.22) return surname + rng.pick(pool);
    const first = rng.pick(pool);
    return surname + first + (roll < 0.26 ? first : rng.pick(pool)); // 婷婷-style doubled names now and then
  }

  private personEmail(rng: Rng, name: string): string {
    const domain = domainTable.pick(rng);
    if (domain === 'qq.com' && rng.chance(0.6)) return `${rng.int(10_000_000, 2_999_999_999)}@qq.com`;
    const py = namePinyin(name, 'person');
    const style = rng.int(0, 3);
    const local =
      style === 0 ? `${py.full}${rng.int(1, 99)}`
      : style === 1 ? `${py.initials}${rng.int(1965, 2005)}`
      : style === 2 ? `${py.full}.${rng.int(100, 999)}`
      : `${py.full.slice(0, 12)}_${py.initials}`;
    return `${local}@${domain}`;
  }

  /** The next customer of the seed's sequence. */
  nextCustomer(): DemoCustomer {
    const rng = this.customerRng;
    const i = this.index++;
    if (i >= maxDemoCustomers) throw new Error(`demo: at most ${maxDemoCustomers} customers per run`);
    const plan = provinceTable().pick(rng);
    const place = plan.places.pick(rng);
    const city = place.level === 'city' ? place : null;
    const district = place.level === 'district' ? place : place.children.length ? rng.pick(place.children) : null;
    const isCompany = rng.chance(0.1);
    const kind = isCompany ? 'company' : 'person';

    let name: string;
    let street: string;
    const emails: string[] = [];
    if (isCompany) {
      const cityName = (city ?? plan.province).name;
      const prefix = rng.chance(0.7) ? cityName : cityName.replace(/(市|地区|自治州|盟)$/, '');
      const brand = rng.pick(companyBrands) + rng.pick(companyBrands);
      name = `${prefix}${brand}${rng.pick(companyIndustries)}${suffixTable.pick(rng)}`;
      street = `${rng.pick(roadNames)}${roadSuffixTable.pick(rng)}${rng.int(1, 999)}号${rng.pick(roadNames)}${rng.pick(buildingNames)}${rng.int(2, 32)}楼`;
      if (rng.chance(0.6)) {
        const host = namePinyin(brand, 'company').full;
        emails.push(`${rng.pick(['info', 'sales', 'service', 'hr', 'admin'])}@${host}${rng.int(1, 99)}.com.cn`);
      }
    } else {
      name = this.personName(rng);
      street = rng.chance(0.7)
        ? `${rng.pick(roadNames)}${roadSuffixTable.pick(rng)}${rng.int(1, 999)}号${rng.pick(estateNames)}${rng.int(1, 30)}栋${rng.int(1, 33)}${String(rng.int(1, 6)).padStart(2, '0')}室`
        : `${rng.pick(roadNames)}${roadSuffixTable.pick(rng)}${rng.int(1, 999)}号`;
      if (rng.chance(0.35)) emails.push(this.personEmail(rng, name));
    }
    const phones = [this.mobile(rng, i)];
    if (rng.chance(isCompany ? 0.4 : 0.08)) phones.push(this.mobile(rng, maxDemoCustomers * 5 + i));

    const tags: string[] = [];
    for (const [tag, person, company] of tagShares) if (rng.chance(isCompany ? company : person)) tags.push(tag);
    if (tags.includes('老客户') && tags.includes('新客户')) tags.splice(tags.indexOf('新客户'), 1);

    const candidates = this.managersOf.get(plan.province.code) ?? this.allManagers;
    const unowned = rng.chance(this.env.unownedShare ?? 0.08);
    const ownerPick = rng.next();
    const ownerId = unowned || candidates.length === 0 ? null : candidates[Math.floor(ownerPick * candidates.length)];

    const consent: Partial<Record<DemoChannel, boolean>> = {
      phone: rng.chance(0.85),
      sms: rng.chance(0.7),
      wechat: rng.chance(0.5),
    };
    if (emails.length) consent.email = rng.chance(0.6);

    // More customers were won recently than three years ago: days-ago skews toward 0.
    const daysAgo = 1 + Math.floor(YEARS * 365 * (1 - Math.sqrt(rng.next())));
    const createdAt = businessTime(rng, this.env.anchor, daysAgo);
    const source = sourceTable.pick(rng);

    return {
      id: this.opts.newId(),
      kind,
      name,
      phones,
      emails,
      provinceCode: plan.province.code,
      cityCode: city?.code ?? null,
      districtCode: district?.code ?? null,
      street,
      tags,
      ownerId,
      source,
      consent,
      createdAt,
      ...searchKeys({ name, kind, phones, emails }),
    };
  }

  /** Contact logs of a customer: 0 … 2K of them (K on average), each after the customer was created. */
  contactsOf(customer: DemoCustomer): DemoContact[] {
    const k = this.opts.contactsPerCustomer;
    if (k <= 0) return [];
    const rng = this.contactRng;
    const count = rng.int(0, 2 * k);
    const out: DemoContact[] = [];
    const created = customer.createdAt.getTime();
    const anchor = this.env.anchor.getTime();
    const daysSince = Math.max(0, Math.floor((anchor - created) / DAY));
    for (let j = 0; j < count; j++) {
      const channel = channelTable.pick(rng);
      const direction: Direction = rng.chance(inboundShare[channel]) ? 'inbound' : 'outbound';
      const summary = fill(rng.pick(contactTemplates[channel][direction]), rng, this.env.anchor);
      const daysAgo = rng.int(0, daysSince);
      let occurredAt = businessTime(rng, this.env.anchor, daysAgo).getTime();
      if (occurredAt <= created) occurredAt = created + rng.int(5, 120) * 60_000;
      if (occurredAt >= anchor) occurredAt = anchor - rng.int(1, 60) * 60_000;
      const byOwner = channel === 'visit' || (channel !== 'counter' && channel !== 'web' && rng.chance(0.3));
      const staffPick = rng.next();
      const staffId =
        byOwner && customer.ownerId ? customer.ownerId
        : this.env.agents.length ? this.env.agents[Math.floor(staffPick * this.env.agents.length)]
        : customer.ownerId;
      out.push({ id: this.opts.newId(), customerId: customer.id, channel, direction, staffId, summary, occurredAt: new Date(occurredAt) });
    }
    return out;
  }
}
