// The demo's WFM data: `days` days (default 42) of 15-minute call volumes and handle times for the front-line
// queue's series up to yesterday (local), generated set-based in SQL (intraday double peak, weekday pattern,
// Poisson-like noise from a hash of the seed, so reruns give the same numbers), and a few shift templates
// including the humane ones ('happy_hour' evening peak, 'family' school hours). Idempotent.
import { and, eq, sql } from 'drizzle-orm';
import { rows } from '../../db/open.ts';
import { createAgent } from '../../contact-center/agents.ts';
import { assertCan, type Ctx } from '../../platform/context.ts';
import { orgTimeZone } from '../history.ts';
import { createShiftTemplate } from '../shift-templates.ts';
import type { CreateShiftTemplateInput } from '../schemas.ts';
import { wfmShiftTemplates } from '../tables.ts';

export const DEMO_TEMPLATES: CreateShiftTemplateInput[] = [
  { name: '早班', kind: 'standard', lengthMinutes: 480, cost: 8, startMinutes: [480, 510, 540, 600], breakRule: { earliestMinute: 180, latestMinute: 300, lengthMinutes: 30 } },
  { name: '中班', kind: 'standard', lengthMinutes: 480, cost: 8, startMinutes: [690, 720, 780, 840], breakRule: { earliestMinute: 180, latestMinute: 300, lengthMinutes: 30 } },
  { name: '快乐时光', kind: 'happy_hour', lengthMinutes: 240, cost: 4.4, startMinutes: [1020, 1080] },
  { name: '家庭班', kind: 'family', lengthMinutes: 300, cost: 5.3, startMinutes: [540, 570] },
];

const EXTRA_NAMES = ['周敏', '吴刚', '郑爽', '王芳', '李娜', '张伟', '刘洋', '陈静', '杨帆', '赵蕾', '黄磊', '孙悦', '朱琳', '胡军', '林楠', '高翔', '何欢', '梁静', '谢婷', '徐亮'];

/**
 * `minAgents`: the demo's front line needs about two dozen people for a week at `peakPer15Min` 20; contact-center
 * agents are added through the contact center's own use case (extensions 9001…) until that many are active,
 * holding the skill of the queue whose key is the series (when there is one).
 */
export async function seedDemoWfm(ctx: Ctx, opts: { series?: string; days?: number; seed?: string; peakPer15Min?: number; minAgents?: number } = {}): Promise<{ intervals: number; templates: number; agentsAdded: number }> {
  assertCan(ctx.actor, 'wfm.plan');
  const orgId = ctx.actor.orgId;
  const series = opts.series ?? 'front';
  const days = opts.days ?? 42;
  const seed = opts.seed ?? 'kefu';
  const peak = opts.peakPer15Min ?? 20;
  const tz = await orgTimeZone(ctx.db, orgId);
  const today = ctx.now().toISOString();
  const res = (await ctx.db.execute(sql`
    WITH g AS (
      SELECT d::date AS day, s AS slot,
             EXTRACT(ISODOW FROM d)::int AS dow,
             ('x' || substr(md5(${seed} || d::date::text || s), 1, 8))::bit(32)::bigint / 4294967296.0 AS u1,
             ('x' || substr(md5(${seed} || s || d::date::text), 9, 8))::bit(32)::bigint / 4294967296.0 AS u2
      FROM generate_series((${today}::timestamptz AT TIME ZONE ${tz})::date - ${days}::int, (${today}::timestamptz AT TIME ZONE ${tz})::date - 1, interval '1 day') AS d,
           generate_series(32, 87) AS s
    ), m AS (
      SELECT day, slot, u1, u2,
             ${peak}::float8 * (0.25 + 0.85 * exp(-power((slot - 41) / 5.0, 2)) + 0.7 * exp(-power((slot - 60) / 6.0, 2)) + 0.35 * exp(-power((slot - 80) / 4.0, 2)))
             * (CASE dow WHEN 1 THEN 1.18 WHEN 2 THEN 1.06 WHEN 3 THEN 1.0 WHEN 4 THEN 0.98 WHEN 5 THEN 1.04 WHEN 6 THEN 0.72 ELSE 0.62 END)
             * (CASE WHEN EXTRACT(DAY FROM day + 1) = 1 THEN 1.25 ELSE 1 END) AS mean
      FROM g
    ), v AS (
      SELECT day, slot, GREATEST(0, round(mean + sqrt(mean) * sqrt(-2 * ln(GREATEST(u1, 1e-9))) * cos(2 * pi() * u2)))::int AS calls,
             220 + 30 * sin(slot / 9.0) AS aht
      FROM m
    ), ins AS (
      INSERT INTO wfm_interval_history (org_id, series, interval_start, interval_minutes, calls, handle_seconds)
      SELECT ${orgId}, ${series}, (day::timestamp + make_interval(mins => slot * 15)) AT TIME ZONE ${tz}, 15, calls, calls * aht FROM v
      ON CONFLICT (org_id, series, interval_start) DO NOTHING RETURNING 1
    ) SELECT COUNT(*)::int AS n FROM ins`)) as unknown as { rows: { n: number }[] };
  let templates = 0;
  for (const tpl of DEMO_TEMPLATES) {
    const [exists] = await ctx.db.select({ id: wfmShiftTemplates.id }).from(wfmShiftTemplates).where(and(eq(wfmShiftTemplates.orgId, orgId), eq(wfmShiftTemplates.name, tpl.name)));
    if (exists) continue;
    await createShiftTemplate(ctx, tpl);
    templates++;
  }
  let agentsAdded = 0;
  const want = opts.minAgents ?? 24;
  const [have] = await rows<{ n: number }>(ctx.db, sql`SELECT COUNT(*)::int AS n FROM cc_agents WHERE org_id = ${orgId} AND active`);
  const start = Number(have?.n ?? 0);
  // The planner rosters by skill (roster-demand.ts): agents added for the front line hold its queue's skill.
  const [queue] = await rows<{ skill_id: string | null }>(ctx.db, sql`SELECT skill_id FROM cc_queues WHERE org_id = ${orgId} AND key = ${series}`);
  const skills = queue?.skill_id ? [{ skillId: queue.skill_id, proficiency: 3 }] : [];
  for (let i = start; i < want; i++) {
    const k = i - start;
    const ext = `9${String(i + 1).padStart(3, '0')}`;
    const [taken] = await rows<{ one: number }>(ctx.db, sql`SELECT 1 AS one FROM cc_agents WHERE org_id = ${orgId} AND extension = ${ext}`);
    if (taken) continue;
    await createAgent(ctx, { extension: ext, name: EXTRA_NAMES[k % EXTRA_NAMES.length] + (k >= EXTRA_NAMES.length ? String(Math.floor(k / EXTRA_NAMES.length) + 1) : ''), skills });
    agentsAdded++;
  }
  return { intervals: Number(res.rows[0]?.n ?? 0), templates, agentsAdded };
}
