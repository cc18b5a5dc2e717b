import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { describeDb } from '../db/test-harness.ts';
import { seedOrg } from '../db/test-fixtures.ts';
import { makeCtx, type Ctx } from '../platform/context.ts';
import { Conflict, Invalid, NotFound } from '../platform/errors.ts';
import { listAudit } from '../platform/list-audit.ts';
import { addContact } from './add-contact.ts';
import { createCustomer } from './create-customer.ts';
import { createCustomField, listCustomFields } from './custom-fields.ts';
import { beforeCondition, customerTimeline, registerTimelineSource, timelineSources, type TimelineSource } from './customer-timeline.ts';
import { getCustomer } from './get-customer.ts';
import { listContacts } from './list-contacts.ts';
import { customerSearchCondition, escapeLike, listCustomers, WALK_FROM } from './list-customers.ts';
import { nameGrams, namePinyin } from './model/search-keys.ts';
import { newId } from '../platform/ids.ts';
import { rows } from '../db/open.ts';
import { maskEmail, maskPhone } from './model/masking.ts';
import { maskDeep, maskText } from './present-customer.ts';
import { revealCustomer } from './reveal-customer.ts';
import { listCustomersQuery, type ListCustomersQuery } from './schemas.ts';
import { updateCustomer } from './update-customer.ts';

const list = (ctx: Ctx, q: ListCustomersQuery) => listCustomers(ctx, listCustomersQuery.parse(q));

async function all(ctx: Ctx, q: ListCustomersQuery): Promise<{ names: string[]; ids: string[]; pages: number }> {
  const names: string[] = [];
  const ids: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await list(ctx, { ...q, cursor });
    pages++;
    for (const c of page.items) {
      names.push(c.name);
      ids.push(c.id);
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor && pages < 1000);
  return { names, ids, pages };
}

describe('masking of free text and audit data', () => {
  it('masks phones and emails inside text and JSON, and leaves ids alone', () => {
    expect(maskText('客户来电 138 1234 5678，邮箱 zhang.san@example.com')).toBe('客户来电 138****5678，邮箱 z***@example.com');
    expect(maskText('座机 0755-12345678 转 分机')).not.toContain('12345678');
    const data = maskDeep({ changes: { phones: { before: ['13812345678'], after: ['02012345678123'] } }, ownerId: '01912345-6789-7123-8123-123456789012' });
    expect(JSON.stringify(data)).not.toContain('13812345678');
    expect(JSON.stringify(data)).not.toContain('02012345678123');
    expect(JSON.stringify(data)).toContain('01912345-6789-7123-8123-123456789012');
  });

  it('hides at least four digits of every valid phone, short international numbers included', async () => {
    const { phoneSchema } = await import('./schemas.ts');
    for (const raw of ['+1234567', '+12345678', '+123456789', '+6591234567', '02112345678', '0755123456', '13812345678', '+85291234567']) {
      const phone = phoneSchema.parse(raw);
      const masked = maskPhone(phone);
      const shown = masked.replace(/\D/g, '').length;
      expect(phone.replace(/\D/g, '').length - shown, `${phone} → ${masked}`).toBeGreaterThanOrEqual(4);
      expect(masked).not.toContain(phone.replace(/^\+/, ''));
      // The same on a timeline, where audit data is masked as free text.
      expect(JSON.stringify(maskDeep({ phones: [phone] }))).not.toContain(phone.replace(/^\+/, ''));
    }
    expect(maskPhone('13812345678')).toBe('138****5678');
    // International numbers written with spaces or dashes in a contact summary.
    for (const text of ['回电 +44 20 7946 0958', 'call +1-415-555-2671 back', '+852 9123 4567']) {
      const out = maskText(text);
      expect(out.replace(/\D/g, '').length, `${text} → ${out}`).toBeLessThanOrEqual(text.replace(/\D/g, '').length - 4);
    }
    expect(maskEmail('a@example.com')).toBe('***@example.com');
  });

  it('escapes LIKE wildcards and builds no condition for an empty query', () => {
    expect(escapeLike('50%_a\\b')).toBe('50\\%\\_a\\\\b');
    expect(customerSearchCondition('  ')).toBeUndefined();
  });
});

