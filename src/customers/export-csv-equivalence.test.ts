// The CSV export is formatted by SQL, the XLSX export by TypeScript: the same customers must come out
// as the same cells (CSV escaping and Excel's phone guard aside), masked or not, whatever the text.
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { expect, it } from 'vitest';
import { describeDb } from '../db/test-harness.ts';
import { seedOrg } from '../db/test-fixtures.ts';
import type { Ctx } from '../platform/context.ts';
import { createCustomer } from './create-customer.ts';
import { createCustomField } from './custom-fields.ts';
import { csvCell, exportCustomers } from './export-customers.ts';

async function exported(ctx: Ctx, format: 'csv' | 'xlsx'): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await exportCustomers(ctx, { format, out });
  return Buffer.concat(chunks);
}

/** The CSV the XLSX's cells make when escaped as the TypeScript export used to write it. */
async function csvFromXlsx(buf: Buffer): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const lines: string[] = [];
  wb.worksheets[0].eachRow((row, n) => {
    const cells = (row.values as unknown[]).slice(1).map((v) => csvCell(v === null || v === undefined ? '' : String(v)));
    while (cells.length < wb.worksheets[0].columnCount) cells.push('');
    if (n > 1 && cells[2]) cells[2] = `\t${cells[2]}`;
    lines.push(cells.join(','));
  });
  return `${lines.join('\r\n')}\r\n`;
}

describeDb('CSV export (SQL) and XLSX export (TypeScript) agree', (get) => {
  it('cell for cell, masked and unmasked, with custom fields, formulas, quotes, line breaks and regions', async () => {
    const org = await seedOrg(get().db, 'ExportTwins');
    const admin = org.ctx.admin;
    await createCustomField(admin, { key: 'level', labelZh: '等级', labelEn: 'Level', type: 'select', options: ['金', '银'] });
    await createCustomField(admin, { key: 'spend', labelZh: '年消费', labelEn: 'Spend', type: 'number' });
    await createCustomField(admin, { key: 'vip', labelZh: '贵宾', labelEn: 'VIP', type: 'boolean' });
    await createCustomField(admin, { key: 'since', labelZh: '首购日', labelEn: 'Since', type: 'date' });
    await createCustomField(admin, { key: 'note', labelZh: '备注', labelEn: 'Note', type: 'text' });
    const names = ['王小明', '=HYPERLINK("x")', '+1 想法', '-5', '"引号",逗号', '换\n行', "'单引号", '@提及', '普通 客户'];
    for (const [i, name] of names.entries()) {
      await createCustomer(admin, {
        name,
        kind: i % 3 === 0 ? 'company' : 'person',
        phones: i % 4 === 3 ? [] : [`1380013${String(i).padStart(4, '0')}`, ...(i % 2 ? ['+86 21 6123 4567'] : [])],
        emails: i % 3 === 1 ? [] : [`user${i}@example.com`, 'a@b.cn'],
        districtCode: ['440305', '330106', '110105'][i % 3],
        street: i % 2 ? `科技园${i}号,B座` : undefined,
        tags: i % 2 ? ['VIP', '=老客户'] : [],
        source: i % 3 ? '门店' : undefined,
        custom: { level: i % 2 ? '金' : '银', spend: i * 1234.5, vip: i % 2 === 0, since: '2024-03-0' + ((i % 9) + 1), note: i % 2 ? '含,逗号 "和" 引号' : '=cmd' },
      });
    }
    for (const who of ['admin', 'customer_manager', 'analyst'] as const) {
      const csv = (await exported(org.ctx[who], 'csv')).toString('utf8').replace(/^\uFEFF/, '');
      expect(csv.split('\r\n').length).toBeGreaterThan(1);
      expect(csv).toBe(await csvFromXlsx(await exported(org.ctx[who], 'xlsx')));
    }
  });
});
