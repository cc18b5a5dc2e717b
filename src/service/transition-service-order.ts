// Moves a service order through its workflow (model/workflow.ts): refuses a transition that is not
// allowed with the allowed list, stamps the first response, pauses the SLA clock while waiting on the
// customer (and while resolved, until reopened), marks a late first response or resolution as breached,
// schedules the callback on resolution, and writes the events and the audit entry.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/open.ts';
import { audit } from '../platform/audit.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { Conflict, Invalid, fieldError } from '../platform/errors.ts';
import { allowedTransitions, canTransition, isReopen, pauseChange, stampsFirstResponse } from './model/workflow.ts';
import { cancelPendingCallbacks, scheduleCallback } from './schedule-callback.ts';
import { transitionInput, type ServiceOrderOutput, type TransitionInput } from './schemas.ts';
import {
  findServiceOrderInScope,
  keepMetTargets,
  pauseMinutes,
  pausesOf,
  presentServiceOrder,
  recordEvent,
  slaColumns,
  slaTimesFor,
  overallSlaState,
  type ServiceOrderRow,
} from './service-order-store.ts';
import { serviceOrders, slaPolicies, type ServiceStatus, type SlaState } from './tables.ts';

/** 400 `invalid` whose field `to` has code `invalid_transition`; `current` carries status and allowed list. */
export class InvalidTransition extends Invalid {
  readonly current: { status: ServiceStatus; allowedTransitions: ServiceStatus[] };
  constructor(from: ServiceStatus, to: ServiceStatus) {
    const allowed = [...allowedTransitions(from)];
    super([fieldError('to', 'invalid_transition', 'field.service.invalid_transition', { from, to, allowed: allowed.join(', ') })], 'error.invalid_transition');
    Object.assign(this, { params: { from, to, allowed: allowed.join(', ') } });
    this.current = { status: from, allowedTransitions: allowed };
  }
}

export interface TransitionOptions {
  to: ServiceStatus;
  note?: string;
  resolution?: string;
  firstContactResolved?: boolean;
  customerConfirmed?: boolean;
  satisfaction?: number;
  /** Why the system moved it (callback outcome), for the event. */
  reason?: string;
}

