// The SLA scan: marks open service orders whose first-response or resolution target became at risk
// or breached, and fires the escalation rules, in a few set-based SQL statements in one transaction.
//
// Once each, also across restarts: state changes only move forward (ok → at_risk → breached) and
// their events come from the rows an UPDATE changed; escalations are derived from the orders'
// current states (not from this run's changes) and inserted with ON CONFLICT DO NOTHING on the unique
// key (service_order_id, rule_id, level), so a crashed run (rolled back as a whole) or a second run
// neither duplicates nor loses one. Actions (raise priority, reassign to a team) are applied from the
// escalation rows still marked unapplied, in the same transaction. Notifications: escalation rows with
// action 'notify' and notified_at NULL, for messaging to send. Runs are serialized by an advisory lock.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/open.ts';
import { rows } from '../db/open.ts';
import { Forbidden } from '../platform/errors.ts';
import type { Logger } from 'pino';
import { assertCan, makeCtx, systemActor, type Ctx } from '../platform/context.ts';

export interface ScanSlaResult {
  atRisk: number;
  breached: number;
  escalations: number;
  actionsApplied: number;
}

const OPEN = sql.raw(`so.status IN ('new','assigned','in_progress','waiting_on_customer')`);
const SCAN_LOCK = 727002;
const TRUE = sql`true`;

/**
 * A UUIDv7 made in SQL for rows inserted set-based: the millisecond time prefix, then `step` in the
 * 12 bits after the version (RFC 9562 allows them as a counter) so that events of one scan sort in
 * the order the scan wrote them, then random bits.
 */
export function newIdSql(at: SQL, step = 0): SQL {
  const hex = sql`(lpad(to_hex(floor(extract(epoch from ${at}) * 1000)::bigint), 12, '0') || '7' || ${step.toString(16).padStart(3, '0')} || substr(replace(gen_random_uuid()::text, '-', ''), 17, 16))`;
  return sql`(substr(${hex}, 1, 8) || '-' || substr(${hex}, 9, 4) || '-' || substr(${hex}, 13, 4) || '-' || substr(${hex}, 17, 4) || '-' || substr(${hex}, 21, 12))::uuid`;
}

type Target = 'first_response' | 'resolution';

async function markTarget(db: Db, target: Target, now: SQL, org: SQL): Promise<{ state: string; n: number }[]> {
  const state = sql.raw(`${target}_sla_state`);
  const due = sql.raw(`${target}_due_at`);
  const atRisk = sql.raw(`${target}_at_risk_at`);
  const pending = target === 'first_response' ? sql`AND so.first_responded_at IS NULL` : sql``;
  // The overall state with this target's new state and the other target's current one.
  const other = target === 'first_response'
    ? sql`so.resolution_sla_state`
    : sql`CASE WHEN so.first_responded_at IS NULL THEN so.first_response_sla_state ELSE 'ok' END`;
  const newState = sql`CASE WHEN so.${due} <= ${now} THEN 'breached' ELSE 'at_risk' END`;
  // One UPDATE over both partial indexes (ok → at risk/breached; at risk → breached); events from its RETURNING.
  return rows<{ state: string; n: number }>(db, sql`
    WITH upd AS (
      UPDATE service_orders so
         SET ${state} = ${newState},
             sla_state = CASE WHEN 'breached' IN (${newState}, ${other}) THEN 'breached'
                              WHEN 'at_risk' IN (${newState}, ${other}) THEN 'at_risk' ELSE 'ok' END,
             updated_at = ${now}
       WHERE ${OPEN} ${pending} AND so.paused_since IS NULL AND ${org}
         AND ((so.${state} = 'ok' AND so.${atRisk} <= ${now}) OR (so.${state} = 'at_risk' AND so.${due} <= ${now}))
      RETURNING so.id, so.org_id, so.customer_id, so.number, so.${state} AS st, so.${due} AS due
    ), ev AS (
      INSERT INTO service_order_events (id, org_id, service_order_id, customer_id, kind, actor_id, data, at)
      SELECT ${newIdSql(now, target === 'first_response' ? 1 : 2)}, upd.org_id, upd.id, upd.customer_id,
             CASE upd.st WHEN 'breached' THEN 'sla_breached' ELSE 'sla_at_risk' END, NULL,
             jsonb_build_object('number', upd.number, 'target', ${target}::text, 'dueAt', upd.due), ${now}
        FROM upd
    )
    SELECT st AS state, count(*)::int AS n FROM upd GROUP BY st`);
}

