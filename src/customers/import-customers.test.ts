import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { afterAll, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describeDb } from '../db/test-harness.ts';
import { seedOrg } from '../db/test-fixtures.ts';
import { rows, type Db } from '../db/open.ts';
import { auditLog, customFieldDefs } from '../platform/tables.ts';
import { newId } from '../platform/ids.ts';
import { Forbidden, Invalid } from '../platform/errors.ts';
import { customers, importRuns } from './tables.ts';
import { importCustomers } from './import-customers.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-import-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let fileNo = 0;
function writeFile(content: string | Buffer, ext = 'csv'): string {
  const file = path.join(tmp, `f${++fileNo}.${ext}`);
  fs.writeFileSync(file, content);
  return file;
}

async function countCustomers(db: Db, orgId: string): Promise<number> {
  const [r] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM customers WHERE org_id = ${orgId}`);
  return r.n;
}

function expectInvariant(r: { read: number; created: number; updated: number; skipped: number; rejected: number }) {
  expect(r.created + r.updated + r.skipped + r.rejected).toBe(r.read);
}

describeDb('customer import', (get) => {
  it('imports a UTF-8 BOM file with blank lines and rejects bad rows with line, column and reason (skip-invalid)', async () => {
    const { db } = get();
    const org = await seedOrg(db, 'ImportA');
    const csv =
      '\uFEFF姓名,手机,邮箱,省,市,区,详细地址,标签,类型\r\n' +
      '张三,138 1234 5678,zhang@example.com,广东省,深圳市,南山区,科技园1号,VIP，老客户,个人\r\n' +
      '\r\n' +
      '李四,+86 13912345678,LI@Example.com,广东,深圳,,,,\r\n' +
      ',,,,,,,,\r\n' +
      '王五,13700000000,not-an-email,广东省,,,,,\r\n' +
      `${'长'.repeat(101)},13600000000,,,,,,,\r\n` +
      '赵六,13500000000,,火星省,,,,,\r\n' +
      '"钱\n七",12345,,,,,,,\r\n' +
      ',13300000000,,,,,,,\r\n' +
      '北京客户,13200000000,,北京,北京市,朝阳区,,,企业\r\n' +
      '孙八,13100000000,,440000,440300,440305,,,\r\n';
    const file = writeFile(csv);
    const r = await importCustomers(org.ctx.admin, { input: file, fileName: 'a.csv', format: 'csv', mode: 'skip-invalid' });
    expect(r.encoding).toBe('utf8');
    expect(r).toMatchObject({ read: 9, created: 4, updated: 0, skipped: 0, rejected: 5, committed: true });
    expectInvariant(r);
    const byLine = Object.fromEntries(r.errors.map((e) => [e.line, e]));
    expect(byLine[6]).toMatchObject({ column: '邮箱', value: 'not-an-email', reason: 'invalid_email' });
    expect(byLine[7]).toMatchObject({ column: '姓名', reason: 'too_long', max: 100 });
    expect(byLine[8]).toMatchObject({ column: '省', value: '火星省', reason: 'unknown_region' });
    expect(byLine[9]).toMatchObject({ column: '手机', value: '12345', reason: 'invalid_phone' });
    expect(byLine[11]).toMatchObject({ column: '姓名', reason: 'missing_name' });
    expect(r.report.startsWith('\uFEFF')).toBe(true);
    expect(r.report).toContain('11,姓名,,缺少姓名/名称,Name is missing');

    const saved = await db
      .select()
      .from(customers)
      .where(eq(customers.orgId, org.orgId))
      .orderBy(customers.name);
    const zs = saved.find((c) => c.name === '张三')!;
    expect(zs).toMatchObject({ phones: ['13812345678'], emails: ['zhang@example.com'], provinceCode: '440000', cityCode: '440300', districtCode: '440305', street: '科技园1号', tags: ['VIP', '老客户'], kind: 'person' });
    expect(zs.nameInitials).toBe('zs');
    expect(saved.find((c) => c.name === '李四')).toMatchObject({ phones: ['13912345678'], emails: ['li@example.com'], provinceCode: '440000', cityCode: '440300', districtCode: null });
    expect(saved.find((c) => c.name === '北京客户')).toMatchObject({ kind: 'company', provinceCode: '110000', cityCode: null, districtCode: '110105' });
    expect(saved.find((c) => c.name === '孙八')).toMatchObject({ provinceCode: '440000', cityCode: '440300', districtCode: '440305' });
    expect(saved).toHaveLength(4);

    // One audit entry for the whole import, with the counts; the run and its report are stored.
    const entries = await db.select().from(auditLog).where(and(eq(auditLog.orgId, org.orgId), eq(auditLog.action, 'customer.import')));
    expect(entries).toHaveLength(1);
    expect(entries[0].data).toMatchObject({ read: 9, created: 4, rejected: 5, committed: true });
    const [run] = await db.select().from(importRuns).where(eq(importRuns.id, r.id));
    expect(`\uFEFF${run.reportCsv}`).toBe(r.report);
    expect(run.counts).toMatchObject({ read: 9, rejected: 5 });
  });

  it('detects a GBK file, and honours an explicit encoding', async () => {
    const { db } = get();
    const org = await seedOrg(db, 'ImportGbk');
    const text = '客户名称,电话,省份,城市,区县\r\n欧阳锋,13800001111,浙江省,杭州市,西湖区\r\n黄药师,13800002222,浙江,杭州,\r\n';
    const file = writeFile(iconv.encode(text, 'gbk'));
    const r = await importCustomers(org.ctx.admin, { input: file, fileName: 'gbk.csv', format: 'csv' });
    expect(r).toMatchObject({ encoding: 'gbk', read: 2, created: 2, rejected: 0, committed: true });
    const names = (await db.select({ name: customers.name, d: customers.districtCode }).from(customers).where(eq(customers.orgId, org.orgId))).map((c) => `${c.name}:${c.d}`);
    expect(names.sort()).toEqual(['欧阳锋:330106', '黄药师:null'].sort());

    // The same bytes read as GBK on request, and a UTF-8 stream given explicitly.
    const org2 = await seedOrg(db, 'ImportGbk2');
    const r2 = await importCustomers(org2.ctx.admin, { input: fs.createReadStream(file), fileName: 'gbk.csv', format: 'csv', encoding: 'gbk' });
    expect(r2).toMatchObject({ encoding: 'gbk', created: 2 });
    const r3 = await importCustomers(org2.ctx.admin, {
      input: writeFile('name,mobile\r\nÖzil 厄齐尔,13800003333\r\n'),
      fileName: 'u.csv',
      format: 'csv',
      encoding: 'utf8',
    });
    expect(r3).toMatchObject({ encoding: 'utf8', created: 1 });
    const [ozil] = await db.select().from(customers).where(and(eq(customers.orgId, org2.orgId), eq(customers.phones, ['13800003333'])));
    expect(ozil.name).toBe('Özil 厄齐尔');
  });

  it('all-or-nothing rolls everything back when a row is rejected; skip-invalid commits the good rows', async () => {
    const { db } = get();
    const org = await seedOrg(db, 'ImportAon');
    const lines = ['姓名,手机,邮箱'];
    for (let i = 0; i < 4500; i++) lines.push(`客户${i},139${String(i).padStart(8, '0')},`);
    lines.push('坏邮箱,13700000001,bad@');
    const file = writeFile(lines.join('\n'));
    const aon = await importCustomers(org.ctx.admin, { input: file, fileName: 'x.csv', format: 'csv' });
    expect(aon).toMatchObject({ read: 4501, created: 4500, rejected: 1, committed: false });
    expect(aon.summary).toContain('未写入任何数据');
    expect(aon.report).toContain('按“全部成功才导入”模式');
    expect(await countCustomers(db, org.orgId)).toBe(0);
    const [run] = await db.select().from(importRuns).where(eq(importRuns.id, aon.id));
    expect(run.committed).toBe(false);

    const skip = await importCustomers(org.ctx.admin, { input: file, fileName: 'x.csv', format: 'csv', mode: 'skip-invalid' });
    expect(skip).toMatchObject({ read: 4501, created: 4500, rejected: 1, committed: true });
    expect(skip.errors).toEqual([{ line: 4502, column: '邮箱', value: 'bad@', reason: 'invalid_email' }]);
    expect(await countCustomers(db, org.orgId)).toBe(4500);
  });

  it('dry-run validates and counts exactly like a real run but writes nothing', async () => {
    const { db } = get();
    const org = await seedOrg(db, 'ImportDry');
    const file = writeFile('姓名,手机\n甲,13800000001\n乙,13800000001\n丙,bad\n');
    const auditBefore = (await db.select().from(auditLog).where(eq(auditLog.orgId, org.orgId))).length;
    const dry = await importCustomers(org.ctx.admin, { input: file, fileName: 'd.csv', format: 'csv', mode: 'skip-invalid', dryRun: true });
    expect(dry).toMatchObject({ read: 3, created: 1, updated: 1, rejected: 1, committed: false });
    expect(await countCustomers(db, org.orgId)).toBe(0);
    expect((await db.select().from(auditLog).where(eq(auditLog.orgId, org.orgId))).length).toBe(auditBefore);
    const real = await importCustomers(org.ctx.admin, { input: file, fileName: 'd.csv', format: 'csv', mode: 'skip-invalid' });
    expect({ ...real, id: '', report: '', summary: '' }).toEqual({ ...dry, id: '', report: '', summary: '', committed: true });
  });

  it('dedupes by phone or email within the file and against the database: update merges, skip leaves alone', async () => {
    const { db } = get();
    const org = await seedOrg(db, 'ImportDedupe');
    const seed = writeFile('姓名,手机,邮箱,标签,来源\n老王,13800000001,wang@old.com,老客户,门店\n老李,13800000002,,,\n');
    expect(await importCustomers(org.ctx.admin, { input: seed, fileName: 's.csv', format: 'csv' })).toMatchObject({ created: 2 });

    const file = writeFile(
      [
        '姓名,手机,邮箱,标签,来源',
        '王大锤,13800000001,,VIP,', // matches 老王 by phone
        '李雷,13900000009,wang@old.com,,', // matches 老王 by email
        '新人,13700000007,,,电话', // new
        '新人二号,13700000007,new@x.com,,', // duplicate of the previous row
      ].join('\n'),
    );
    const skip = await importCustomers(org.ctx.admin, { input: file, fileName: 'f.csv', format: 'csv', dedupe: 'skip' });
    expect(skip).toMatchObject({ read: 4, created: 1, updated: 0, skipped: 3, rejected: 0, committed: true });
    const [wang0] = await db.select().from(customers).where(and(eq(customers.orgId, org.orgId), sql`${customers.phones} @> ARRAY['13800000001']`));
    expect(wang0).toMatchObject({ name: '老王', tags: ['老客户'], version: 1 });

    const org2 = await seedOrg(db, 'ImportDedupe2');
    await importCustomers(org2.ctx.admin, { input: seed, fileName: 's.csv', format: 'csv' });
    const upd = await importCustomers(org2.ctx.admin, { input: file, fileName: 'f.csv', format: 'csv', dedupe: 'update' });
    expect(upd).toMatchObject({ read: 4, created: 1, updated: 3, skipped: 0, rejected: 0 });
    const all = await db.select().from(customers).where(eq(customers.orgId, org2.orgId));
    expect(all).toHaveLength(3);
    const wang = all.find((c) => c.phones.includes('13800000001'))!;
    // Later rows win for given values; lists merge; blank cells keep what was stored.
    expect(wang).toMatchObject({ name: '李雷', phones: ['13800000001', '13900000009'], emails: ['wang@old.com'], tags: ['老客户', 'VIP'], source: '门店' });
    expect(wang.version).toBe(2);
    expect(wang.nameInitials).toBe('ll');
    const newcomer = all.find((c) => c.phones.includes('13700000007'))!;
    expect(newcomer).toMatchObject({ name: '新人二号', emails: ['new@x.com'], source: '电话' });

    // Duplicates that fall into different batches are found too (earlier batches are in the same transaction).
    const org3 = await seedOrg(db, 'ImportDedupe3');
    const big = ['姓名,手机'];
    for (let i = 0; i < 5000; i++) big.push(`客户${i},139${String(i % 3000).padStart(8, '0')}`);
    const r3 = await importCustomers(org3.ctx.admin, { input: writeFile(big.join('\n')), fileName: 'b.csv', format: 'csv', dedupe: 'skip' });
    expect(r3).toMatchObject({ read: 5000, created: 3000, skipped: 2000 });
    expect(await countCustomers(db, org3.orgId)).toBe(3000);
  });

  it('reads XLSX (first sheet), English headers, --map overrides, custom fields, owners and kinds', async () => {
    const { db } = get();
    const org = await seedOrg(db, 'ImportXlsx');
    await db.insert(customFieldDefs).values([
      { id: newId(), orgId: org.orgId, entity: 'customer', key: 'level', labelZh: '客户等级', labelEn: 'Level', type: 'select', options: ['金', '银'], required: false },
      { id: newId(), orgId: org.orgId, entity: 'customer', key: 'spend', labelZh: '年消费', labelEn: 'Annual spend', type: 'number', options: [], required: false },
    ]);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('客户');
    ws.addRow(['Name', 'Mobile', 'E-mail', 'Province', 'City', 'Owner', 'Type', '客户等级', 'custom.spend', 'Contact phone', 'Remark']);
    ws.addRow(['Acme 上海', 13800138000, 'ops@acme.com', '上海', '', org.emails.customer_manager.toUpperCase(), 'company', '金', 1200.5, '', 'x']);
    ws.addRow([]);
    ws.addRow(['无主客户', '13800138001', '', '', '', 'nobody@x.com', '', '铜', 'abc', '021-12345678', '']);
    ws.addRow([{ richText: [{ text: '富' }, { text: '文本' }] }, '13800138002', '', '四川省', '成都市', '', '个人', '银', '', '', '']);
    const file = path.join(tmp, 'c.xlsx');
    await wb.xlsx.writeFile(file);
    const r = await importCustomers(org.ctx.admin, {
      input: file,
      fileName: 'c.xlsx',
      format: 'xlsx',
      mode: 'skip-invalid',
      map: { 'Contact phone': 'phones', Remark: 'ignore' },
    });
    expect(r).toMatchObject({ read: 3, created: 2, rejected: 1, committed: true, unmappedColumns: [] });
    expect(r.errors.map((e) => `${e.line}:${e.column}:${e.reason}`).sort()).toEqual(
      ['4:Owner:unknown_owner', '4:客户等级:invalid_option', '4:custom.spend:invalid_number'].sort(),
    );
    const saved = await db.select().from(customers).where(eq(customers.orgId, org.orgId));
    expect(saved.find((c) => c.name === 'Acme 上海')).toMatchObject({
      kind: 'company',
      phones: ['13800138000'],
      emails: ['ops@acme.com'],
      provinceCode: '310000',
      ownerId: org.userIds.customer_manager,
      custom: { level: '金', spend: 1200.5 },
    });
    expect(saved.find((c) => c.name === '富文本')).toMatchObject({ provinceCode: '510000', cityCode: '510100', custom: { level: '银' } });
  });

  it('refuses a file without a name column, and callers without customer.import', async () => {
    const { db } = get();
    const org = await seedOrg(db, 'ImportRefuse');
    await expect(importCustomers(org.ctx.admin, { input: writeFile('手机,邮箱\n13800000000,a@b.cn\n'), fileName: 'n.csv', format: 'csv' })).rejects.toBeInstanceOf(Invalid);
    await expect(importCustomers(org.ctx.agent, { input: writeFile('姓名\n甲\n'), fileName: 'n.csv', format: 'csv' })).rejects.toBeInstanceOf(Forbidden);
    expect(await countCustomers(db, org.orgId)).toBe(0);
  });

  it('imports a ~10 MB file of 100k rows with messy rows and the counts add up', async () => {
    const { db, kind } = get();
    const org = await seedOrg(db, 'ImportBig');
    const file = path.join(tmp, 'big.csv');
    const out = fs.createWriteStream(file);
    out.write('\uFEFF姓名,手机,邮箱,省,市,区,地址,标签,来源\n');
    const places = [
      ['广东省', '深圳市', '南山区'],
      ['浙江省', '杭州市', '西湖区'],
      ['北京市', '', '朝阳区'],
      ['四川省', '成都市', '武侯区'],
    ];
    const expected = { read: 0, bad: 0, dup: 0 };
    for (let i = 0; i < 100_000; i++) {
      const [p, c, d] = places[i % places.length];
      let phone = `139${String((i * 7_654_321 + 12_345) % 100_000_000).padStart(8, '0')}`;
      let email = i % 3 === 0 ? `user${i}@example.com` : '';
      if (i % 1000 === 7) {
        email = `broken${i}@`;
        expected.bad++;
      } else if (i % 1000 === 8) {
        phone = `139${String(((i - 2) * 7_654_321 + 12_345) % 100_000_000).padStart(8, '0')}`; // same phone as a valid row two lines up
        email = '';
        expected.dup++;
      }
      expected.read++;
      const line = `客户${i},${phone},${email},${p},${c},${d},${d}人民路${i % 300}号,${i % 2 ? 'VIP' : ''},门店\n`;
      if (!out.write(i % 5000 === 0 ? `${line}\n` : line)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    const size = fs.statSync(file).size;
    expect(size).toBeGreaterThan(8_000_000);

    const t0 = performance.now();
    let progressCalls = 0;
    const r = await importCustomers(org.ctx.admin, {
      input: file,
      fileName: 'big.csv',
      format: 'csv',
      mode: 'skip-invalid',
      dedupe: 'skip',
      onProgress: () => progressCalls++,
    });
    const seconds = (performance.now() - t0) / 1000;
    console.log(`[${kind}] imported ${r.read} rows (${(size / 1e6).toFixed(1)} MB) in ${seconds.toFixed(1)} s: ${Math.round(r.read / seconds)} rows/s`);
    expect(r).toMatchObject({ read: expected.read, rejected: expected.bad, skipped: expected.dup, created: expected.read - expected.bad - expected.dup, committed: true });
    expectInvariant(r);
    expect(progressCalls).toBeGreaterThan(10);
    expect(await countCustomers(db, org.orgId)).toBe(r.created);
  }, 120_000);
});