/** The transition inside the caller's transaction, on a row the caller locked. */
export async function applyTransition(ctx: Ctx, tx: Db, row: ServiceOrderRow, o: TransitionOptions): Promise<ServiceOrderRow> {
  const from = row.status;
  const to = o.to;
  if (!canTransition(from, to)) throw new InvalidTransition(from, to);
  if (to === 'assigned' && !row.assigneeUserId && !row.assigneeTeamId && !row.queue) {
    throw new Invalid([fieldError('to', 'assignee_required', 'field.service.assignee_required')]);
  }
  const resolution = o.resolution ?? row.resolution;
  if (to === 'resolved' && !resolution) throw new Invalid([fieldError('resolution', 'required', 'field.service.resolution_required')]);

  const now = ctx.now();
  const set: Partial<typeof serviceOrders.$inferInsert> = { status: to, updatedAt: now };
  const sideEvents: { kind: 'sla_breached'; data: Record<string, unknown> }[] = [];
  let frState: SlaState = row.firstResponseSlaState;
  let resState: SlaState = row.resolutionSlaState;

  if (stampsFirstResponse(from, to, row.firstRespondedAt !== null)) {
    set.firstRespondedAt = now;
    if (row.firstResponseDueAt && now > row.firstResponseDueAt && frState !== 'breached') {
      frState = 'breached';
      sideEvents.push({ kind: 'sla_breached', data: { target: 'first_response', dueAt: row.firstResponseDueAt.toISOString() } });
    }
  }
  const firstResponded = row.firstRespondedAt !== null || set.firstRespondedAt !== undefined;

  // The SLA clock: open a pause when entering a paused status, close it (and recompute) when leaving.
  const change = pauseChange(from, to);
  if (change === 'open') {
    set.pausedSince = now;
    set.pauses = [...row.pauses, { from: now.toISOString(), to: null }];
    set.nextDueAt = null;
  } else if (change === 'close') {
    const pauses = row.pauses.map((p) => (p.to === null ? { ...p, to: now.toISOString() } : p));
    const [policy] = row.slaPolicyId ? await tx.select().from(slaPolicies).where(eq(slaPolicies.id, row.slaPolicyId)) : [];
    const times = keepMetTargets(row, await slaTimesFor(ctx, tx, policy ?? null, row.createdAt, pausesOf({ pauses })));
    Object.assign(set, slaColumns(times, firstResponded));
    set.pauses = pauses;
    set.pausedSince = null;
    set.pausedMinutes = row.pausedMinutes + (row.pausedSince ? await pauseMinutes(ctx, tx, policy ?? null, row.pausedSince, now) : 0);
  } else if (set.firstRespondedAt && !row.pausedSince) {
    set.nextDueAt = slaColumns({
      firstResponseDueAt: row.firstResponseDueAt,
      firstResponseAtRiskAt: row.firstResponseAtRiskAt,
      resolutionDueAt: row.resolutionDueAt,
      resolutionAtRiskAt: row.resolutionAtRiskAt,
    }, true).nextDueAt;
  }

  if (to === 'resolved') {
    set.resolvedAt = now;
    set.resolution = resolution;
    set.firstContactResolved = o.firstContactResolved ?? from === 'new';
    if (row.resolutionDueAt && now > row.resolutionDueAt && resState !== 'breached') {
      resState = 'breached';
      sideEvents.push({ kind: 'sla_breached', data: { target: 'resolution', dueAt: row.resolutionDueAt.toISOString() } });
    }
  }
  if (to === 'closed') {
    set.closedAt = now;
    if (o.customerConfirmed !== undefined) set.customerConfirmed = o.customerConfirmed;
    if (o.satisfaction !== undefined) set.satisfaction = o.satisfaction;
  }
  const reopen = isReopen(from, to);
  if (reopen) {
    set.resolvedAt = null;
    set.closedAt = null;
  }
  set.firstResponseSlaState = frState;
  set.resolutionSlaState = resState;
  set.slaState = overallSlaState(frState, resState, firstResponded);

  const [updated] = await tx
    .update(serviceOrders)
    .set({ ...set, version: sql`${serviceOrders.version} + 1` })
    .where(and(eq(serviceOrders.id, row.id), eq(serviceOrders.orgId, ctx.actor.orgId)))
    .returning();
  await recordEvent(ctx, tx, updated, reopen ? 'reopened' : 'transition', {
    from,
    to,
    ...(o.note ? { note: o.note } : {}),
    ...(o.reason ? { reason: o.reason } : {}),
    ...(to === 'resolved' ? { resolution, firstContactResolved: updated.firstContactResolved } : {}),
    ...(set.firstRespondedAt ? { firstResponse: true } : {}),
  }, now);
  for (const e of sideEvents) await recordEvent(ctx, tx, updated, e.kind, e.data, now);
  if (to === 'resolved') await scheduleCallback(ctx, tx, updated, now);
  if (reopen) await cancelPendingCallbacks(ctx, tx, updated.id);
  await audit(ctx, { action: 'service_order.transition', entityType: 'service_order', entityId: row.id, data: { from, to, version: updated.version, reason: o.reason ?? null } }, tx);
  return updated;
}

export async function transitionServiceOrder(ctx: Ctx, id: string, raw: TransitionInput): Promise<ServiceOrderOutput> {
  assertCan(ctx.actor, 'service.write');
  const input = transitionInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    const row = await findServiceOrderInScope(ctx, id, { db: tx, forUpdate: true });
    if (row.version !== input.version) throw new Conflict('error.stale_version', {}, presentServiceOrder(row));
    return presentServiceOrder(await applyTransition(ctx, tx, row, input));
  });
}
