// Interval history for forecasting: per local day and interval of the organization's time zone, summed in SQL,
// either from the contact center's per-interval queue table (`calls`, by queue key) or from imported/demo
// series (`history`). Also the import of a bank-calls CSV into the history table, set-based.
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../db/open.ts';
import { audit } from '../platform/audit.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { Invalid, fieldError } from '../platform/errors.ts';
import './messages.ts';
import { parseBankCalls } from './bank-calls.ts';
import type { IntervalSeries } from './model/forecast.ts';
import { importHistoryInput, type ImportHistoryInput, type SeriesOutput } from './schemas.ts';

export async function orgTimeZone(db: Db, orgId: string): Promise<string> {
  const [r] = await rows<{ tz: string }>(db, sql`SELECT timezone AS tz FROM organizations WHERE id = ${orgId}`);
  return r?.tz ?? 'Asia/Shanghai';
}

export interface LoadedSeries { calls: IntervalSeries; ahtSeconds: IntervalSeries }

/** Calls and AHT per local day × interval; days without any row are left out (closed days). */
export async function loadSeries(ctx: Ctx, series: string, source: 'calls' | 'history', intervalMinutes: number): Promise<LoadedSeries> {
  const orgId = ctx.actor.orgId;
  const tz = await orgTimeZone(ctx.db, orgId);
  const im = intervalMinutes;
  const raw = source === 'history'
    ? sql`SELECT interval_start AS at, calls::float8 AS calls, COALESCE(handle_seconds, 0)::float8 AS hs, calls::float8 AS handled, interval_minutes AS im
          FROM wfm_interval_history WHERE org_id = ${orgId} AND series = ${series}`
    : sql`SELECT qi.interval_start AS at, qi.offered::float8 AS calls, qi.handle_seconds::float8 AS hs, qi.handled::float8 AS handled, 15 AS im
          FROM cc_queue_intervals qi JOIN cc_queues q ON q.id = qi.queue_id AND q.org_id = qi.org_id
          WHERE qi.org_id = ${orgId} AND q.key = ${series}`;
  const found = await rows<{ d: string; slot: number; calls: number; hs: number; handled: number; coarsest: number }>(ctx.db, sql`
    WITH r AS (${raw})
    SELECT to_char(at AT TIME ZONE ${tz}, 'YYYY-MM-DD') AS d,
           (EXTRACT(EPOCH FROM (at AT TIME ZONE ${tz})::time)::int / 60 / ${im}::int)::int AS slot,
           SUM(calls)::float8 AS calls, SUM(hs)::float8 AS hs, SUM(handled)::float8 AS handled, MAX(im)::int AS coarsest
    FROM r GROUP BY 1, 2 ORDER BY 1, 2`);
  if (found.some((r) => Number(r.coarsest) > im || im % Number(r.coarsest) !== 0)) {
    throw new Invalid([fieldError('intervalMinutes', 'too_fine', 'wfm.no_history', { days: 14 })]);
  }
  const width = 1440 / im;
  const days = new Map<string, { calls: number[]; hs: number[]; handled: number[] }>();
  for (const r of found) {
    let day = days.get(r.d);
    if (!day) {
      day = { calls: new Array<number>(width).fill(0), hs: new Array<number>(width).fill(0), handled: new Array<number>(width).fill(0) };
      days.set(r.d, day);
    }
    const s = Number(r.slot);
    day.calls[s] += Number(r.calls);
    day.hs[s] += Number(r.hs);
    day.handled[s] += Number(r.handled);
  }
  const dates = [...days.keys()].sort();
  return {
    calls: { intervalMinutes: im, days: dates.map((date) => ({ date, values: days.get(date)!.calls })) },
    ahtSeconds: {
      intervalMinutes: im,
      days: dates.map((date) => {
        const d = days.get(date)!;
        return { date, values: d.hs.map((h, j) => (d.handled[j] > 0 ? h / d.handled[j] : 0)) };
      }),
    },
  };
}