describeDb('customers: files, search, paging, timeline', (get) => {
  it('creates, reads and updates a customer with audit entries, and answers 409 on a stale version', async () => {
    const org = await seedOrg(get().db, 'Crud');
    const admin = org.ctx.admin;
    const created = await createCustomer(admin, {
      name: '王小明',
      phones: ['+86 138-1234-5678', '13812345678'],
      emails: ['Wang.XM@Example.com'],
      districtCode: '440305',
      tags: ['vip', 'vip'],
      ownerId: org.userIds.customer_manager,
      consent: { sms: true },
    });
    expect(created).toMatchObject({
      name: '王小明',
      phones: ['13812345678'],
      emails: ['wang.xm@example.com'],
      provinceCode: '440000',
      cityCode: '440300',
      districtCode: '440305',
      regionName: '广东省 深圳市 南山区',
      tags: ['vip'],
      ownerName: 'customer_manager',
      consent: { sms: true },
      masked: false,
      version: 1,
    });
    expect(await getCustomer(admin, created.id)).toEqual(created);
    const agentView = await getCustomer(org.ctx.agent, created.id);
    expect(agentView.phones).toEqual(['138****5678']);
    expect(agentView.emails).toEqual(['w***@example.com']);
    expect(agentView.masked).toBe(true);

    const updated = await updateCustomer(admin, created.id, { version: 1, name: '王晓明', phones: ['13900001111'] });
    expect(updated.version).toBe(2);
    expect(updated.name).toBe('王晓明');
    // Search keys follow the new name and phone.
    expect((await list(admin, { q: 'wangxiaoming' })).items.map((c) => c.id)).toEqual([created.id]);
    expect((await list(admin, { q: '0001111' })).items.map((c) => c.id)).toEqual([created.id]);
    expect((await list(admin, { q: '12345678' })).items).toEqual([]);

    const stale = await updateCustomer(org.ctx.agent, created.id, { version: 1, name: '旧版本' }).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(Conflict);
    const current = (stale as Conflict).current as { version: number; phones: string[]; name: string };
    expect(current).toMatchObject({ version: 2, name: '王晓明', phones: ['139****1111'] });

    // An update that changes nothing keeps the version.
    expect((await updateCustomer(admin, created.id, { version: 2, name: '王晓明' })).version).toBe(2);

    const auditPage = await listAudit(admin, { entityId: created.id });
    const actions = auditPage.items.map((a) => a.action);
    expect(actions).toEqual(['customer.update', 'customer.create']);
    expect(auditPage.items[0].data).toMatchObject({
      changes: { name: { before: '王小明', after: '王晓明' }, phones: { before: ['13812345678'], after: ['13900001111'] } },
    });
  });

  it('validates owner, regions and custom fields with field paths', async () => {
    const { db } = get();
    const org = await seedOrg(db, 'Valid');
    const other = await seedOrg(db, 'Valid other');
    const admin = org.ctx.admin;
    const fieldsOf = async (p: Promise<unknown>) => {
      const e = await p.catch((err: unknown) => err);
      expect(e).toBeInstanceOf(Invalid);
      return (e as Invalid).fields.map((f) => `${f.path}:${f.code}`).sort();
    };
    expect(await fieldsOf(createCustomer(admin, { name: 'A', ownerId: other.userIds.agent }))).toEqual(['ownerId:unknown_owner']);
    expect(await fieldsOf(createCustomer(admin, { name: 'A', provinceCode: '110000', districtCode: '440305' }))).toEqual(['districtCode:region_mismatch']);
    expect(await fieldsOf(createCustomer(admin, { name: 'A', cityCode: '999999' }))).toEqual(['cityCode:unknown_region']);
    // A municipality has no city level: 北京 东城区.
    expect((await createCustomer(admin, { name: 'B', districtCode: '110101' })).regionName).toBe('北京市 东城区');

    await createCustomField(admin, { key: 'level', labelZh: '等级', labelEn: 'Level', type: 'select', options: ['gold', 'silver'], required: true });
    await createCustomField(admin, { key: 'birthday', labelZh: '生日', labelEn: 'Birthday', type: 'date' });
    await createCustomField(admin, { key: 'spend', labelZh: '消费', labelEn: 'Spend', type: 'number' });
    expect((await listCustomFields(org.ctx.analyst)).map((f) => f.key)).toEqual(['level', 'birthday', 'spend']);
    await expect(createCustomField(org.ctx.supervisor, { key: 'x', labelZh: 'x', labelEn: 'x', type: 'text' })).rejects.toThrow('error.forbidden');
    await expect(createCustomField(admin, { key: 'level', labelZh: 'x', labelEn: 'x', type: 'text' })).rejects.toBeInstanceOf(Conflict);

    expect(await fieldsOf(createCustomer(admin, { name: 'C', custom: { level: 'platinum', birthday: '2023-02-30', spend: '12', color: 'red' } }))).toEqual([
      'custom.birthday:expected_date',
      'custom.color:unknown_field',
      'custom.level:invalid_option',
      'custom.spend:expected_number',
    ]);
    expect(await fieldsOf(createCustomer(admin, { name: 'C', custom: {} }))).toEqual(['custom.level:required']);
    const c = await createCustomer(admin, { name: 'C', custom: { level: 'gold', birthday: '1990-05-01', spend: 12.5 } });
    expect(c.custom).toEqual({ level: 'gold', birthday: '1990-05-01', spend: 12.5 });
    // PATCH merges custom; null removes an optional key, a required one cannot be removed.
    const u = await updateCustomer(admin, c.id, { version: 1, custom: { spend: null, level: 'silver' } });
    expect(u.custom).toEqual({ level: 'silver', birthday: '1990-05-01' });
    expect(await fieldsOf(updateCustomer(admin, c.id, { version: 2, custom: { level: null } }))).toEqual(['custom.level:required']);
    // Filter by custom field containment.
    expect((await list(admin, { custom: JSON.stringify({ level: 'silver' }) })).items.map((x) => x.id)).toEqual([c.id]);
  });

  it('finds customers by name fragment, pinyin, initials, phone digits and email, in one query each', async () => {
    const org = await seedOrg(get().db, 'Search');
    const admin = org.ctx.admin;
    const mk = (name: string, phones: string[] = [], emails: string[] = []) => createCustomer(admin, { name, phones, emails });
    const wxm = await mk('王小明', ['13812345678'], ['xiaoming.wang@qq.com']);
    const lxm = await mk('李小明', ['13900005678']);
    const zs = await mk('张三', [], ['zhangsan@163.com']);
    const co = await mk('深圳市腾达科技有限公司', ['075586001234']);
    const pct = await mk('100%_折扣店');
    const names = async (q: string) => (await list(admin, { q, sort: 'name' })).items.map((c) => c.name).sort();

    expect(await names('小明')).toEqual(['李小明', '王小明'].sort());
    expect(await names('王小明')).toEqual(['王小明']);
    expect(await names('明')).toEqual(['李小明', '王小明'].sort());
    expect(await names('wangxiaoming')).toEqual(['王小明']);
    expect(await names('xiaoming')).toEqual(['李小明', '王小明'].sort()); // pinyin infix
    expect(await names('xiaoming.wang')).toEqual(['王小明']); // email fragment without '@'
    expect(await names('wxm')).toEqual(['王小明']);
    expect(await names('WXM')).toEqual(['王小明']);
    expect(await names('lx')).toEqual(['李小明']);
    expect(await names('5678')).toEqual(['李小明', '王小明'].sort());
    expect(await names('1234 5678')).toEqual(['王小明']);
    expect(await names('86001234')).toEqual(['深圳市腾达科技有限公司']);
    expect(await names('zhangsan@163')).toEqual(['张三']);
    expect(await names('@163.com')).toEqual(['张三']);
    expect(await names('腾达')).toEqual(['深圳市腾达科技有限公司']);
    expect(await names('tengda')).toEqual(['深圳市腾达科技有限公司']);
    // LIKE wildcards are literal.
    expect(await names('%')).toEqual(['100%_折扣店']);
    expect(await names('_')).toEqual(['100%_折扣店']);
    expect(await names('小_')).toEqual([]);
    expect(await names('不存在')).toEqual([]);
    expect([wxm, lxm, zs, co, pct].every((c) => c.id)).toBe(true);
  });

  it('pages a search whose matches come from different index paths (name, pinyin, initials) in one order, each customer once', async () => {
    let clock = new Date('2024-05-01T00:00:00Z').getTime();
    const org = await seedOrg(get().db, 'SearchPaging', { now: () => new Date((clock += 60_000)) });
    const admin = org.ctx.admin;
    // Matches of "zs": initials (张三 zs, 周松 zs, 张思思 zss, 朱姝 zs), name text (ZS科技 also by pinyin
    // "zskeji" and initials), and customers outside the 440000 region or without the tag.
    const made: { name: string; id: string; gd: boolean; vip: boolean }[] = [];
    const rows: [string, boolean, boolean][] = [
      ['张三', true, true], ['李四', true, true], ['周松', false, true], ['ZS科技', true, true], ['张思思', true, false],
      ['王五', true, true], ['朱姝', true, true], ['赵强', true, true], ['zs服务部', false, false],
    ];
    for (const [name, gd, vip] of rows) {
      const c = await createCustomer(admin, { name, provinceCode: gd ? '440000' : '110000', tags: vip ? ['vip'] : [] });
      made.push({ name, id: c.id, gd, vip });
    }
    const matches = new Set(['张三', '周松', 'ZS科技', '张思思', '朱姝', 'zs服务部']);
    const newestFirst = made.filter((m) => matches.has(m.name)).reverse();
    const ids = (xs: typeof made) => xs.map((m) => m.id);

    // Every page size, both directions of the created sort: the order of the whole list and no customer twice.
    for (const limit of [1, 2, 3, 50]) {
      expect((await all(admin, { q: 'zs', limit })).ids).toEqual(ids(newestFirst));
      expect((await all(admin, { q: 'zs', limit, sort: 'created' })).ids).toEqual(ids([...newestFirst].reverse()));
      const byName = await all(admin, { q: 'zs', limit, sort: 'name' });
      expect(byName.ids.slice().sort()).toEqual(ids(newestFirst).sort());
      expect(new Set(byName.ids).size).toBe(byName.ids.length);
    }
    // The other conditions apply to every path: region and tag filters, and a customer manager's territory (广东).
    expect((await all(admin, { q: 'zs', limit: 2, region: '440000', tags: 'vip' })).ids).toEqual(ids(newestFirst.filter((m) => m.gd && m.vip)));
    expect((await all(org.ctx.customer_manager, { q: 'zs', limit: 2 })).ids).toEqual(ids(newestFirst.filter((m) => m.gd)));
  });

  it('answers a common two-letter prefix ("zh") with the same pages whether the range is read or walked in sort order', async () => {
    const { db } = get();
    const org = await seedOrg(db, 'SearchWalk');
    // More customers whose pinyin starts with "zh" (张 赵 周 郑) than WALK_FROM, so that prefix is walked;
    // a few whose initials start with "lh" (李华 …), read as a range.
    const given = [...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂华辉红'];
    const surnames = [...'张赵周郑王李'];
    const n = WALK_FROM + 600;
    const made = Array.from({ length: n }, (_, i) => {
      // Nine in ten have 华 (hua) second: a common character and a common pinyin infix, walked too.
      const name = surnames[i % (i % 7 === 0 ? 6 : 4)] + (i % 10 ? '华' : given[(i * 7) % given.length]) + (i % 3 ? given[(i * 11) % given.length] : '');
      const keys = namePinyin(name);
      return { id: newId(), name, pinyin: keys.full, initials: keys.initials, grams: nameGrams(name), province: i % 5 ? '440000' : '110000', minute: (i * 7919) % n };
    });
    await db.execute(sql`
      INSERT INTO customers (id, org_id, name, name_pinyin, name_initials, name_grams, province_code, created_at, updated_at)
      SELECT t.id, ${org.orgId}::uuid, t.name, t.pinyin, t.initials, (SELECT array_agg(g) FROM jsonb_array_elements_text(t.grams) g),
        t.province, timestamptz '2025-01-01T00:00:00Z' + make_interval(mins => t.minute), now()
      FROM jsonb_to_recordset(${JSON.stringify(made)}::jsonb) AS t(id uuid, name text, pinyin text, initials text, grams jsonb, province text, minute int)`);
    const zhPinyin = made.filter((m) => m.pinyin.startsWith('zh'));
    expect(zhPinyin.length).toBeGreaterThanOrEqual(WALK_FROM);

    const expected = (filter: (m: (typeof made)[number]) => boolean) =>
      made.filter((m) => (m.pinyin.startsWith('zh') || m.initials.startsWith('zh')) && filter(m)).sort((a, b) => b.minute - a.minute);
    const admin = org.ctx.admin;
    const pages = async (q: ListCustomersQuery, count: number) => {
      const ids: string[] = [];
      let cursor: string | undefined;
      for (let p = 0; p < count; p++) {
        const page = await list(admin, { ...q, cursor });
        ids.push(...page.items.map((c) => c.id));
        cursor = page.nextCursor ?? undefined;
      }
      return ids;
    };
    expect(await pages({ q: 'zh', limit: 20 }, 3)).toEqual(expected(() => true).slice(0, 60).map((m) => m.id));
    expect(await pages({ q: 'ZH', limit: 20, region: '110000' }, 2)).toEqual(expected((m) => m.province === '110000').slice(0, 40).map((m) => m.id));
    // By name, against the plain query (the database's collation orders the names).
    const byName = (await list(admin, { q: 'zh', limit: 30, sort: 'name' })).items.map((c) => c.id);
    const plain = await rows<{ id: string }>(db, sql`SELECT id FROM customers WHERE org_id = ${org.orgId}
      AND (name_pinyin LIKE 'zh%' OR name_initials LIKE 'zh%') ORDER BY name, id LIMIT 30`);
    expect(byName).toEqual(plain.map((r) => r.id));
    const newest = (match: (m: (typeof made)[number]) => boolean, k: number) => made.filter(match).sort((a, b) => b.minute - a.minute).slice(0, k).map((m) => m.id);
    // One common character, and a common pinyin infix.
    expect(made.filter((m) => m.name.includes('华')).length).toBeGreaterThanOrEqual(WALK_FROM);
    expect(await pages({ q: '华', limit: 20 }, 2)).toEqual(newest((m) => m.name.includes('华'), 40));
    expect(await pages({ q: 'hua', limit: 25 }, 2)).toEqual(newest((m) => m.pinyin.includes('hua') || m.initials.startsWith('hua'), 50));
    // A prefix of the initials only ("lh", 李华 …) stays a range read; the names still come newest first.
    const lh = (m: (typeof made)[number]) => m.initials.startsWith('lh') || m.pinyin.startsWith('lh');
    expect(made.filter(lh).length).toBeGreaterThan(5);
    expect((await list(admin, { q: 'lh', limit: 5 })).items.map((c) => c.id)).toEqual(newest(lh, 5));
  });

  it('filters by tags, owner, region, territory and created range, and scopes customer managers to their territory', async () => {
    const { db } = get();
    let clock = new Date('2024-03-01T00:00:00Z').getTime();
    const org = await seedOrg(db, 'Filters', { now: () => new Date(clock) });
    const admin = org.ctx.admin;
    const gz = await createCustomer(admin, { name: '广州客户', cityCode: '440100', tags: ['vip', 'new'], ownerId: org.userIds.customer_manager });
    clock += 86_400_000;
    const sz = await createCustomer(admin, { name: '深圳客户', districtCode: '440305', tags: ['vip'] });
    clock += 86_400_000;
    const bj = await createCustomer(admin, { name: '北京客户', districtCode: '110101', tags: ['new'] });
    const ids = async (ctx: Ctx, q: ListCustomersQuery) => (await list(ctx, q)).items.map((c) => c.id);

    expect(await ids(admin, {})).toEqual([bj.id, sz.id, gz.id]);
    expect(await ids(admin, { sort: 'created' })).toEqual([gz.id, sz.id, bj.id]);
    expect(await ids(admin, { tags: 'vip' })).toEqual([sz.id, gz.id]);
    expect(await ids(admin, { tags: 'vip,new' })).toEqual([gz.id]);
    expect(await ids(admin, { ownerId: org.userIds.customer_manager })).toEqual([gz.id]);
    expect(await ids(admin, { region: '440000' })).toEqual([sz.id, gz.id]);
    expect(await ids(admin, { region: '440300' })).toEqual([sz.id]);
    expect(await ids(admin, { region: '110101' })).toEqual([bj.id]);
    expect(await ids(admin, { territoryId: org.territoryId })).toEqual([sz.id, gz.id]);
    expect(await ids(admin, { createdFrom: '2024-03-02T00:00:00Z' })).toEqual([bj.id, sz.id]);
    expect(await ids(admin, { createdFrom: '2024-03-01T12:00:00+08:00', createdTo: '2024-03-02T00:00:00Z' })).toEqual([sz.id]);
    expect(await ids(admin, { q: '客户', region: '440000', tags: 'new' })).toEqual([gz.id]);

    // 数据权限: the customer manager (territory 广东) sees only Guangdong, in lists and by id.
    expect(await ids(org.ctx.customer_manager, {})).toEqual([sz.id, gz.id]);
    await expect(getCustomer(org.ctx.customer_manager, bj.id)).rejects.toBeInstanceOf(NotFound);
    await expect(updateCustomer(org.ctx.customer_manager, bj.id, { version: 1, name: 'x' })).rejects.toBeInstanceOf(NotFound);
    // ... and can neither create nor move a customer outside it.
    await expect(createCustomer(org.ctx.customer_manager, { name: '外省', provinceCode: '110000' })).rejects.toBeInstanceOf(Invalid);
    await expect(updateCustomer(org.ctx.customer_manager, sz.id, { version: 1, provinceCode: '110000' })).rejects.toBeInstanceOf(Invalid);
    expect((await getCustomer(admin, sz.id)).version).toBe(1);
    // Unknown filter values are a 400, not an empty page.
    await expect(list(admin, { region: '999999' })).rejects.toBeInstanceOf(Invalid);
    await expect(list(admin, { cursor: 'bm9wZQ' })).rejects.toBeInstanceOf(Invalid);
  });

  it('pages through every row exactly once in a stable order, with ties on the sort key', async () => {
    const { db } = get();
    const fixed = new Date('2024-05-01T08:00:00Z');
    const org = await seedOrg(db, 'Paging', { now: () => fixed });
    const admin = org.ctx.admin;
    // 23 customers: all created at the same instant, names repeating, so only the id breaks ties.
    const made: string[] = [];
    for (let i = 0; i < 23; i++) made.push((await createCustomer(admin, { name: ['赵', '钱', '孙'][i % 3] + '客户', tags: ['p'] })).id);
    for (const sort of ['-created', 'created', 'name', '-updated'] as const) {
      const whole = await list(admin, { sort, limit: 200 });
      const paged = await all(admin, { sort, limit: 5 });
      expect(paged.pages).toBe(5);
      expect(paged.ids).toEqual(whole.items.map((c) => c.id));
      expect(new Set(paged.ids).size).toBe(23);
      expect([...paged.ids].sort()).toEqual([...made].sort());
    }
    // Name order groups equal names together, each group ordered by id.
    const byName = await all(admin, { sort: 'name', limit: 4, q: '客户' });
    expect(byName.ids).toEqual((await list(admin, { sort: 'name', q: '客户', limit: 200 })).items.map((c) => c.id));
    expect(new Set(byName.names).size).toBe(3);
    const groups = byName.names.filter((n, i) => i === 0 || byName.names[i - 1] !== n);
    expect(groups.length).toBe(3);
    for (const name of groups) {
      const groupIds = byName.ids.filter((_, i) => byName.names[i] === name);
      expect(groupIds).toEqual([...groupIds].sort());
    }
    // A cursor of one sort is refused by another.
    const first = await list(admin, { sort: 'name', limit: 2 });
    await expect(list(admin, { sort: '-created', cursor: first.nextCursor! })).rejects.toBeInstanceOf(Invalid);
  });

  it('merges contacts and audit entries on the timeline, newest first, paged, masked for masked roles', async () => {
    const { db } = get();
    let clock = new Date('2024-06-01T00:00:00Z').getTime();
    const org = await seedOrg(db, 'Timeline', { now: () => new Date((clock += 60_000)) });
    const admin = org.ctx.admin;
    const c = await createCustomer(admin, { name: '周杰', phones: ['13712345678'], emails: ['zhoujie@example.com'], districtCode: '440305' });
    await addContact(org.ctx.agent, c.id, { channel: 'phone', direction: 'inbound', summary: '来电咨询，回拨 13712345678' });
    await updateCustomer(admin, c.id, { version: 1, phones: ['13787654321'] });
    await addContact(org.ctx.customer_manager, c.id, { channel: 'visit', direction: 'outbound', summary: '上门拜访', occurredAt: '2024-05-01T00:00:00Z' });
    await revealCustomer(org.ctx.agent, c.id);

    const full = await customerTimeline(admin, c.id, {});
    expect(full.items.map((i) => i.kind)).toEqual(['customer.reveal', 'customer.update', 'contact', 'customer.create', 'contact']);
    expect(full.items[0]).toMatchObject({ actorName: 'agent', summary: '查看了完整联系方式' });
    expect(full.items[1].summary).toBe('修改了：电话');
    expect(full.items[2]).toMatchObject({ summary: '来电咨询，回拨 13712345678', data: { channel: 'phone', direction: 'inbound' }, actorName: 'agent' });
    expect(full.items[4].occurredAt).toBe('2024-05-01T00:00:00.000Z');

    const pages: string[] = [];
    let cursor: string | undefined;
    do {
      const p = await customerTimeline(admin, c.id, { limit: 2, cursor });
      pages.push(...p.items.map((i) => i.id));
      cursor = p.nextCursor ?? undefined;
    } while (cursor);
    expect(pages).toEqual(full.items.map((i) => i.id));

    const masked = JSON.stringify(await customerTimeline(org.ctx.analyst, c.id, {}));
    for (const secret of ['13712345678', '13787654321', 'zhoujie@example.com']) expect(masked).not.toContain(secret);
    expect(masked).toContain('137****5678');

    const contacts = await listContacts(org.ctx.analyst, c.id, { limit: 1 });
    expect(contacts.items[0]).toMatchObject({ channel: 'phone', summary: '来电咨询，回拨 137****5678', staffName: 'agent' });
    expect((await listContacts(admin, c.id, { cursor: contacts.nextCursor! })).items.map((i) => i.summary)).toEqual(['上门拜访']);

    const reveal = await revealCustomer(org.ctx.agent, c.id);
    expect(reveal).toEqual({ id: c.id, phones: ['13787654321'], emails: ['zhoujie@example.com'] });
    await expect(revealCustomer(org.ctx.analyst, c.id)).rejects.toThrow('error.forbidden');
  });

  it('merges events of sources that later domains register', async () => {
    const { db } = get();
    const org = await seedOrg(db, 'Registry', { now: () => new Date('2024-07-01T00:00:00Z') });
    const c = await createCustomer(org.ctx.admin, { name: '注册表' });
    const source: TimelineSource = {
      name: 'test-orders',
      query: (p) => sql`SELECT id, 'order.create'::text AS kind, occurred_at, NULL::uuid AS actor_id, summary, '{}'::jsonb AS data
        FROM (VALUES ('01900000-0000-7000-8000-000000000001'::uuid, '2024-08-01T00:00:00Z'::timestamptz, '订单 A'),
                     ('01900000-0000-7000-8000-000000000002'::uuid, '2024-06-01T00:00:00Z'::timestamptz, '订单 B')) v(id, occurred_at, summary)
        WHERE ${p.customerId}::uuid IS NOT NULL AND ${beforeCondition(sql`occurred_at`, sql`id`, p.before)}
        ORDER BY occurred_at DESC, id DESC LIMIT ${p.limit}`,
    };
    registerTimelineSource(source);
    try {
      const first = await customerTimeline(org.ctx.admin, c.id, { limit: 2 });
      expect(first.items.map((i) => `${i.kind}:${i.summary}`)).toEqual(['order.create:订单 A', 'customer.create:创建了客户档案']);
      const second = await customerTimeline(org.ctx.admin, c.id, { limit: 2, cursor: first.nextCursor! });
      expect(second.items.map((i) => i.summary)).toEqual(['订单 B']);
      expect(second.nextCursor).toBeNull();
    } finally {
      timelineSources.splice(timelineSources.indexOf(source), 1);
    }
  });

  it('hides other organizations entirely', async () => {
    const { db } = get();
    const a = await seedOrg(db, 'Iso A');
    const b = await seedOrg(db, 'Iso B');
    const c = await createCustomer(a.ctx.admin, { name: '甲方客户', phones: ['13611112222'] });
    const bAdmin = makeCtx(db, b.ctx.admin.actor);
    await expect(getCustomer(bAdmin, c.id)).rejects.toBeInstanceOf(NotFound);
    await expect(customerTimeline(bAdmin, c.id, {})).rejects.toBeInstanceOf(NotFound);
    await expect(addContact(bAdmin, c.id, { channel: 'sms', direction: 'outbound', summary: 'x' })).rejects.toBeInstanceOf(NotFound);
    expect((await list(bAdmin, { q: '11112222' })).items).toEqual([]);
    expect((await list(bAdmin, {})).items).toEqual([]);
  });
});