async function insertEscalations(db: Db, now: SQL, org: SQL): Promise<number> {
  const [r] = await rows<{ n: number }>(db, sql`
    WITH cand AS (
      SELECT so.id AS so_id, so.org_id, r.id AS rule_id, r.level, r.on_state, r.target, r.action,
             r.target_user_id, r.target_team_id
        FROM service_orders so
        JOIN escalation_rules r ON r.org_id = so.org_id AND r.active
       WHERE ${OPEN} AND so.sla_state <> 'ok' AND ${org}
         AND (r.policy_id IS NULL OR r.policy_id = so.sla_policy_id)
         AND (cardinality(r.types) = 0 OR so.type = ANY(r.types))
         AND (cardinality(r.priorities) = 0 OR so.priority = ANY(r.priorities))
         AND (CASE r.target WHEN 'resolution' THEN so.resolution_sla_state
                ELSE CASE WHEN so.first_responded_at IS NULL THEN so.first_response_sla_state ELSE 'ok' END END)
             = ANY(CASE r.on_state WHEN 'at_risk' THEN ARRAY['at_risk', 'breached'] ELSE ARRAY['breached'] END)
         -- Fired before: skip here already (an anti-join on the unique index is cheaper than a conflicting insert).
         AND NOT EXISTS (SELECT 1 FROM service_order_escalations e WHERE e.service_order_id = so.id AND e.rule_id = r.id AND e.level = r.level)
    ), ins AS (
      INSERT INTO service_order_escalations (id, org_id, service_order_id, rule_id, level, reason, target, action,
                                             target_user_id, target_team_id, applied_at, notified_at, created_at)
      SELECT ${newIdSql(now, 3)}, org_id, so_id, rule_id, level, on_state, target, action, target_user_id, target_team_id, NULL, NULL, ${now}
        FROM cand
      ON CONFLICT DO NOTHING
      RETURNING id, org_id, service_order_id, rule_id, level, reason, target, action, target_user_id, target_team_id
    ), ev AS (
      INSERT INTO service_order_events (id, org_id, service_order_id, customer_id, kind, actor_id, data, at)
      SELECT ${newIdSql(now, 3)}, ins.org_id, ins.service_order_id, so.customer_id, 'escalated', NULL,
             jsonb_build_object('number', so.number, 'escalationId', ins.id, 'ruleId', ins.rule_id, 'level', ins.level,
                                'reason', ins.reason, 'target', ins.target, 'action', ins.action,
                                'targetUserId', ins.target_user_id, 'targetTeamId', ins.target_team_id), ${now}
        FROM ins JOIN service_orders so ON so.id = ins.service_order_id
    )
    SELECT count(*)::int AS n FROM ins`);
  return r?.n ?? 0;
}