/** The series an organization can forecast: imported ones and the contact center's queues with interval data. */
export async function listSeries(ctx: Ctx): Promise<SeriesOutput[]> {
  assertCan(ctx.actor, 'wfm.read');
  const orgId = ctx.actor.orgId;
  const tz = await orgTimeZone(ctx.db, orgId);
  const found = await rows<{ series: string; source: 'calls' | 'history'; days: number; first: string | null; last: string | null; im: number }>(ctx.db, sql`
    SELECT series, 'history' AS source, COUNT(DISTINCT (interval_start AT TIME ZONE ${tz})::date)::int AS days,
           to_char(MIN(interval_start AT TIME ZONE ${tz}), 'YYYY-MM-DD') AS first, to_char(MAX(interval_start AT TIME ZONE ${tz}), 'YYYY-MM-DD') AS last, MAX(interval_minutes)::int AS im
    FROM wfm_interval_history WHERE org_id = ${orgId} GROUP BY series
    UNION ALL
    SELECT q.key, 'calls', COUNT(DISTINCT (qi.interval_start AT TIME ZONE ${tz})::date)::int,
           to_char(MIN(qi.interval_start AT TIME ZONE ${tz}), 'YYYY-MM-DD'), to_char(MAX(qi.interval_start AT TIME ZONE ${tz}), 'YYYY-MM-DD'), 15
    FROM cc_queue_intervals qi JOIN cc_queues q ON q.id = qi.queue_id AND q.org_id = qi.org_id WHERE qi.org_id = ${orgId} GROUP BY q.key
    ORDER BY 1, 2`);
  return found.map((r) => ({ series: r.series, source: r.source, days: Number(r.days), firstDate: r.first, lastDate: r.last, intervalMinutes: Number(r.im) }));
}

/** Imports a bank-calls CSV (local times of the organization) as a history series, replacing the series' overlapping intervals. */
export async function importHistory(ctx: Ctx, raw: ImportHistoryInput): Promise<{ series: string; days: number; intervals: number }> {
  assertCan(ctx.actor, 'wfm.plan');
  const input = importHistoryInput.parse(raw);
  let parsed: IntervalSeries;
  try {
    parsed = parseBankCalls(input.content);
  } catch (err) {
    throw new Invalid([fieldError('content', 'bad_csv', 'wfm.bad_csv', { message: (err as Error).message })]);
  }
  const orgId = ctx.actor.orgId;
  const tz = await orgTimeZone(ctx.db, orgId);
  const im = parsed.intervalMinutes;
  // The parser keeps each day's intervals in order from the day's first one: find that one's time of day.
  const firstTime = /\d{4}-\d{2}-\d{2}[T ](\d{2}):(\d{2})/.exec(input.content.split(/\r?\n/, 3)[1] ?? '');
  const firstSlot = firstTime ? Math.floor((Number(firstTime[1]) * 60 + Number(firstTime[2])) / im) : 0;
  const dates = parsed.days.map((d) => d.date);
  const values = parsed.days.map((d) => d.values);
  return ctx.db.transaction(async (tx) => {
    // One statement: the grid goes in as JSON and is unnested by PostgreSQL.
    const [r] = await rows<{ n: number }>(tx, sql`
      WITH g AS (
        SELECT d.date::date AS date, (v.ord - 1 + ${firstSlot}::int)::int AS slot, v.calls::int AS calls
        FROM jsonb_array_elements_text(${JSON.stringify(dates)}::jsonb) WITH ORDINALITY AS d(date, i)
        CROSS JOIN LATERAL jsonb_array_elements_text((${JSON.stringify(values)}::jsonb) -> (d.i::int - 1)) WITH ORDINALITY AS v(calls, ord)
      ), ins AS (
        INSERT INTO wfm_interval_history (org_id, series, interval_start, interval_minutes, calls, handle_seconds)
        SELECT ${orgId}, ${input.series}, ((date + make_interval(mins => slot * ${im}::int)) AT TIME ZONE ${tz}), ${im}, calls, calls * ${input.ahtSeconds}::float8 FROM g
        ON CONFLICT (org_id, series, interval_start) DO UPDATE SET calls = EXCLUDED.calls, handle_seconds = EXCLUDED.handle_seconds, interval_minutes = EXCLUDED.interval_minutes
        RETURNING 1
      ) SELECT COUNT(*)::int AS n FROM ins`);
    await audit(ctx, { action: 'wfm_history.import', entityType: 'wfm_history', entityId: null, data: { series: input.series, days: dates.length, intervalMinutes: im } }, tx);
    return { series: input.series, days: dates.length, intervals: Number(r.n) };
  });
}
