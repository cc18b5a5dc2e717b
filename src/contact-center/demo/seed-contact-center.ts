// `kefu demo` and the first-start demo's contact center: five queues (front line and four specialist desks)
// with their skills, agents (the demo agent users first, then unlinked agents up to `agents`), a published
// IVR menu, and `days` days of calls up to now with the agents' state events, generated set-based in SQL
// (generate_series; deterministic for a seed on one PostgreSQL version), then pre-aggregated. Idempotent:
// what exists is kept, and calls carry ids `demo-<seed>-<n>` inserted with ON CONFLICT DO NOTHING.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { rows } from '../../db/open.ts';
import { assertCan, type Ctx } from '../../platform/context.ts';
import { teams, users } from '../../platform/tables.ts';
import { createAgent } from '../agents.ts';
import { aggregateRange } from '../aggregate-intervals.ts';
import { getCurrentIvr, publishIvr } from '../ivr.ts';
import { createQueue } from '../queues.ts';
import { createSkill } from '../skills.ts';
import { ccAgents, ccQueues, ccSkills, type QueueKind } from '../tables.ts';

export const seedDemoContactCenterInput = z.object({
  days: z.number().int().min(0).max(90).default(3),
  callsPerDay: z.number().int().min(0).max(200_000).default(400),
  agents: z.number().int().min(1).max(500).default(12),
  seed: z.union([z.string().min(1).max(100), z.number().int()]).default(1),
});

const QUEUES: { key: string; name: string; kind: QueueKind; skill: string; skillName: string; targetSeconds: number; share: number; tagPriorities?: Record<string, number> }[] = [
  { key: 'front', name: '综合服务', kind: 'front_line', skill: 'general', skillName: '综合业务', targetSeconds: 20, share: 0.6, tagPriorities: { vip: 10 } },
  { key: 'complaints', name: '投诉专席', kind: 'specialist', skill: 'complaints', skillName: '投诉处理', targetSeconds: 30, share: 0.1 },
  { key: 'key_accounts', name: '大客户专席', kind: 'specialist', skill: 'key_accounts', skillName: '大客户服务', targetSeconds: 15, share: 0.08, tagPriorities: { vip: 20 } },
  { key: 'data', name: '流量业务', kind: 'specialist', skill: 'data', skillName: '流量与套餐', targetSeconds: 20, share: 0.12 },
  { key: 'devices', name: '终端设备', kind: 'specialist', skill: 'devices', skillName: '终端设备', targetSeconds: 30, share: 0.1 },
];
const AGENT_NAMES = ['许静', '何磊', '郭佳怡', '马浩然', '罗晓梅', '梁宇', '宋文', '韩雪', '唐明', '冯丽', '曹阳', '彭飞', '董洁', '袁帅', '邓琳', '蒋涛'];

export interface SeedDemoContactCenterResult { queues: number; agents: number; ivrVersion: number; calls: number; stateEvents: number; ms: number }

