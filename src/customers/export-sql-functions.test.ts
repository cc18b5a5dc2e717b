// The CSV export is formatted in SQL (drizzle/0007): each SQL function must give exactly what its
// TypeScript twin gives, on both databases, for ordinary and hostile input alike.
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { rows } from '../db/open.ts';
import { describeDb } from '../db/test-harness.ts';
import { csvCell } from './export-customers.ts';
import { maskEmail, maskPhone } from './model/masking.ts';
import { mulberry32 } from '../platform/mulberry32.ts';

const alphabet = ['0', '1', '5', '9', '8', '6', '+', '-', '=', '@', '"', ',', '\r', '\n', ' ', 'a', 'Z', '王', '\t', "'", ';', '.', '(', ')', '*', '１'];

function randomStrings(n: number, seed: number): string[] {
  const rnd = mulberry32(seed);
  return Array.from({ length: n }, () => {
    const len = Math.floor(rnd() * 16);
    let s = '';
    for (let i = 0; i < len; i++) s += alphabet[Math.floor(rnd() * alphabet.length)];
    return s;
  });
}

const phones = [
  '13812341234', '+86 138 1234 1234', '8613812341234', '(021) 6123-4567', '0755-86013388', '+852 9123 4567', '1234567', '12345', '1234',
  '123', '', '+1 (415) 555-0100', '１３８１２３４１２３４', '86-1381234123', '008613812341234',
];
const emails = ['zhang.san@example.com', 'a@b.cn', '@nobody', 'noat', '', 'x@', 'ab@c', '王小明@例子.中国', 'first.last+tag@sub.example.org'];
const cells = [
  '=SUM(A1:A2)', '+86 138', '-5', '-x', '+', '-', '@home', 'a,b', 'say "hi"', 'line\nbreak', 'cr\rhere', '', '普通文本', "'quoted", '+8613812341234', '=1+1,"x"',
];

async function twin(db: Parameters<typeof rows>[0], fn: string, inputs: string[]): Promise<string[]> {
  const out = await rows<{ v: string }>(db, sql`SELECT ${sql.raw(fn)}(x) AS v FROM unnest(${sql.param(inputs)}::text[]) WITH ORDINALITY AS t(x, i) ORDER BY i`);
  return out.map((r) => r.v);
}

describeDb('export SQL functions', (get) => {
  it('kefu_mask_phone masks exactly as maskPhone', async () => {
    const inputs = [...phones, ...randomStrings(400, 1)];
    expect(await twin(get().db, 'kefu_mask_phone', inputs)).toEqual(inputs.map(maskPhone));
  });
  it('kefu_mask_email masks exactly as maskEmail', async () => {
    const inputs = [...emails, ...randomStrings(200, 2).map((s, i) => (i % 2 ? `${s}@x.cn` : s))];
    expect(await twin(get().db, 'kefu_mask_email', inputs)).toEqual(inputs.map(maskEmail));
  });
  it('kefu_csv_cell escapes exactly as csvCell (quotes, separators, line breaks, formula injection)', async () => {
    const inputs = [...cells, ...randomStrings(600, 3)];
    expect(await twin(get().db, 'kefu_csv_cell', inputs)).toEqual(inputs.map(csvCell));
    const [nul] = await rows<{ v: string }>(get().db, sql`SELECT kefu_csv_cell(NULL) AS v`);
    expect(nul.v).toBe('');
  });
});
