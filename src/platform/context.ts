import type { Logger } from 'pino';
import pino from 'pino';
import type { Db } from '../db/open.ts';
import type { JobQueue } from '../jobs/queue.ts';
import { Forbidden } from './errors.ts';
import { roleDefs, roleHas, type DataScope, type Permission, type Role } from './permissions.ts';

/** Who is acting: organization, user, role and the region codes of their territories. */
export interface Actor {
  orgId: string;
  userId: string | null; // null for system actors (CLI bootstrap, demo generator)
  role: Role;
  /** GB/T 2260 codes (province, city or district) the actor's territories cover. */
  regionCodes: string[];
  locale: 'zh-CN' | 'en';
  ip?: string;
}

/** Everything a use case needs, passed explicitly: no module-level singletons. */
export interface Ctx {
  db: Db;
  actor: Actor;
  now: () => Date;
  log: Logger;
  /** Background jobs; absent where none run (HTTP tests, CLI commands). */
  jobs?: JobQueue;
}

export function can(actor: Actor, permission: Permission): boolean {
  return roleHas(actor.role, permission);
}

export function assertCan(actor: Actor, permission: Permission): void {
  if (!can(actor, permission)) throw new Forbidden(permission);
}

export function customerScope(actor: Actor): DataScope {
  return roleDefs[actor.role].customerScope;
}

export const silentLogger: Logger = pino({ level: 'silent' });

export function makeCtx(db: Db, actor: Actor, opts: { now?: () => Date; log?: Logger; jobs?: JobQueue } = {}): Ctx {
  const ctx: Ctx = { db, actor, now: opts.now ?? (() => new Date()), log: opts.log ?? silentLogger };
  if (opts.jobs) ctx.jobs = opts.jobs;
  return ctx;
}

export function systemActor(orgId: string): Actor {
  return { orgId, userId: null, role: 'admin', regionCodes: [], locale: 'zh-CN' };
}