export async function seedDemoContactCenter(ctx: Ctx, raw: z.input<typeof seedDemoContactCenterInput> = {}): Promise<SeedDemoContactCenterResult> {
  assertCan(ctx.actor, 'contact_center.manage');
  const input = seedDemoContactCenterInput.parse(raw);
  const started = Date.now();
  const orgId = ctx.actor.orgId;

  const skillIds = new Map((await ctx.db.select().from(ccSkills).where(eq(ccSkills.orgId, orgId))).map((s) => [s.key, s.id]));
  const queueIds = new Map((await ctx.db.select().from(ccQueues).where(eq(ccQueues.orgId, orgId))).map((q) => [q.key, q.id]));
  for (const q of QUEUES) {
    if (!skillIds.has(q.skill)) skillIds.set(q.skill, (await createSkill(ctx, { key: q.skill, name: q.skillName })).id);
    if (!queueIds.has(q.key)) {
      const made = await createQueue(ctx, { key: q.key, name: q.name, kind: q.kind, skillId: skillIds.get(q.skill), targetSeconds: q.targetSeconds, settings: q.tagPriorities ? { tagPriorities: q.tagPriorities } : {} });
      queueIds.set(q.key, made.id);
    }
  }
  const front = queueIds.get('front')!;
  if (!skillIds.size) throw new Error('no skills');

  // Agents: demo agent users first, then unlinked ones; front-line team for most, complaints desk for every fourth.
  const teamRows = await ctx.db.select({ id: teams.id, name: teams.name }).from(teams).where(and(eq(teams.orgId, orgId), inArray(teams.name, ['一线客服', '投诉专席'])));
  const frontTeam = teamRows.find((t) => t.name === '一线客服')?.id ?? null;
  const complaintsTeam = teamRows.find((t) => t.name === '投诉专席')?.id ?? null;
  const existing = await ctx.db.select().from(ccAgents).where(eq(ccAgents.orgId, orgId));
  const linked = new Set(existing.map((a) => a.userId).filter(Boolean));
  const extensions = new Set(existing.map((a) => a.extension));
  const agentUsers = (await ctx.db.select({ id: users.id, name: users.name }).from(users).where(and(eq(users.orgId, orgId), eq(users.role, 'agent'), eq(users.active, true))).orderBy(users.email))
    .filter((u) => !linked.has(u.id));
  let count = existing.length;
  for (let i = 0; count < input.agents; i++) {
    const extension = String(1001 + i);
    if (extensions.has(extension)) continue;
    const user = agentUsers.shift();
    const specialist = QUEUES[1 + (i % 4)];
    await createAgent(ctx, {
      extension, userId: user?.id ?? null, name: user?.name ?? AGENT_NAMES[i % AGENT_NAMES.length] + (i >= AGENT_NAMES.length ? String(Math.floor(i / AGENT_NAMES.length)) : ''),
      teamId: i % 4 === 3 ? complaintsTeam : frontTeam,
      skills: [{ skillId: skillIds.get('general')!, proficiency: 1 + ((i * 3) % 5) }, { skillId: skillIds.get(specialist.skill)!, proficiency: 3 + (i % 3) }],
    });
    count++;
  }

  let ivrVersion = (await getCurrentIvr(ctx))?.version ?? 0;
  if (ivrVersion === 0) {
    const published = await publishIvr(ctx, { baseVersion: 0, note: '演示菜单 / demo menu', tree: {
      root: 'main',
      nodes: [
        { id: 'main', prompt: { zh: '您好，欢迎致电。话费流量请按1，手机终端请按2，投诉请按3，大客户请按8，人工服务请按0。', en: 'Welcome. Bills and data 1, devices 2, complaints 3, key accounts 8, an agent 0.' },
          options: [
            { digit: '1', target: { type: 'menu', menu: 'data' } },
            { digit: '2', target: { type: 'queue', queue: 'devices' } },
            { digit: '3', target: { type: 'queue', queue: 'complaints' } },
            { digit: '8', target: { type: 'queue', queue: 'key_accounts' } },
            { digit: '0', target: { type: 'queue', queue: 'front' } },
          ] },
        { id: 'data', prompt: { zh: '流量套餐请按1，其他业务请按2，返回上级请按*。', en: 'Data plans 1, other services 2.' },
          options: [{ digit: '1', target: { type: 'queue', queue: 'data' } }, { digit: '2', target: { type: 'queue', queue: 'front' } }] },
      ],
    } });
    ivrVersion = published.version;
  }

  let calls = 0;
  let stateEvents = 0;
  if (input.days > 0 && input.callsPerDay > 0) {
    const now = ctx.now();
    const total = input.days * input.callsPerDay;
    const seedNum = typeof input.seed === 'number' ? input.seed : [...input.seed].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 1_000_003, 7);
    const queueTable = JSON.stringify(QUEUES.map((q, i) => ({ id: queueIds.get(q.key), upto: QUEUES.slice(0, i + 1).reduce((s, x) => s + x.share, 0) })));
    await ctx.db.transaction(async (tx) => {
      await tx.execute(sql`SELECT setseed(${(seedNum % 1000) / 1000})`);
      const [r] = await rows<{ calls: number; states: number }>(tx, sql`
        WITH tz AS (SELECT timezone AS tz FROM organizations WHERE id = ${orgId}),
        day0 AS (SELECT (date_trunc('day', ${now.toISOString()}::timestamptz AT TIME ZONE (SELECT tz FROM tz)) - make_interval(days => ${input.days - 1}::int)) AS d),
        qs AS (SELECT * FROM jsonb_to_recordset(${queueTable}::jsonb) AS x(id uuid, upto float8)),
        ag AS (SELECT id, team_id, row_number() OVER (ORDER BY extension) - 1 AS rn, count(*) OVER () AS n FROM cc_agents WHERE org_id = ${orgId} AND active),
        cu AS (SELECT id, phones[1] AS phone, row_number() OVER (ORDER BY id) - 1 AS rn, count(*) OVER () AS n FROM (
          SELECT id, phones FROM customers WHERE org_id = ${orgId} AND cardinality(phones) > 0 ORDER BY id LIMIT 20000) c),
        g AS (
          SELECT i, random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5, random() AS r6, random() AS r7
          FROM generate_series(0, ${total - 1}::int) i
        ), c AS (
          SELECT g.*,
            ((SELECT d FROM day0) + make_interval(days => (i / ${input.callsPerDay}::int)) + make_interval(secs => 8 * 3600 + 14 * 3600 * (r1 + r2) / 2))
              AT TIME ZONE (SELECT tz FROM tz) AS offered_at,
            COALESCE((SELECT id FROM qs WHERE qs.upto >= r3 ORDER BY upto LIMIT 1), ${front}::uuid) AS queue_id,
            -ln(1 - r4) * 25 AS wait, -ln(1 - r5) * 150 AS patience, 60 + -ln(1 - r6) * 180 AS talk, (15 + r7 * 30)::int AS acw
          FROM g
        ), calls AS (
          SELECT 'demo-' || ${String(input.seed)} || '-' || i AS call_id, c.offered_at, c.queue_id,
            c.wait >= c.patience AS abandoned, CASE WHEN c.wait < c.patience THEN c.offered_at + make_interval(secs => c.wait) END AS answered_at,
            CASE WHEN c.wait >= c.patience THEN c.offered_at + make_interval(secs => c.patience) END AS abandoned_at,
            c.offered_at + make_interval(secs => LEAST(c.wait, c.patience) + CASE WHEN c.wait < c.patience THEN c.talk ELSE 0 END) AS ended_at,
            CASE WHEN c.wait < c.patience THEN c.acw END AS acw, (c.r7 < 0.06 AND c.wait < c.patience) AS transferred,
            a.id AS agent_id, a.team_id, u.id AS customer_id, u.phone AS customer_phone
          FROM c LEFT JOIN ag a ON a.rn = c.i % a.n LEFT JOIN cu u ON c.r1 < 0.8 AND u.rn = (c.i::bigint * 7919) % u.n
          WHERE c.offered_at < ${now.toISOString()}::timestamptz - interval '10 minutes'
        ), ins AS (
          INSERT INTO cc_calls (id, org_id, call_id, offered_at, queue_id, queue_at, last_queue_id, last_queue_at, answered_at, agent_id, team_id, abandoned_at, ended_at,
            abandoned, transferred, acw_seconds, phone, customer_id, priority, updated_at)
          SELECT gen_random_uuid(), ${orgId}, call_id, offered_at, queue_id, offered_at, queue_id, offered_at, answered_at,
            CASE WHEN answered_at IS NOT NULL THEN agent_id END, CASE WHEN answered_at IS NOT NULL THEN team_id END,
            abandoned_at, ended_at, abandoned, transferred, acw, COALESCE(customer_phone, '139' || lpad((abs(hashtext(call_id)) % 100000000)::text, 8, '0')),
            customer_id, 0, ${now.toISOString()}::timestamptz
          FROM calls
          ON CONFLICT (org_id, call_id) DO NOTHING
          RETURNING agent_id, answered_at, ended_at, acw_seconds, offered_at
        ), st AS (
          INSERT INTO cc_agent_state_events (id, org_id, agent_id, state, reason, at, recorded_at)
          SELECT gen_random_uuid(), ${orgId}, agent_id, s.state, 'demo', s.at, ${now.toISOString()}::timestamptz
          FROM ins CROSS JOIN LATERAL (VALUES ('on_call', answered_at), ('after_call_work', ended_at), ('available', ended_at + make_interval(secs => acw_seconds))) AS s(state, at)
          WHERE agent_id IS NOT NULL AND s.at < ${now.toISOString()}::timestamptz
          RETURNING 1
        )
        SELECT (SELECT count(*) FROM ins)::int AS calls, (SELECT count(*) FROM st)::int AS states`);
      calls = r?.calls ?? 0;
      stateEvents = r?.states ?? 0;
    });
    if (calls > 0) await aggregateRange(ctx.db, orgId, new Date(now.getTime() - (input.days + 1) * 86_400_000), new Date(now.getTime() + 900_000), now);
  }
  return { queues: queueIds.size, agents: count, ivrVersion, calls, stateEvents, ms: Date.now() - started };
}
