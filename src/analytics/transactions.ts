// Transaction files for the customer-value models: read line by line (streamed), one customer's purchases on one day
// are one transaction (amounts summed), then per-customer repeat summaries in weeks for a calibration end date.
// Formats:
// - cdnow: Fader & Hardie's CDNOW files. The 1/10 sample (5 whitespace-separated columns, no header: master id,
//   sample id, YYYYMMDD, CDs, dollars; the customer id is the SECOND column) and the master file (header line
//   `customer_id date number_of_cds dollar_value`, then 4 columns).
// - csv: header `customer_id,date,amount` (any column order; date YYYY-MM-DD, YYYYMMDD or an ISO timestamp: its date).
// Time: days/7 (as in Fader, Hardie & Lee 2005, whose CDNOW calibration period ending 1997-09-30 is 39 weeks),
// T = (calibration end − first purchase)/7, tx = (last calibration purchase − first purchase)/7,
// x = calibration purchase days − 1; mx = mean value of the repeat (non-first) calibration transactions.
import fs from 'node:fs';
import readline from 'node:readline';
import { parse } from 'csv-parse';

export type TransactionFormat = 'cdnow' | 'csv';

export class TransactionFileError extends Error {
  readonly line: number | null;
  constructor(message: string, line: number | null = null) {
    super(line === null ? message : `line ${line}: ${message}`);
    this.name = 'TransactionFileError';
    this.line = line;
  }
}

/** One customer's transactions: day numbers (days since 1970-01-01, UTC) ascending, and the amount of each. */
export interface CustomerTransactions {
  id: string;
  days: number[];
  amounts: number[];
}

export interface CustomerSummary {
  id: string;
  x: number;
  tx: number;
  T: number;
  /** Mean value of the repeat calibration transactions (0 when x = 0). */
  mx: number;
  /** Value of all calibration transactions. */
  calibrationValue: number;
}

const DAY_MS = 86_400_000;

/** YYYY-MM-DD, YYYYMMDD or an ISO timestamp → UTC day number; null when not a real date. */
export function parseDay(s: string): number | null {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})(?:$|[T ])/.exec(s.trim());
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return ms / DAY_MS;
}

export function formatDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

type Sink = (id: string, day: number, amount: number, line: number) => void;

