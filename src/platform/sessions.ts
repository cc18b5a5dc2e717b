import crypto from 'node:crypto';
import { and, desc, eq, gt, isNull, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/open.ts';
import { audit } from './audit.ts';
import { can, type Actor, type Ctx } from './context.ts';
import { NotFound, Unauthorized } from './errors.ts';
import { isUuid, newId } from './ids.ts';
import { registerMessages } from '../i18n/messages.ts';
import { verifyPassword } from './passwords.ts';
import { isRole } from './permissions.ts';
import { presentUser, type UserOutput } from './create-user.ts';
import { sessions, territories, users } from './tables.ts';

registerMessages({ 'entity.api_token': { 'zh-CN': 'API 令牌', en: 'API token' } });

function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

function newToken(prefix: string): string {
  return `${prefix}_${crypto.randomBytes(32).toString('base64url')}`;
}

export const loginInput = z.object({
  email: z.string().trim().toLowerCase().email(),
  password: z.string().min(1).max(200),
});

// A fixed argon2id hash to verify against when the email is unknown, so timing does not reveal accounts.
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$/AwFI0UFmM0z6V5nJpveAg$W4fkHMYqCOVZFv8EtVzcZdIkSTaaDuFQMS1986YgJtg';

export async function login(
  db: Db,
  raw: z.input<typeof loginInput>,
  opts: { now: Date; sessionHours: number; ip?: string },
): Promise<{ token: string; user: UserOutput; expiresAt: Date }> {
  const input = loginInput.parse(raw);
  const [user] = await db.select().from(users).where(sql`lower(${users.email}) = ${input.email}`);
  const ok = await verifyPassword(user?.passwordHash ?? DUMMY_HASH, input.password);
  if (!user || !ok || !user.active) throw new Unauthorized('error.bad_credentials');
  const token = newToken('kfs');
  const expiresAt = new Date(opts.now.getTime() + opts.sessionHours * 3600_000);
  await db.insert(sessions).values({
    id: newId(),
    orgId: user.orgId,
    userId: user.id,
    tokenHash: hashToken(token),
    kind: 'session',
    expiresAt,
    createdAt: opts.now,
  });
  return { token, user: presentUser(user), expiresAt };
}

/** Resolves a session cookie or API token to the acting user, or throws Unauthorized. */
export async function authenticate(db: Db, token: string, now: Date): Promise<{ actor: Actor; user: UserOutput }> {
  const [row] = await db
    .select({ user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.tokenHash, hashToken(token)),
        isNull(sessions.revokedAt),
        or(isNull(sessions.expiresAt), gt(sessions.expiresAt, now)),
      ),
    );
  if (!row || !row.user.active || !isRole(row.user.role)) throw new Unauthorized();
  const u = row.user;
  let regionCodes: string[] = [];
  if (u.territoryIds.length) {
    const ts = await db
      .select({ codes: territories.regionCodes })
      .from(territories)
      .where(and(eq(territories.orgId, u.orgId), sql`${territories.id} = ANY(${sql.param(u.territoryIds)}::uuid[])`));
    regionCodes = [...new Set(ts.flatMap((t) => t.codes))];
  }
  const actor: Actor = {
    orgId: u.orgId,
    userId: u.id,
    role: u.role as Actor['role'],
    regionCodes,
    locale: u.locale === 'en' ? 'en' : 'zh-CN',
  };
  return { actor, user: presentUser(u) };
}

export async function logout(db: Db, token: string, now: Date): Promise<void> {
  await db.update(sessions).set({ revokedAt: now }).where(eq(sessions.tokenHash, hashToken(token)));
}

export const createApiTokenInput = z.object({ name: z.string().trim().min(1).max(100) });

