// Export (use case and HTTP), import upload and its report over HTTP, 413 on oversized uploads.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import pino from 'pino';
import { describeDb } from '../db/test-harness.ts';
import { seedOrg, type OrgFixture } from '../db/test-fixtures.ts';
import { rows, type Db } from '../db/open.ts';
import { buildApp } from '../http/app.ts';
import { auditLog } from '../platform/tables.ts';
import { Forbidden } from '../platform/errors.ts';
import { customers } from './tables.ts';
import { exportCustomers } from './export-customers.ts';
import { importCustomers } from './import-customers.ts';
import { contentDisposition } from './transfer-routes.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-transfer-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const config = { sessionHours: 12, maxUploadBytes: 64 * 1024, loginRatePerMinute: 100, cookieSecure: false };

async function seedCustomers(org: OrgFixture, n: number): Promise<string> {
  const lines = ['姓名,手机,邮箱,省,市,区,详细地址,标签,来源,负责人,类型'];
  const places = [
    ['广东省', '深圳市', '南山区'],
    ['浙江省', '杭州市', '西湖区'],
    ['北京市', '', '朝阳区'],
  ];
  for (let i = 0; i < n; i++) {
    const [p, c, d] = places[i % places.length];
    const owner = i % 4 === 0 ? org.emails.customer_manager : '';
    lines.push(`"客户,${i}",138${String(i).padStart(8, '0')},c${i}@example.com,${p},${c},${d},"${d}路""${i}""号",VIP;老客户,门店,${owner},${i % 5 ? '个人' : '企业'}`);
  }
  const file = path.join(tmp, `seed-${org.orgId}.csv`);
  fs.writeFileSync(file, lines.join('\n'));
  const r = await importCustomers(org.ctx.admin, { input: file, fileName: 'seed.csv', format: 'csv' });
  expect(r).toMatchObject({ created: n, committed: true });
  return file;
}

async function exportToBuffer(ctx: OrgFixture['ctx']['admin'], opts: { format: 'csv' | 'xlsx'; encoding?: 'utf8' | 'gbk' }): Promise<{ buf: Buffer; rows: number }> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const r = await exportCustomers(ctx, { ...opts, out });
  return { buf: Buffer.concat(chunks), rows: r.rows };
}

