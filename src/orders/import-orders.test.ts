import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { rows } from '../db/open.ts';
import { describeDb } from '../db/test-harness.ts';
import { seedOrg } from '../db/test-fixtures.ts';
import { Forbidden, Invalid } from '../platform/errors.ts';
import { createCustomer } from '../customers/create-customer.ts';
import { createOrder } from './create-order.ts';
import { createProduct } from './create-product.ts';
import { importOrders } from './import-orders.ts';

const csv = [
  '订单号,手机,商品编码,数量,金额,日期,渠道',
  'A001,13800000001,TEA-1,2,,2024-05-01 10:00,天猫', // 2 × 128.00
  'A001,,CUP-1,1,30.00,,', // discounted: 30.00 → A001 = 286.00
  'A002,13800000002,TEA-1,1,,2024-05-02,', // line 4: unknown customer
  'A003,13800000001,NOPE,1,,2024-05-03,', // line 5: unknown SKU
  'A003,13800000001,CUP-1,1,,2024-05-03,', // line 6: the other line of A003 was rejected
  'A004,13800000001,CUP-1,x,,2024-05-03,', // line 7: bad quantity
  'A005,13800000001,CUP-1,3,,2024/5/4,', // 3 × 35.50 = 106.50
  'A001,13800000001,CUP-1,1,,,', // line 9: A001 again, not together with its lines
  'EXIST,13800000001,CUP-1,1,,,', // already imported: skipped
].join('\r\n');

const input = (text: string) => Readable.from([Buffer.from(`\uFEFF${text}`, 'utf8')]);

describeDb('orders: import from CSV and XLSX', (get) => {
  it('groups lines by order number, matches customers and SKUs, reports every rejected row, and counts add up', async () => {
    const { db } = get();
    const org = await seedOrg(db, 'Import orders', { now: () => new Date('2025-01-01T00:00:00Z') });
    const admin = org.ctx.admin;
    await createProduct(admin, { sku: 'TEA-1', name: '龙井', priceMinor: 12_800 });
    const cup = await createProduct(admin, { sku: 'CUP-1', name: '茶杯', priceMinor: 3_550 });
    const c = await createCustomer(admin, { name: '导入客户', phones: ['13800000001'] });
    await createOrder(admin, { customerId: c.id, orderNo: 'EXIST', lines: [{ productId: cup.id, quantity: 1 }] });
    const ordersNow = async () => rows<{ order_no: string; total: string; ordered_at: string; channel: string; status: string; stage: string; lines: string }>(
      db,
      sql`SELECT o.order_no, o.total_minor::text AS total, to_char(o.ordered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI') AS ordered_at, o.channel, o.status, o.stage,
          (SELECT COUNT(*) FROM order_lines l WHERE l.order_id = o.id)::text AS lines
        FROM orders o WHERE o.org_id = ${org.orgId} AND o.order_no <> 'EXIST' ORDER BY o.order_no`,
    );

    const strict = await importOrders(admin, { input: input(csv), fileName: 'orders.csv', format: 'csv' });
    expect(strict).toMatchObject({ read: 9, imported: 3, orders: 2, skipped: 1, rejected: 5, committed: false });
    expect(strict.errors.map((e) => [e.line, e.reason])).toEqual([
      [4, 'unknown_customer'],
      [5, 'unknown_sku'],
      [6, 'order_has_rejected_line'],
      [7, 'invalid_quantity'],
      [9, 'inconsistent_order'],
    ]);
    expect(strict.report).toContain('商品编码不存在');
    expect(strict.report).toContain('Unknown SKU');
    expect(await ordersNow()).toEqual([]);

    const good = await importOrders(admin, { input: input(csv), fileName: 'orders.csv', format: 'csv', mode: 'skip-invalid' });
    expect(good).toMatchObject({ read: 9, imported: 3, orders: 2, skipped: 1, rejected: 5, committed: true });
    expect(await ordersNow()).toEqual([
      // 10:00 in Shanghai is 02:00 UTC; a date alone is midnight in Shanghai.
      { order_no: 'A001', total: '28600', ordered_at: '2024-05-01T02:00', channel: '天猫', status: 'completed', stage: 'settled', lines: '2' },
      { order_no: 'A005', total: '10650', ordered_at: '2024-05-03T16:00', channel: 'import', status: 'completed', stage: 'settled', lines: '1' },
    ]);
    // Importing the same file again adds nothing: the orders exist.
    const again = await importOrders(admin, { input: input(csv), fileName: 'orders.csv', format: 'csv', mode: 'skip-invalid' });
    expect(again).toMatchObject({ read: 9, imported: 0, orders: 0, skipped: 4, rejected: 5 });
    expect(await failure(importOrders(org.ctx.agent, { input: input(csv), fileName: 'x.csv', format: 'csv' }))).toBeInstanceOf(Forbidden);
    expect(await failure(importOrders(admin, { input: input('name,phone\nx,1'), fileName: 'x.csv', format: 'csv' }))).toBeInstanceOf(Invalid);

    // XLSX with English headers and Excel dates.
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('orders');
    ws.addRow(['order_no', 'mobile', 'SKU', 'quantity', 'amount', 'date', 'channel', 'stage']);
    ws.addRow(['X1', '138 0000 0001', 'CUP-1', 2, 70.5, new Date(Date.UTC(2024, 6, 1, 9, 30)), 'jd', '已发货']);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const xl = await importOrders(admin, { input: Readable.from([buf]), fileName: 'orders.xlsx', format: 'xlsx' });
    expect(xl).toMatchObject({ read: 1, imported: 1, orders: 1, skipped: 0, rejected: 0, committed: true });
    expect((await ordersNow()).find((o) => o.order_no === 'X1')).toEqual({ order_no: 'X1', total: '7050', ordered_at: '2024-07-01T01:30', channel: 'jd', status: 'open', stage: 'dispatched', lines: '1' });
  });
});

const failure = async (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);
