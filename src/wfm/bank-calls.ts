// Reader for interval arrival files. `bank-calls`: the Rdatasets/fpp3 `bank_calls` CSV
// (header `rownames,DateTime,Calls`, DateTime = ISO start of a 5-minute interval in local time).
import fs from 'node:fs';
import path from 'node:path';
import type { IntervalSeries } from './model/forecast.ts';

export type ArrivalFormat = 'bank-calls';

/** Parses the bank_calls CSV into days of equally many intervals (days with a different interval count are rejected). */
export function parseBankCalls(text: string): IntervalSeries {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines.shift()?.replace(/^\uFEFF/, '').split(',').map((s) => s.replace(/"/g, '').trim());
  const iTime = header?.indexOf('DateTime') ?? -1;
  const iCalls = header?.indexOf('Calls') ?? -1;
  if (iTime < 0 || iCalls < 0) throw new Error('bank-calls: expected a header with DateTime and Calls / 缺少 DateTime、Calls 列');
  const byDay = new Map<string, { minute: number; calls: number }[]>();
  for (const [n, line] of lines.entries()) {
    const cols = line.split(',').map((s) => s.replace(/"/g, '').trim());
    const t = cols[iTime];
    const calls = Number(cols[iCalls]);
    const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})/.exec(t ?? '');
    if (!m || !Number.isFinite(calls) || calls < 0) throw new Error(`bank-calls: line ${n + 2} is not "…,DateTime,Calls" / 第 ${n + 2} 行格式错误`);
    const day = byDay.get(m[1]) ?? [];
    day.push({ minute: Number(m[2]) * 60 + Number(m[3]), calls });
    byDay.set(m[1], day);
  }
  const dates = [...byDay.keys()].sort();
  if (!dates.length) throw new Error('bank-calls: no rows / 没有数据行');
  const first = byDay.get(dates[0])!.sort((a, b) => a.minute - b.minute);
  const intervalMinutes = first.length > 1 ? first[1].minute - first[0].minute : 5;
  const width = first.length;
  return {
    intervalMinutes,
    days: dates.map((date) => {
      const rows = byDay.get(date)!.sort((a, b) => a.minute - b.minute);
      if (rows.length !== width) throw new Error(`bank-calls: ${date} has ${rows.length} intervals, expected ${width} / ${date} 的时段数不一致`);
      return { date, values: rows.map((r) => r.calls) };
    }),
  };
}

export function readArrivals(file: string, format: ArrivalFormat): IntervalSeries {
  const text = fs.readFileSync(file, 'utf8');
  if (format === 'bank-calls') return parseBankCalls(text);
  throw new Error(`unknown format ${String(format)}`);
}

/** The shared data directory: $KEFU_SHARED_DATA, else <repo>/../shared/data, else /work/shared/data. */
export function sharedDataDir(repoRoot: string): string | undefined {
  const candidates = [process.env.KEFU_SHARED_DATA, path.join(repoRoot, '..', 'shared', 'data'), '/work/shared/data'];
  return candidates.find((d): d is string => !!d && fs.existsSync(d));
}