async function readCdnow(file: string, sink: Sink): Promise<void> {
  const rl = readline.createInterface({ input: fs.createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let lineNo = 0;
  let layout: 'sample' | 'master' | null = null;
  for await (const raw of rl) {
    lineNo++;
    const line = raw.trim();
    if (line === '') continue;
    const cols = line.split(/\s+/);
    if (layout === null) {
      if (/^customer_id$/i.test(cols[0])) {
        layout = 'master';
        continue;
      }
      if (cols.length === 5) layout = 'sample';
      else if (cols.length === 4) layout = 'master';
      else throw new TransactionFileError(`expected 5 columns (CDNOW sample) or 4 (master), found ${cols.length}`, lineNo);
    }
    const want = layout === 'sample' ? 5 : 4;
    if (cols.length !== want) throw new TransactionFileError(`expected ${want} columns, found ${cols.length}`, lineNo);
    const id = layout === 'sample' ? cols[1] : cols[0];
    const day = parseDay(layout === 'sample' ? cols[2] : cols[1]);
    const amount = Number(layout === 'sample' ? cols[4] : cols[3]);
    if (day === null) throw new TransactionFileError(`not a date: ${layout === 'sample' ? cols[2] : cols[1]}`, lineNo);
    if (!Number.isFinite(amount)) throw new TransactionFileError(`not an amount: ${layout === 'sample' ? cols[4] : cols[3]}`, lineNo);
    sink(id, day, amount, lineNo);
  }
  if (layout === null) throw new TransactionFileError('the file has no transactions');
}

async function readCsv(file: string, sink: Sink): Promise<void> {
  const parser = fs.createReadStream(file).pipe(parse({ bom: true, trim: true, skip_empty_lines: true, relax_column_count: false }));
  let header: string[] | null = null;
  let iId = -1;
  let iDate = -1;
  let iAmount = -1;
  let lineNo = 0;
  try {
    for await (const rec of parser as AsyncIterable<string[]>) {
      lineNo++;
      if (header === null) {
        header = rec.map((h) => h.toLowerCase());
        iId = header.indexOf('customer_id');
        iDate = header.indexOf('date');
        iAmount = header.indexOf('amount');
        if (iId < 0 || iDate < 0 || iAmount < 0) {
          throw new TransactionFileError('the header must name the columns customer_id, date, amount', 1);
        }
        continue;
      }
      const id = rec[iId];
      if (!id) throw new TransactionFileError('empty customer_id', lineNo);
      const day = parseDay(rec[iDate] ?? '');
      if (day === null) throw new TransactionFileError(`not a date: ${rec[iDate]}`, lineNo);
      const amount = Number(rec[iAmount]);
      if (rec[iAmount] === '' || !Number.isFinite(amount)) throw new TransactionFileError(`not an amount: ${rec[iAmount]}`, lineNo);
      sink(id, day, amount, lineNo);
    }
  } catch (err) {
    if (err instanceof TransactionFileError) throw err;
    throw new TransactionFileError(`CSV: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (header === null) throw new TransactionFileError('the file is empty');
  if (lineNo <= 1) throw new TransactionFileError('the file has no transactions');
}

/** Read a transaction file into per-customer day-level transactions (same-day purchases summed). */
export async function readTransactions(file: string, format: TransactionFormat): Promise<CustomerTransactions[]> {
  try {
    await fs.promises.access(file, fs.constants.R_OK);
  } catch {
    throw new TransactionFileError(`cannot read ${file}`);
  }
  const byCustomer = new Map<string, Map<number, number>>();
  const sink: Sink = (id, day, amount) => {
    let m = byCustomer.get(id);
    if (!m) {
      m = new Map();
      byCustomer.set(id, m);
    }
    m.set(day, (m.get(day) ?? 0) + amount);
  };
  if (format === 'cdnow') await readCdnow(file, sink);
  else await readCsv(file, sink);
  const out: CustomerTransactions[] = [];
  for (const [id, m] of byCustomer) {
    const days = [...m.keys()].sort((a, b) => a - b);
    out.push({ id, days, amounts: days.map((d) => m.get(d) ?? 0) });
  }
  return out;
}

/** Repeat summaries (weeks) of the customers whose first purchase is on or before the calibration end day. */
export function summarize(customers: readonly CustomerTransactions[], calibrationEndDay: number): CustomerSummary[] {
  const out: CustomerSummary[] = [];
  for (const c of customers) {
    const first = c.days[0];
    if (first === undefined || first > calibrationEndDay) continue;
    let last = first;
    let n = 0;
    let total = 0;
    let repeatValue = 0;
    for (let i = 0; i < c.days.length && c.days[i] <= calibrationEndDay; i++) {
      last = c.days[i];
      total += c.amounts[i];
      if (i > 0) repeatValue += c.amounts[i];
      n++;
    }
    const x = n - 1;
    out.push({
      id: c.id,
      x,
      tx: (last - first) / 7,
      T: (calibrationEndDay - first) / 7,
      mx: x > 0 ? repeatValue / x : 0,
      calibrationValue: total,
    });
  }
  return out;
}

export interface ParetoCurve {
  customers: number;
  revenue: number;
  /** Share of revenue from the top 20% of customers by revenue. */
  topShare: number;
  /** Cumulative share of revenue against the share of customers (ranked by revenue, largest first). */
  curve: { customerShare: number; revenueShare: number }[];
}

/** Concentration of revenue (all transactions in the file), linear between customers. */
export function paretoCurve(customers: readonly CustomerTransactions[], points = 100): ParetoCurve {
  const totals = customers.map((c) => c.amounts.reduce((s, a) => s + a, 0)).sort((a, b) => b - a);
  const n = totals.length;
  const cum = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) cum[i + 1] = cum[i] + totals[i];
  const revenue = cum[n];
  const shareAt = (p: number): number => {
    if (n === 0 || revenue === 0) return 0;
    const k = p * n;
    const i = Math.min(Math.floor(k), n);
    const v = i >= n ? cum[n] : cum[i] + (k - i) * totals[i];
    return v / revenue;
  };
  const curve = [{ customerShare: 0, revenueShare: 0 }];
  for (let i = 1; i <= points; i++) curve.push({ customerShare: i / points, revenueShare: shareAt(i / points) });
  return { customers: n, revenue, topShare: shareAt(0.2), curve };
}
