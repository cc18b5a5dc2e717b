// `kefu demo --service-orders N` and the first-start demo's service desk: N deterministic service orders over the
// organization's customers and the last 90 days, with their events and callbacks, streamed in batches (one
// transaction per batch: numbers, orders, events, callbacks). Needs customers; creates two SLA policies when the
// organization has none (business hours for most orders, 24×7 for urgent ones), so due times and breaches show.
import { and, asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { rows } from '../../db/open.ts';
import { audit } from '../../platform/audit.ts';
import { assertCan, type Ctx } from '../../platform/context.ts';
import { Invalid, fieldError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { teams, users } from '../../platform/tables.ts';
import { demoAnchor } from '../../customers/demo/seed-demo.ts';
import { getBusinessCalendar } from '../calendar/get-business-calendar.ts';
import { ALWAYS_OPEN } from '../model/business-calendar.ts';
import { loadServiceSettings } from '../service-settings.ts';
import { createSlaPolicy } from '../sla-policies.ts';
import { slaPolicies } from '../tables.ts';
import { ServiceOrderDemoGenerator, type DemoPolicy, type DemoServiceOrder } from './model/generate-service-orders.ts';

export const seedDemoServiceOrdersInput = z.object({
  serviceOrders: z.number().int().min(0).max(5_000_000),
  seed: z.union([z.string().min(1).max(100), z.number().int()]).default(1),
  days: z.number().int().min(1).max(365).default(90),
  batchSize: z.number().int().min(1).max(20_000).default(2_000),
});
export type SeedDemoServiceOrdersInput = z.input<typeof seedDemoServiceOrdersInput>;

export interface SeedDemoServiceOrdersResult {
  serviceOrders: number;
  events: number;
  callbacks: number;
  ms: number;
}

const DEMO_POLICIES = [
  { name: '标准服务（工作时间）', firstResponseMinutes: 120, resolutionMinutes: 1620, calendar: 'business' as const, atRiskPercent: 80, rank: 100 },
  { name: '紧急（7×24）', priorities: ['urgent' as const], firstResponseMinutes: 30, resolutionMinutes: 480, calendar: '24x7' as const, atRiskPercent: 75, rank: 10 },
];

function utcOffsetMinutes(timezone: string, at: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: timezone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' })
    .formatToParts(at)
    .reduce<Record<string, number>>((acc, p) => (p.type === 'literal' ? acc : { ...acc, [p.type]: Number(p.value) }), {});
  const local = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute);
  return Math.round((local - Math.floor(at.getTime() / 60_000) * 60_000) / 60_000);
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function orderJson(o: DemoServiceOrder, number: string, customerId: string): Record<string, unknown> {
  return {
    id: o.id, number, type: o.type, customer_id: customerId, channel: o.channel, priority: o.priority, title: o.title,
    description: o.description, assignee_user_id: o.assigneeUserId, assignee_team_id: o.assigneeTeamId, status: o.status,
    sla_policy_id: o.slaPolicyId, first_response_due_at: iso(o.firstResponseDueAt), first_response_at_risk_at: iso(o.firstResponseAtRiskAt),
    resolution_due_at: iso(o.resolutionDueAt), resolution_at_risk_at: iso(o.resolutionAtRiskAt), first_responded_at: iso(o.firstRespondedAt),
    resolved_at: iso(o.resolvedAt), closed_at: iso(o.closedAt), first_response_sla_state: o.firstResponseSlaState,
    resolution_sla_state: o.resolutionSlaState, sla_state: o.slaState, next_due_at: iso(o.nextDueAt), paused_since: iso(o.pausedSince),
    paused_minutes: o.pausedMinutes, pauses: o.pauses, resolution: o.resolution, first_contact_resolved: o.firstContactResolved,
    customer_confirmed: o.customerConfirmed, satisfaction: o.satisfaction, severity: o.severity, root_cause: o.rootCause,
    compensation_minor: o.compensationMinor, compensation_currency: o.compensationCurrency, created_at: iso(o.createdAt), updated_at: iso(o.updatedAt),
  };
}

export async function seedDemoServiceOrders(
  ctx: Ctx,
  raw: SeedDemoServiceOrdersInput,
  opts: { onProgress?: (done: number, total: number) => void } = {},
): Promise<SeedDemoServiceOrdersResult> {
  assertCan(ctx.actor, 'service.write');
  assertCan(ctx.actor, 'service.manage');
  const input = seedDemoServiceOrdersInput.parse(raw);
  const started = performance.now();
  const orgId = ctx.actor.orgId;
  const [{ n: customerCount }] = await rows<{ n: number }>(ctx.db, sql`SELECT count(*)::int AS n FROM customers WHERE org_id = ${orgId}`);
  if (input.serviceOrders > 0 && customerCount === 0) {
    throw new Invalid([fieldError('serviceOrders', 'no_customers', 'field.service.no_customers')]);
  }

  // Policies: the organization's, else the two demo ones.
  let policies = await ctx.db.select().from(slaPolicies).where(and(eq(slaPolicies.orgId, orgId), eq(slaPolicies.active, true)));
  if (!policies.length && input.serviceOrders > 0) {
    for (const p of DEMO_POLICIES) await createSlaPolicy(ctx, p);
    policies = await ctx.db.select().from(slaPolicies).where(and(eq(slaPolicies.orgId, orgId), eq(slaPolicies.active, true)));
  }
  const anchor = demoAnchor(ctx.now());
  const since = new Date(anchor.getTime() - input.days * 86_400_000);
  const demoPolicies: DemoPolicy[] = [];
  for (const p of policies) {
    const calendar = p.calendar === '24x7' ? ALWAYS_OPEN : await getBusinessCalendar(ctx, { calendarId: p.calendarId, since });
    demoPolicies.push({ ...p, calendar });
  }
  const businessCal = await getBusinessCalendar(ctx, {});
  const agents = (await ctx.db.select({ id: users.id }).from(users)
    .where(and(eq(users.orgId, orgId), eq(users.active, true), eq(users.role, 'agent'))).orderBy(asc(sql`lower(${users.email})`))).map((u) => u.id);
  const settings = await loadServiceSettings(ctx.db, orgId);
  const teamIds = (await ctx.db.select({ id: teams.id }).from(teams).where(eq(teams.orgId, orgId)).orderBy(asc(teams.name))).map((t) => t.id)
    .filter((id) => id !== settings.complaintTeamId);

  const generator = new ServiceOrderDemoGenerator(input.seed, {
    anchor,
    days: input.days,
    customerCount,
    agents,
    teams: teamIds,
    complaintTeam: settings.complaintTeamId,
    policies: demoPolicies,
    utcOffsetMinutes: utcOffsetMinutes(businessCal.timezone, anchor),
  }, Math.max(1, input.serviceOrders), { newId });

  let done = 0;
  let events = 0;
  let callbackCount = 0;
  while (done < input.serviceOrders) {
    const size = Math.min(input.batchSize, input.serviceOrders - done);
    const batch: DemoServiceOrder[] = [];
    for (let i = 0; i < size; i++) batch.push(generator.next());
    await ctx.db.transaction(async (tx) => {
      // Numbers per year of creation, reserved in one step per year (SO-YYYY-NNNNNN, like a create).
      const perYear = new Map<number, number>();
      for (const o of batch) perYear.set(o.createdAt.getUTCFullYear(), (perYear.get(o.createdAt.getUTCFullYear()) ?? 0) + 1);
      const next = new Map<number, number>();
      for (const [year, n] of perYear) {
        const [r] = await rows<{ last: number }>(tx, sql`
          INSERT INTO service_order_counters (org_id, year, last) VALUES (${orgId}, ${year}, ${n})
          ON CONFLICT (org_id, year) DO UPDATE SET last = service_order_counters.last + ${n} RETURNING last`);
        next.set(year, r.last - n + 1);
      }
      // Customers by ordinal in id order (ids are time-ordered: generation order of the demo customers).
      const ordinals = [...new Set(batch.map((o) => o.customerOrdinal))];
      const found = await rows<{ ord: number; id: string }>(tx, sql`
        SELECT ord::int AS ord, id FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS ord FROM customers WHERE org_id = ${orgId}) c
         WHERE ord = ANY(${`{${ordinals.join(',')}}`}::bigint[])`);
      const customerOf = new Map(found.map((r) => [r.ord, r.id]));
      const os: Record<string, unknown>[] = [];
      const es: Record<string, unknown>[] = [];
      const cs: Record<string, unknown>[] = [];
      for (const o of batch) {
        const year = o.createdAt.getUTCFullYear();
        const seq = next.get(year)!;
        next.set(year, seq + 1);
        const number = `SO-${year}-${String(seq).padStart(6, '0')}`;
        const customerId = customerOf.get(o.customerOrdinal)!;
        os.push(orderJson(o, number, customerId));
        for (const e of o.events) {
          es.push({ id: e.id, service_order_id: o.id, customer_id: customerId, kind: e.kind, actor_id: e.actorId, data: { number, ...e.data }, at: e.at.toISOString() });
        }
        for (const c of o.callbacks) {
          cs.push({
            id: c.id, service_order_id: o.id, customer_id: customerId, due_at: iso(c.dueAt), assignee_user_id: c.assigneeUserId, status: c.status,
            outcome: c.outcome, attempts: c.attempts, completed_at: iso(c.completedAt), created_at: iso(c.createdAt), updated_at: iso(c.updatedAt),
          });
        }
      }
      await tx.execute(sql`
        INSERT INTO service_orders (id, org_id, number, type, customer_id, channel, priority, title, description, assignee_user_id,
          assignee_team_id, status, sla_policy_id, first_response_due_at, first_response_at_risk_at, resolution_due_at, resolution_at_risk_at,
          first_responded_at, resolved_at, closed_at, first_response_sla_state, resolution_sla_state, sla_state, next_due_at, paused_since,
          paused_minutes, pauses, resolution, first_contact_resolved, customer_confirmed, satisfaction, severity, root_cause,
          compensation_minor, compensation_currency, version, created_by, created_at, updated_at)
        SELECT id, ${orgId}::uuid, number, type, customer_id, channel, priority, title, description, assignee_user_id,
          assignee_team_id, status, sla_policy_id, first_response_due_at, first_response_at_risk_at, resolution_due_at, resolution_at_risk_at,
          first_responded_at, resolved_at, closed_at, first_response_sla_state, resolution_sla_state, sla_state, next_due_at, paused_since,
          paused_minutes, pauses, resolution, first_contact_resolved, customer_confirmed, satisfaction, severity, root_cause,
          compensation_minor, compensation_currency, 1, NULL, created_at, updated_at
        FROM json_populate_recordset(NULL::service_orders, ${JSON.stringify(os)}::json)`);
      await tx.execute(sql`
        INSERT INTO service_order_events (id, org_id, service_order_id, customer_id, kind, actor_id, data, at)
        SELECT id, ${orgId}::uuid, service_order_id, customer_id, kind, actor_id, data, at
        FROM json_populate_recordset(NULL::service_order_events, ${JSON.stringify(es)}::json)`);
      if (cs.length) {
        await tx.execute(sql`
          INSERT INTO callbacks (id, org_id, service_order_id, customer_id, due_at, assignee_user_id, status, outcome, attempts, version, completed_at, created_at, updated_at)
          SELECT id, ${orgId}::uuid, service_order_id, customer_id, due_at, assignee_user_id, status, outcome, attempts, 1, completed_at, created_at, updated_at
          FROM json_populate_recordset(NULL::callbacks, ${JSON.stringify(cs)}::json)`);
      }
    });
    done += size;
    events += batch.reduce((a, o) => a + o.events.length, 0);
    callbackCount += batch.reduce((a, o) => a + o.callbacks.length, 0);
    opts.onProgress?.(done, input.serviceOrders);
  }

  const ms = performance.now() - started;
  if (input.serviceOrders > 0) {
    await audit(ctx, { action: 'demo.seed_service_orders', entityType: 'organization', entityId: orgId, data: { seed: input.seed, serviceOrders: done, events, callbacks: callbackCount, days: input.days } });
  }
  ctx.log.info({ serviceOrders: done, events, callbacks: callbackCount, ms: Math.round(ms) }, 'demo service orders seeded');
  return { serviceOrders: done, events, callbacks: callbackCount, ms };
}