/** raise_priority (one step per escalation, up to urgent) and reassign_team (the highest level's team wins). */
async function applyActions(db: Db, now: SQL, org: SQL): Promise<number> {
  const [r] = await rows<{ n: number }>(db, sql`
    WITH pending AS (
      SELECT e.service_order_id,
             count(*) FILTER (WHERE e.action = 'raise_priority')::int AS raises,
             (array_agg(e.target_team_id ORDER BY e.level DESC, e.created_at DESC, e.id DESC)
                FILTER (WHERE e.action = 'reassign_team' AND e.target_team_id IS NOT NULL))[1] AS team,
             array_agg(e.id) AS escalation_ids
        FROM service_order_escalations e
        JOIN service_orders so ON so.id = e.service_order_id
       WHERE e.applied_at IS NULL AND e.action IN ('raise_priority', 'reassign_team') AND ${org}
       GROUP BY e.service_order_id
    ), old AS (
      SELECT so.id, so.priority, so.assignee_team_id, so.assignee_user_id, so.status, p.raises, p.team, p.escalation_ids
        FROM service_orders so JOIN pending p ON p.service_order_id = so.id
       WHERE ${OPEN}
    ), upd AS (
      UPDATE service_orders so
         SET priority = (ARRAY['low','normal','high','urgent'])[least(4, array_position(ARRAY['low','normal','high','urgent'], old.priority) + old.raises)],
             assignee_team_id = coalesce(old.team, old.assignee_team_id),
             assignee_user_id = CASE WHEN old.team IS NOT NULL AND old.team IS DISTINCT FROM old.assignee_team_id THEN NULL ELSE old.assignee_user_id END,
             status = CASE WHEN old.team IS NOT NULL AND old.status = 'new' THEN 'assigned' ELSE old.status END,
             version = so.version + 1,
             updated_at = ${now}
        FROM old
       WHERE so.id = old.id
      RETURNING so.id, so.org_id, so.customer_id, so.number, so.priority, so.assignee_team_id, so.status,
                old.priority AS old_priority, old.assignee_team_id AS old_team, old.assignee_user_id AS old_user, old.status AS old_status, old.escalation_ids
    ), ev_priority AS (
      INSERT INTO service_order_events (id, org_id, service_order_id, customer_id, kind, actor_id, data, at)
      SELECT ${newIdSql(now, 4)}, org_id, id, customer_id, 'updated', NULL,
             jsonb_build_object('number', number, 'reason', 'escalation',
                                'changes', jsonb_build_object('priority', jsonb_build_object('before', old_priority, 'after', priority))), ${now}
        FROM upd WHERE priority <> old_priority
    ), ev_team AS (
      INSERT INTO service_order_events (id, org_id, service_order_id, customer_id, kind, actor_id, data, at)
      SELECT ${newIdSql(now, 5)}, org_id, id, customer_id, 'assigned', NULL,
             jsonb_build_object('number', number, 'reason', 'escalation', 'assigneeTeamId', assignee_team_id, 'assigneeUserId', NULL,
                                'from', old_status, 'to', status), ${now}
        FROM upd WHERE assignee_team_id IS DISTINCT FROM old_team
    ), aud AS (
      INSERT INTO audit_log (id, org_id, actor_id, action, entity_type, entity_id, data, ip, at)
      SELECT ${newIdSql(now, 6)}, org_id, NULL, 'service_order.escalate', 'service_order', id,
             jsonb_build_object('escalationIds', to_jsonb(escalation_ids), 'priority', jsonb_build_object('before', old_priority, 'after', priority),
                                'assigneeTeamId', jsonb_build_object('before', old_team, 'after', assignee_team_id)), NULL, ${now}
        FROM upd
    ), done AS (
      UPDATE service_order_escalations e SET applied_at = ${now}
       WHERE e.id IN (SELECT unnest(p.escalation_ids) FROM pending p)
    )
    SELECT count(*)::int AS n FROM upd`);
  return r?.n ?? 0;
}

/**
 * One SLA scan at `now`. For the actor's organization; with `allOrganizations` (system actors only,
 * for the scheduled job) over every organization at once.
 */
export async function scanSla(ctx: Ctx, opts: { now?: Date; allOrganizations?: boolean } = {}): Promise<ScanSlaResult> {
  if (opts.allOrganizations) {
    if (ctx.actor.userId !== null) throw new Forbidden('service.scan');
  } else {
    assertCan(ctx.actor, 'service.manage');
  }
  const now = sql`${(opts.now ?? ctx.now()).toISOString()}::timestamptz`;
  const org = opts.allOrganizations ? TRUE : sql`so.org_id = ${ctx.actor.orgId}`;
  return ctx.db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${SCAN_LOCK})`);
    const t0 = Date.now();
    const marked = [...(await markTarget(tx, 'first_response', now, org)), ...(await markTarget(tx, 'resolution', now, org))];
    const count = (s: string) => marked.filter((m) => m.state === s).reduce((a, m) => a + m.n, 0);
    const t1 = Date.now();
    const escalations = await insertEscalations(tx, now, org);
    const t2 = Date.now();
    const actionsApplied = await applyActions(tx, now, org);
    ctx.log.debug({ markMs: t1 - t0, escalateMs: t2 - t1, applyMs: Date.now() - t2 }, 'SLA scan steps');
    const result = { atRisk: count('at_risk'), breached: count('breached'), escalations, actionsApplied };
    ctx.log.info({ ...result, allOrganizations: Boolean(opts.allOrganizations) }, 'SLA scan');
    return result;
  });
}

/** The organization id of the system actor the scheduled scan runs as (it touches every organization's rows). */
const JOB_ORG = '00000000-0000-0000-0000-000000000000';

/** For the scheduled job (pg-boss, wired at merge): one scan over every organization. */
export async function runSlaScanJob(db: Db, opts: { now?: Date; log?: Logger } = {}): Promise<ScanSlaResult> {
  const ctx = makeCtx(db, systemActor(JOB_ORG), { log: opts.log });
  return scanSla(ctx, { now: opts.now ?? new Date(), allOrganizations: true });
}
