// IVR menus (语音导航) per organization: a versioned tree. Publishing validates the tree against the
// organization's queues and writes version N+1; every older version stays readable.
import { and, desc, eq, sql } from 'drizzle-orm';
import { audit } from '../platform/audit.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { Conflict, Invalid, NotFound, type FieldError, type KeyedFieldError, fieldError, localizeField } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import type { Db } from '../db/open.ts';
import type { Locale } from '../i18n/messages.ts';
import './messages.ts';
import { validateIvrTree } from './model/ivr-tree.ts';
import { assertCcRead, existingQueueKeys } from './queues.ts';
import { ivrTree, publishIvrInput, type IvrTree, type PublishIvrInput } from './schemas.ts';
import { ccIvrVersions } from './tables.ts';

type IvrRow = typeof ccIvrVersions.$inferSelect;
export interface IvrVersion { version: number; tree: IvrTree; note: string | null; publishedBy: string | null; publishedAt: string }

const present = (r: IvrRow): IvrVersion => ({ version: r.version, tree: ivrTree.parse(r.tree), note: r.note, publishedBy: r.publishedBy, publishedAt: r.publishedAt.toISOString() });

async function problemsOf(db: Db, orgId: string, tree: IvrTree): Promise<KeyedFieldError[]> {
  const keys = tree.nodes.flatMap((n) => n.options.flatMap((o) => (o.target.type === 'queue' ? [o.target.queue] : [])));
  const existing = await existingQueueKeys(db, orgId, [...new Set(keys)]);
  return validateIvrTree(tree, (k) => existing.has(k)).map((p) => fieldError(p.path, p.code, `cc.ivr.${p.code}`, p.params));
}

/** Dry run of a tree: the same checks as publishing, without writing. */
export async function validateIvr(ctx: Ctx, raw: unknown, locale: Locale = ctx.actor.locale): Promise<{ valid: boolean; errors: FieldError[] }> {
  assertCan(ctx.actor, 'contact_center.manage');
  const tree = ivrTree.parse(raw);
  // A 200 answer, not an error the HTTP layer localizes: the caller says in which language.
  const errors = (await problemsOf(ctx.db, ctx.actor.orgId, tree)).map((f) => localizeField(f, locale));
  return { valid: errors.length === 0, errors };
}

export async function publishIvr(ctx: Ctx, raw: PublishIvrInput): Promise<IvrVersion> {
  assertCan(ctx.actor, 'contact_center.manage');
  const input = publishIvrInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    // One publisher at a time per organization: the lock makes "latest version" stable until commit.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('cc_ivr:' || ${ctx.actor.orgId}))`);
    const [latest] = await tx.select({ version: ccIvrVersions.version }).from(ccIvrVersions).where(eq(ccIvrVersions.orgId, ctx.actor.orgId)).orderBy(desc(ccIvrVersions.version)).limit(1);
    const current = latest?.version ?? 0;
    if (current !== input.baseVersion) throw new Conflict('error.cc_ivr_stale', { current }, { version: current });
    const errors = await problemsOf(tx, ctx.actor.orgId, input.tree);
    if (errors.length) throw new Invalid(errors, 'error.cc_ivr_invalid');
    const [row] = await tx.insert(ccIvrVersions).values({
      id: newId(), orgId: ctx.actor.orgId, version: current + 1, tree: input.tree, note: input.note ?? null, publishedBy: ctx.actor.userId, publishedAt: ctx.now(),
    }).returning();
    await audit(ctx, { action: 'cc_ivr.publish', entityType: 'cc_ivr', entityId: row.id, data: { version: row.version, note: row.note } }, tx);
    return present(row);
  });
}

/** The published (latest) version, or null when none was published. */
export async function getCurrentIvr(ctx: Ctx): Promise<IvrVersion | null> {
  assertCcRead(ctx);
  const [row] = await ctx.db.select().from(ccIvrVersions).where(eq(ccIvrVersions.orgId, ctx.actor.orgId)).orderBy(desc(ccIvrVersions.version)).limit(1);
  return row ? present(row) : null;
}

export async function getIvrVersion(ctx: Ctx, version: number): Promise<IvrVersion> {
  assertCcRead(ctx);
  const [row] = await ctx.db.select().from(ccIvrVersions).where(and(eq(ccIvrVersions.orgId, ctx.actor.orgId), eq(ccIvrVersions.version, version)));
  if (!row) throw new NotFound('cc_ivr');
  return present(row);
}

export async function listIvrVersions(ctx: Ctx): Promise<Omit<IvrVersion, 'tree'>[]> {
  assertCcRead(ctx);
  const found = await ctx.db.select({ version: ccIvrVersions.version, note: ccIvrVersions.note, publishedBy: ccIvrVersions.publishedBy, publishedAt: ccIvrVersions.publishedAt })
    .from(ccIvrVersions).where(eq(ccIvrVersions.orgId, ctx.actor.orgId)).orderBy(desc(ccIvrVersions.version));
  return found.map((r) => ({ ...r, publishedAt: r.publishedAt.toISOString() }));
}