async function count(db: Db, orgId: string): Promise<number> {
  const [r] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM customers WHERE org_id = ${orgId}`);
  return r.n;
}

describeDb('customer export and HTTP transfer', (get) => {
  it('exports CSV (BOM, Chinese headers, region names) across several batches, and re-imports it with dedupe=skip as all skipped', async () => {
    const { db } = get();
    const org = await seedOrg(db, 'ExportA');
    await seedCustomers(org, 12_000);
    const { buf, rows: n } = await exportToBuffer(org.ctx.admin, { format: 'csv' });
    expect(n).toBe(12_000);
    const text = buf.toString('utf8');
    expect(text.startsWith('\uFEFF姓名,类型,手机,邮箱,省,市,区,详细地址,标签,来源,负责人,创建时间,更新时间,客户ID\r\n')).toBe(true);
    expect(text).toContain(`"客户,1",个人,\t13800000001,c1@example.com,浙江省,杭州市,西湖区,"西湖区路""1""号",VIP;老客户,门店,,`);
    expect(text).toContain(`"客户,0",企业,\t13800000000,c0@example.com,广东省,深圳市,南山区,`);
    expect(text).toContain(`,${org.emails.customer_manager},`);
    expect(text.split('\r\n').filter(Boolean)).toHaveLength(12_001);

    const file = path.join(tmp, 'roundtrip.csv');
    fs.writeFileSync(file, buf);
    const again = await importCustomers(org.ctx.admin, { input: file, fileName: 'roundtrip.csv', format: 'csv', dedupe: 'skip' });
    expect(again).toMatchObject({ read: 12_000, created: 0, updated: 0, skipped: 12_000, rejected: 0 });
    expect(again.unmappedColumns).toEqual(['创建时间', '更新时间', '客户ID']);
    expect(await count(db, org.orgId)).toBe(12_000);

    // Re-imported into another organization, every field survives the trip.
    const org2 = await seedOrg(db, 'ExportA2');
    const r2 = await importCustomers(org2.ctx.admin, { input: file, fileName: 'roundtrip.csv', format: 'csv', mode: 'skip-invalid' });
    // Owners are users of the first organization: unknown here, so those rows are rejected with a reason.
    expect(r2).toMatchObject({ read: 12_000, created: 9_000, rejected: 3_000 });
    expect(new Set(r2.errors.map((e) => e.reason))).toEqual(new Set(['unknown_owner']));
    const [c1] = await db.select().from(customers).where(and(eq(customers.orgId, org2.orgId), eq(customers.name, '客户,1')));
    expect(c1).toMatchObject({ phones: ['13800000001'], emails: ['c1@example.com'], provinceCode: '330000', cityCode: '330100', districtCode: '330106', street: '西湖区路"1"号', tags: ['VIP', '老客户'], source: '门店', kind: 'person' });
    const [c2] = await db.select().from(customers).where(and(eq(customers.orgId, org2.orgId), eq(customers.name, '客户,2')));
    expect(c2).toMatchObject({ provinceCode: '110000', cityCode: null, districtCode: '110105' });
  });

  it('masks phones and emails for roles without customer.pii and applies the data scope; GBK and XLSX on request', async () => {
    const { db } = get();
    const org = await seedOrg(db, 'ExportMask');
    await seedCustomers(org, 300);
    // customer_manager: territory Guangdong only, no customer.pii.
    const cm = await exportToBuffer(org.ctx.customer_manager, { format: 'csv' });
    const text = cm.buf.toString('utf8');
    expect(cm.rows).toBe(100);
    expect(text).toContain('138****0000');
    expect(text).not.toMatch(/1380000\d{4}/);
    expect(text).not.toMatch(/c\d+@example\.com/);
    expect(text).not.toContain('浙江省');
    // analyst sees everyone, masked.
    const an = await exportToBuffer(org.ctx.analyst, { format: 'csv' });
    expect(an.rows).toBe(300);
    expect(an.buf.toString('utf8')).not.toMatch(/1380000\d{4}/);
    // agent may not export at all.
    await expect(exportToBuffer(org.ctx.agent, { format: 'csv' })).rejects.toBeInstanceOf(Forbidden);

    const gbk = await exportToBuffer(org.ctx.supervisor, { format: 'csv', encoding: 'gbk' });
    expect(gbk.buf.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
    const decoded = iconv.decode(gbk.buf, 'gbk');
    expect(decoded.startsWith('姓名,类型,手机')).toBe(true);
    expect(decoded).toContain('13800000299');

    const xlsx = await exportToBuffer(org.ctx.customer_manager, { format: 'xlsx' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.buf as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws.rowCount).toBe(101);
    expect(ws.getRow(1).getCell(1).value).toBe('姓名');
    const phones = new Set<string>();
    ws.eachRow((r, i) => {
      if (i > 1) phones.add(String(r.getCell(3).value));
    });
    expect([...phones].every((p) => /^138\*{4}\d{4}$/.test(p))).toBe(true);
    expect((await db.select().from(auditLog).where(and(eq(auditLog.orgId, org.orgId), eq(auditLog.action, 'customer.export')))).length).toBe(4);
  });

  it('HTTP: uploads a file, returns counts, serves the error report (404 for another org), 413 when too large, exports with Content-Disposition', async () => {
    const { db, database } = get();
    const org = await seedOrg(db, 'Upload');
    const other = await seedOrg(db, 'UploadOther');
    const app = await buildApp({ database, config, log: pino({ level: 'silent' }), webDir: null });
    try {
      const login = async (email: string) =>
        (await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: org.password } })).json().token as string;
      const admin = await login(org.emails.admin);
      const agent = await login(org.emails.agent);
      const otherAdmin = await login(other.emails.admin);
      const analyst = await login(org.emails.analyst);

      const multipart = (parts: { name: string; value: string | Buffer; filename?: string }[]) => {
        const boundary = '----kefu' + Math.random().toString(16).slice(2);
        const chunks: Buffer[] = [];
        for (const p of parts) {
          chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${p.filename ? `; filename="${p.filename}"` : ''}\r\n`));
          if (p.filename) chunks.push(Buffer.from('Content-Type: text/csv\r\n'));
          chunks.push(Buffer.from('\r\n'), Buffer.isBuffer(p.value) ? p.value : Buffer.from(p.value), Buffer.from('\r\n'));
        }
        chunks.push(Buffer.from(`--${boundary}--\r\n`));
        return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
      };
      const csv = iconv.encode('姓名,手机,邮箱\r\n张三,13800000001,zs@x.com\r\n\r\n李四,13800000002,bad-email\r\n王五,13800000003,\r\n', 'gbk');
      // The file part first and the fields after it: order does not matter.
      const body = multipart([
        { name: 'file', value: csv, filename: '客户.csv' },
        { name: 'mode', value: 'skip-invalid' },
        { name: 'dedupe', value: 'skip' },
      ]);
      const res = await app.inject({ method: 'POST', url: '/api/imports/customers', headers: { ...body.headers, authorization: `Bearer ${admin}` }, payload: body.payload });
      expect(res.statusCode).toBe(200);
      const out = res.json();
      expect(out).toMatchObject({ read: 3, created: 2, updated: 0, skipped: 0, rejected: 1, committed: true });
      expect(out.errors).toEqual([{ line: 4, column: '邮箱', value: 'bad-email', reason: 'invalid_email' }]);
      expect(await count(db, org.orgId)).toBe(2);

      const report = await app.inject({ method: 'GET', url: `/api/imports/${out.id}/report`, headers: { authorization: `Bearer ${admin}` } });
      expect(report.statusCode).toBe(200);
      expect(report.headers['content-type']).toContain('text/csv');
      expect(report.headers['content-disposition']).toContain("filename*=UTF-8''%E5%AE%A2%E6%88%B7.errors.csv");
      expect(report.rawPayload.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(true);
      expect(report.body).toContain('4,邮箱,bad-email,邮箱格式不正确,Not a valid email address');
      const foreign = await app.inject({ method: 'GET', url: `/api/imports/${out.id}/report`, headers: { authorization: `Bearer ${otherAdmin}` } });
      expect(foreign.statusCode).toBe(404);
      const notUuid = await app.inject({ method: 'GET', url: '/api/imports/nope/report', headers: { authorization: `Bearer ${admin}` } });
      expect(notUuid.statusCode).toBe(404);

      // Dry run through HTTP writes nothing; a bad field value is a 400; agents may not import.
      const dry = multipart([{ name: 'dryRun', value: 'true' }, { name: 'file', value: 'name,mobile\nA,13900000001\n', filename: 'a.csv' }]);
      const dryRes = await app.inject({ method: 'POST', url: '/api/imports/customers', headers: { ...dry.headers, authorization: `Bearer ${admin}` }, payload: dry.payload });
      expect(dryRes.json()).toMatchObject({ read: 1, created: 1, committed: false });
      expect(await count(db, org.orgId)).toBe(2);
      const bad = multipart([{ name: 'mode', value: 'sometimes' }, { name: 'file', value: 'name\nA\n', filename: 'a.csv' }]);
      expect((await app.inject({ method: 'POST', url: '/api/imports/customers', headers: { ...bad.headers, authorization: `Bearer ${admin}` }, payload: bad.payload })).statusCode).toBe(400);
      const byAgent = multipart([{ name: 'file', value: 'name\nA\n', filename: 'a.csv' }]);
      expect((await app.inject({ method: 'POST', url: '/api/imports/customers', headers: { ...byAgent.headers, authorization: `Bearer ${agent}` }, payload: byAgent.payload })).statusCode).toBe(403);

      // Over the configured upload limit (64 KB here): 413 with the stable code, nothing imported.
      const big = 'name,mobile\n' + Array.from({ length: 6000 }, (_, i) => `客户${i},139${String(i).padStart(8, '0')}`).join('\n');
      const tooBig = multipart([{ name: 'file', value: big, filename: 'big.csv' }]);
      const r413 = await app.inject({ method: 'POST', url: '/api/imports/customers', headers: { ...tooBig.headers, authorization: `Bearer ${admin}`, 'accept-language': 'en' }, payload: tooBig.payload });
      expect(r413.statusCode).toBe(413);
      expect(r413.json()).toEqual({ code: 'payload_too_large', message: 'The upload is too large' });
      expect(await count(db, org.orgId)).toBe(2);

      // Export: streamed with an RFC 5987 file name; masked for the analyst.
      const exp = await app.inject({ method: 'GET', url: '/api/customers/export?format=csv', headers: { authorization: `Bearer ${analyst}` } });
      expect(exp.statusCode).toBe(200);
      expect(exp.headers['content-disposition']).toMatch(/^attachment; filename="\d{8}\.csv"; filename\*=UTF-8''%E5%AE%A2%E6%88%B7%E5%AF%BC%E5%87%BA-\d{8}\.csv$/);
      expect(exp.body).toContain('138****0001');
      expect(exp.body).not.toContain('13800000001');
      const xl = await app.inject({ method: 'GET', url: '/api/customers/export?format=xlsx', headers: { authorization: `Bearer ${admin}` } });
      expect(xl.statusCode).toBe(200);
      expect(xl.headers['content-type']).toContain('spreadsheetml');
      expect(xl.rawPayload.subarray(0, 2).toString()).toBe('PK');
      expect((await app.inject({ method: 'GET', url: '/api/customers/export', headers: { authorization: `Bearer ${agent}` } })).statusCode).toBe(403);
      expect((await app.inject({ method: 'GET', url: '/api/customers/export?format=pdf', headers: { authorization: `Bearer ${admin}` } })).statusCode).toBe(400);

      const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
      expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/imports/customers', '/api/imports/{id}/report', '/api/customers/export']));
    } finally {
      await app.close();
    }
  });
});

it('builds an RFC 5987 Content-Disposition with an ASCII fallback', () => {
  expect(contentDisposition('客户导出-20240501.csv')).toBe(
    `attachment; filename="20240501.csv"; filename*=UTF-8''%E5%AE%A2%E6%88%B7%E5%AF%BC%E5%87%BA-20240501.csv`,
  );
});
