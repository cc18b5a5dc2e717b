// The customer list's JSON is written by PostgreSQL (listCustomersJson) while the detail goes through
// presentCustomer in Node: both must give the same customer, field for field, for every role.
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { describeDb } from '../db/test-harness.ts';
import { seedOrg } from '../db/test-fixtures.ts';
import { createCustomer } from './create-customer.ts';
import { getCustomer } from './get-customer.ts';
import { listCustomers } from './list-customers.ts';
import { listCustomersQuery } from './schemas.ts';

describeDb('customer list JSON written by the database', (get) => {
  it('equals the detail of each customer, masked and unmasked, with microsecond times, odd consent and every kind of field', async () => {
    const org = await seedOrg(get().db, 'ListJson');
    const made = [
      await createCustomer(org.ctx.admin, { name: '王小明', phones: ['13812345678', '+85291234567'], emails: ['wang.xm@example.com', 'a@b.cn'], provinceCode: '440000', cityCode: '440300', districtCode: '440305', street: '科技园 "南区" \\ 1号\n2栋', tags: ['VIP', '引号"'], consent: { sms: true, email: false } }),
      await createCustomer(org.ctx.admin, { name: 'Acme 公司', kind: 'company', phones: [], emails: [], tags: [] }),
      await createCustomer(org.ctx.admin, { name: '李四', phones: ['0755123456'], emails: ['li@example.com'], provinceCode: '110000' }),
    ];
    // Times with microseconds (rows written by SQL, not by Node's millisecond clock), a consent with a
    // non-boolean answer (presentCustomer leaves it out) and custom values of several JSON types.
    const micros = ['2024-02-29 23:59:59.999999+00', '2025-01-01 00:00:00.000001+00', '2026-06-30 12:34:56.5+00'];
    for (const [i, c] of made.entries()) {
      await get().db.execute(sql`UPDATE customers SET created_at = ${micros[i]}::timestamptz, updated_at = ${micros[(i + 1) % 3]}::timestamptz,
        consent = ${JSON.stringify({ phone: true, wechat: 'yes', visit: null })}::jsonb,
        custom = ${JSON.stringify({ n: 1.5, big: 12345678901234, s: '值 "x"', b: false, arr: [1, 'a'], nested: { k: null } })}::jsonb WHERE id = ${c.id}`);
    }
    for (const role of ['admin', 'agent', 'analyst'] as const) {
      const ctx = org.ctx[role];
      const page = await listCustomers(ctx, listCustomersQuery.parse({ sort: 'created', limit: 10 }));
      expect(page.items.map((c) => c.id)).toEqual(made.map((c) => c.id));
      for (const item of page.items) expect(item, role).toEqual(await getCustomer(ctx, item.id));
      const masked = role !== 'admin';
      expect(page.items.every((c) => c.masked === masked)).toBe(true);
      expect(JSON.stringify(page).includes('13812345678')).toBe(!masked);
    }
    const first = (await listCustomers(org.ctx.admin, listCustomersQuery.parse({ sort: 'created', limit: 1 }))).items[0];
    expect(first.createdAt).toBe('2024-02-29T23:59:59.999Z');
    expect(first.consent).toEqual({ phone: true });
    expect(first.regionName).toBe('广东省 深圳市 南山区');
  });
});
