// Shared by the opportunity use cases: data scope, loading and presenting opportunities, writing
// their events, the organization's pipeline settings and owner checks.
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../db/open.ts';
import { customerScope, type Actor, type Ctx } from '../platform/context.ts';
import { NotFound, type KeyedFieldError, fieldError } from '../platform/errors.ts';
import { isUuid, newId } from '../platform/ids.ts';
import { teams, users } from '../platform/tables.ts';
import { customerScopeCondition } from '../customers/scope.ts';
import { customers } from '../customers/tables.ts';
import './messages.ts';
import { allowedMoves, defaultFollowUpDays } from './model/pipeline.ts';
import type { OpportunityOutput } from './schemas.ts';
import { opportunityEvents, opportunitySettings, type NeedGrade, type OpportunityStage } from './tables.ts';

/**
 * 数据权限 for needs, opportunities and commissions: the organization, and for territory-scoped roles
 * (customer managers) only those of customers in their territories (the customer scope, reused).
 * `customerIdColumn` is the SQL of the row's customer id column.
 */
export function customerInScope(actor: Actor, customerIdColumn: SQL): SQL {
  if (customerScope(actor) === 'all') return sql`true`;
  return sql`${customerIdColumn} IN (SELECT ${customers.id} FROM ${customers} WHERE ${customerScopeCondition(actor)})`;
}

export interface OpportunityRow {
  id: string;
  org_id: string;
  customer_id: string;
  need_id: string;
  owner_user_id: string | null;
  owner_name: string | null;
  owner_team_id: string | null;
  owner_team_name: string | null;
  stage: OpportunityStage;
  expected_value_minor: string | number | null;
  currency: string;
  next_step: string | null;
  follow_up_due_at: Date | string;
  due_key: string;
  won_order_id: string | null;
  lost_reason: string | null;
  closed_at: Date | string | null;
  version: number;
  created_at: Date | string;
  updated_at: Date | string;
  service_order_id: string | null;
  found_by: string | null;
  found_by_name: string | null;
  current_situation: string;
  need: string;
  grade: NeedGrade;
  product_category: string | null;
  need_created_at: Date | string;
}

/** SELECT … FROM opportunities o JOIN latent_needs n …: add WHERE / ORDER / LIMIT after it. */
export const opportunitySelect = sql`SELECT o.id, o.org_id, o.customer_id, o.need_id, o.owner_user_id, ou.name AS owner_name,
    o.owner_team_id, ot.name AS owner_team_name, o.stage, o.expected_value_minor, o.currency, o.next_step,
    o.follow_up_due_at, o.follow_up_due_at::text AS due_key, o.won_order_id, o.lost_reason, o.closed_at, o.version,
    o.created_at, o.updated_at, n.service_order_id, n.found_by, fu.name AS found_by_name, n.current_situation, n.need,
    n.grade, n.product_category, n.created_at AS need_created_at
  FROM opportunities o
  JOIN latent_needs n ON n.id = o.need_id
  LEFT JOIN users ou ON ou.id = o.owner_user_id
  LEFT JOIN teams ot ON ot.id = o.owner_team_id
  LEFT JOIN users fu ON fu.id = n.found_by`;

const iso = (d: Date | string): string => new Date(d).toISOString();

export function presentOpportunity(r: OpportunityRow): OpportunityOutput {
  return {
    id: r.id,
    customerId: r.customer_id,
    need: {
      id: r.need_id,
      customerId: r.customer_id,
      serviceOrderId: r.service_order_id,
      foundBy: r.found_by,
      foundByName: r.found_by_name,
      currentSituation: r.current_situation,
      need: r.need,
      grade: r.grade,
      productCategory: r.product_category,
      createdAt: iso(r.need_created_at),
    },
    ownerUserId: r.owner_user_id,
    ownerName: r.owner_name,
    ownerTeamId: r.owner_team_id,
    ownerTeamName: r.owner_team_name,
    stage: r.stage,
    allowedMoves: allowedMoves(r.stage),
    expectedValueMinor: r.expected_value_minor === null ? null : Number(r.expected_value_minor),
    currency: r.currency,
    nextStep: r.next_step,
    followUpDueAt: iso(r.follow_up_due_at),
    wonOrderId: r.won_order_id,
    lostReason: r.lost_reason,
    closedAt: r.closed_at === null ? null : iso(r.closed_at),
    version: r.version,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

/** The opportunity if the actor may see it (organization and customer data scope), else NotFound. */
export async function findOpportunityInScope(ctx: Ctx, id: string, opts: { db?: Db; forUpdate?: boolean } = {}): Promise<OpportunityRow> {
  if (!isUuid(id)) throw new NotFound('opportunity');
  const db = opts.db ?? ctx.db;
  const [row] = await rows<OpportunityRow>(
    db,
    sql`${opportunitySelect} WHERE o.org_id = ${ctx.actor.orgId} AND o.id = ${id} AND ${customerInScope(ctx.actor, sql`o.customer_id`)}
      ${opts.forUpdate ? sql`FOR UPDATE OF o` : sql``}`,
  );
  if (!row) throw new NotFound('opportunity');
  return row;
}

export async function writeOpportunityEvent(
  ctx: Ctx,
  db: Db,
  e: { opportunityId: string; customerId: string; kind: string; fromStage?: OpportunityStage | null; toStage?: OpportunityStage | null; data?: Record<string, unknown> },
): Promise<void> {
  await db.insert(opportunityEvents).values({
    id: newId(),
    orgId: ctx.actor.orgId,
    opportunityId: e.opportunityId,
    customerId: e.customerId,
    kind: e.kind,
    fromStage: e.fromStage ?? null,
    toStage: e.toStage ?? null,
    actorId: ctx.actor.userId,
    data: e.data ?? {},
    at: ctx.now(),
  });
}

export interface PipelineSettings {
  defaultTeamId: string | null;
  followUpDays: Record<NeedGrade, number>;
  version: number;
}

export async function loadPipelineSettings(db: Db, orgId: string): Promise<PipelineSettings> {
  const [row] = await db.select().from(opportunitySettings).where(eq(opportunitySettings.orgId, orgId));
  if (!row) return { defaultTeamId: null, followUpDays: defaultFollowUpDays, version: 0 };
  return { defaultTeamId: row.defaultTeamId, followUpDays: { ...defaultFollowUpDays, ...row.followUpDays }, version: row.version };
}

/** Owner user (active, same organization) and owner team (same organization) checks. */
export async function checkOwner(db: Db, orgId: string, o: { userId?: string | null; teamId?: string | null }): Promise<KeyedFieldError[]> {
  const errors: KeyedFieldError[] = [];
  if (o.userId) {
    const [u] = await db.select({ id: users.id }).from(users).where(and(eq(users.orgId, orgId), eq(users.id, o.userId), eq(users.active, true)));
    if (!u) errors.push(fieldError('ownerUserId', 'unknown_user', 'field.unknown_user'));
  }
  if (o.teamId) {
    const [t] = await db.select({ id: teams.id }).from(teams).where(and(eq(teams.orgId, orgId), eq(teams.id, o.teamId)));
    if (!t) errors.push(fieldError('ownerTeamId', 'unknown_team', 'field.unknown_team'));
  }
  return errors;
}

/** The organization's time zone (ledger months and KPI periods are in it). */
export async function orgTimeZone(db: Db, orgId: string): Promise<string> {
  const [row] = await rows<{ timezone: string }>(db, sql`SELECT timezone FROM organizations WHERE id = ${orgId}`);
  return row?.timezone ?? 'Asia/Shanghai';
}