/** API tokens for integrations: no expiry, revocable, shown once. */
export async function createApiToken(ctx: Ctx, raw: z.input<typeof createApiTokenInput>): Promise<{ id: string; token: string; name: string }> {
  const input = createApiTokenInput.parse(raw);
  if (!ctx.actor.userId) throw new Unauthorized();
  const token = newToken('kfa');
  const id = newId();
  await ctx.db.transaction(async (tx) => {
    await tx.insert(sessions).values({
      id,
      orgId: ctx.actor.orgId,
      userId: ctx.actor.userId!,
      tokenHash: hashToken(token),
      kind: 'api',
      name: input.name,
      createdAt: ctx.now(),
    });
    await audit(ctx, { action: 'api_token.create', entityType: 'session', entityId: id, data: { name: input.name } }, tx);
  });
  return { id, token, name: input.name };
}


export const apiTokenOutput = z.object({
  id: z.string(),
  name: z.string().nullable(),
  userId: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});
export type ApiTokenOutput = z.infer<typeof apiTokenOutput>;

/** The caller's own API tokens (admins: every API token of the organization), newest first; never the secret. */
export async function listApiTokens(ctx: Ctx): Promise<ApiTokenOutput[]> {
  if (!ctx.actor.userId) throw new Unauthorized();
  const mine = eq(sessions.userId, ctx.actor.userId);
  const rows = await ctx.db
    .select()
    .from(sessions)
    .where(and(eq(sessions.orgId, ctx.actor.orgId), eq(sessions.kind, 'api'), can(ctx.actor, 'user.manage') ? undefined : mine))
    .orderBy(desc(sessions.id));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    userId: r.userId,
    createdAt: r.createdAt.toISOString(),
    revokedAt: r.revokedAt ? r.revokedAt.toISOString() : null,
  }));
}

/**
 * Revokes an API token: the owner their own, an admin any of the organization (a leaked integration
 * key, a colleague who left). Another's or an unknown id is not found. Returns the token hash so the
 * caller can drop it from its SessionCache at once.
 */
export async function revokeApiToken(ctx: Ctx, id: string): Promise<{ tokenHash: string }> {
  if (!ctx.actor.userId) throw new Unauthorized();
  if (!isUuid(id)) throw new NotFound('api_token');
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(sessions)
      .set({ revokedAt: ctx.now() })
      .where(
        and(
          eq(sessions.id, id),
          eq(sessions.orgId, ctx.actor.orgId),
          eq(sessions.kind, 'api'),
          isNull(sessions.revokedAt),
          can(ctx.actor, 'user.manage') ? undefined : eq(sessions.userId, ctx.actor.userId!),
        ),
      )
      .returning({ tokenHash: sessions.tokenHash, name: sessions.name, userId: sessions.userId });
    if (!row) throw new NotFound('api_token');
    await audit(ctx, { action: 'api_token.revoke', entityType: 'session', entityId: id, data: { name: row.name, userId: row.userId } }, tx);
    return { tokenHash: row.tokenHash };
  });
}

/**
 * Remembers resolved tokens for a few seconds so a busy process does not look the session up on
 * every request. Logout through this process forgets at once; a revocation, role or territory
 * change made through another process takes effect within `ttlMs`.
 */
export class SessionCache {
  private readonly entries = new Map<string, { value: { actor: Actor; user: UserOutput }; until: number }>();
  constructor(private readonly db: Db, private readonly ttlMs = 10_000, private readonly maxEntries = 10_000) {}

  async authenticate(token: string, now: Date): Promise<{ actor: Actor; user: UserOutput }> {
    const key = hashToken(token);
    const hit = this.entries.get(key);
    if (hit && hit.until > now.getTime()) return { actor: { ...hit.value.actor }, user: hit.value.user };
    const value = await authenticate(this.db, token, now);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value, until: now.getTime() + this.ttlMs });
    return { actor: { ...value.actor }, user: value.user };
  }

  forget(token: string): void {
    this.entries.delete(hashToken(token));
  }

  forgetHash(tokenHash: string): void {
    this.entries.delete(tokenHash);
  }
}
