import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clvFromTransactions, paretoFromTransactions } from './analyze-transactions.ts';
import { ModelFitError } from './model/index.ts';
import { sharedDataFile } from './test-data.ts';
import { paretoCurve, parseDay, readTransactions, summarize, TransactionFileError } from './transactions.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-analytics-tx-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
function file(name: string, text: string): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
}

describe('transaction files', () => {
  it('CDNOW sample layout: customer id is the second column; same-day purchases are one transaction; weeks are days/7', async () => {
    const f = file('sample.txt', [' 00004 0001 19970101  2   29.33', ' 00004 0001 19970101  1   10.00', ' 00004 0001 19970118  2   29.73', ' 00004 0001 19971002  1   14.96', ' 00018 0002 19970102  1   11.77', ''].join('\n'));
    const tr = await readTransactions(f, 'cdnow');
    const c1 = tr.find((c) => c.id === '0001');
    expect(c1?.days.length).toBe(3);
    expect(c1?.amounts[0]).toBeCloseTo(39.33, 10);
    const s = summarize(tr, parseDay('1997-09-30') ?? 0);
    const s1 = s.find((c) => c.id === '0001');
    expect(s1).toMatchObject({ x: 1, tx: 17 / 7, T: 272 / 7, mx: 29.73 });
    expect(s.find((c) => c.id === '0002')).toMatchObject({ x: 0, tx: 0, T: 271 / 7, mx: 0 });
  });

  it('CDNOW master layout (header, 4 columns) and the real files: 2,357 / 23,570 customers, calibration T = 38.86 weeks for 1 Jan buyers', async () => {
    const f = file('master.txt', ' customer_id  date number_of_cds  dollar_value\n 00001 19970101  1   11.77\n 00001 19970301  1   5.00\n');
    const tr = await readTransactions(f, 'cdnow');
    expect(tr).toEqual([{ id: '00001', days: [parseDay('1997-01-01'), parseDay('1997-03-01')], amounts: [11.77, 5] }]);
    const sample = summarize(await readTransactions(sharedDataFile('cdnow_sample.txt'), 'cdnow'), parseDay('1997-09-30') ?? 0);
    expect(sample.length).toBe(2357);
    expect(Math.max(...sample.map((c) => c.T))).toBeCloseTo(38.857, 3);
    const master = await readTransactions(sharedDataFile('cdnow_master.txt'), 'cdnow');
    expect(master.length).toBe(23570);
  });

  it('CSV customer_id,date,amount with a header (any column order, quoted fields, ISO timestamps)', async () => {
    const f = file('t.csv', 'amount,customer_id,date\n10,"A,1",2024-01-01\n5.5,"A,1",2024-01-01T18:00:00Z\n7,B,20240108\n3,"A,1",2024-01-15\n');
    const tr = await readTransactions(f, 'csv');
    const s = summarize(tr, parseDay('2024-01-29') ?? 0);
    expect(s.find((c) => c.id === 'A,1')).toMatchObject({ x: 1, tx: 2, T: 4, mx: 3, calibrationValue: 18.5 });
    expect(s.find((c) => c.id === 'B')).toMatchObject({ x: 0, T: 3 });
  });

  it('bad files are errors with the line number', async () => {
    await expect(readTransactions(file('h.csv', 'id,day,value\n1,2024-01-01,3\n'), 'csv')).rejects.toThrow(/customer_id, date, amount/);
    await expect(readTransactions(file('d.csv', 'customer_id,date,amount\n1,2024-02-30,3\n'), 'csv')).rejects.toThrow(/line 2: not a date/);
    await expect(readTransactions(file('a.csv', 'customer_id,date,amount\n1,2024-02-03,abc\n'), 'csv')).rejects.toThrow(/line 2: not an amount/);
    await expect(readTransactions(file('e.csv', 'customer_id,date,amount\n'), 'csv')).rejects.toThrow(TransactionFileError);
    await expect(readTransactions(file('c.txt', ' 1 2 3\n'), 'cdnow')).rejects.toThrow(/line 1: expected 5 columns/);
    await expect(readTransactions(path.join(dir, 'missing.txt'), 'cdnow')).rejects.toThrow(/cannot read/);
  });
});

describe('Pareto curve', () => {
  it('top 20% share by hand: 10 customers, one bringing half the revenue', () => {
    const amounts = [50, 10, 10, 5, 5, 5, 5, 4, 3, 3];
    const curve = paretoCurve(amounts.map((a, i) => ({ id: String(i), days: [0], amounts: [a] })), 10);
    expect(curve.revenue).toBe(100);
    expect(curve.topShare).toBeCloseTo(0.6, 12); // 50 + 10 out of 100
    expect(curve.curve[1]).toEqual({ customerShare: 0.1, revenueShare: 0.5 });
    expect(curve.curve[10].revenueShare).toBeCloseTo(1, 12);
    // between customers the curve is linear: the top 15% (1.5 customers) bring 50 + 5
    expect(paretoCurve(amounts.map((a, i) => ({ id: String(i), days: [0], amounts: [a] })), 20).curve[3].revenueShare).toBeCloseTo(0.55, 12);
  });

  it('CDNOW master: the curve rises and ends at 1', async () => {
    const p = await paretoFromTransactions(sharedDataFile('cdnow_master.txt'), 'cdnow');
    expect(p.curve.length).toBe(101);
    expect(p.topShare).toBeGreaterThan(0.5);
    for (let i = 1; i < p.curve.length; i++) expect(p.curve[i].revenueShare).toBeGreaterThanOrEqual(p.curve[i - 1].revenueShare);
    expect(p.curve[100].revenueShare).toBeCloseTo(1, 12);
  });
});

describe('clvFromTransactions', () => {
  it('no repeat buyers in the calibration period is a typed error', async () => {
    const f = file('once.csv', 'customer_id,date,amount\n1,2024-01-01,3\n2,2024-01-02,4\n1,2024-03-01,5\n');
    await expect(clvFromTransactions({ file: f, format: 'csv', calibrationEndDay: parseDay('2024-02-01') ?? 0, model: 'bgnbd' })).rejects.toSatisfy(
      (e: unknown) => e instanceof ModelFitError && e.code === 'no_repeat_buyers',
    );
    await expect(clvFromTransactions({ file: f, format: 'csv', calibrationEndDay: parseDay('2023-01-01') ?? 0, model: 'bgnbd' })).rejects.toSatisfy(
      (e: unknown) => e instanceof ModelFitError && e.code === 'no_data',
    );
    await expect(
      clvFromTransactions({ file: f, format: 'csv', calibrationEndDay: parseDay('2024-02-01') ?? 0, model: 'gamma-gamma', predictCustomer: '9' }),
    ).rejects.toThrow(/not in the file/);
  });
});
