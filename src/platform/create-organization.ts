import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/open.ts';
import { Conflict } from './errors.ts';
import { newId } from './ids.ts';
import { hashPassword } from './passwords.ts';
import { auditLog, organizations, users } from './tables.ts';

export const createOrganizationInput = z.object({
  name: z.string().trim().min(1).max(200),
  adminEmail: z.string().trim().toLowerCase().email(),
  adminPassword: z.string().min(8).max(200),
  adminName: z.string().trim().min(1).max(100).default('管理员'),
  // An IANA zone that Intl knows: exports and reports format dates with it.
  timezone: z
    .string()
    .default('Asia/Shanghai')
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, { message: 'unknown_time_zone' }),
});
export type CreateOrganizationInput = z.input<typeof createOrganizationInput>;

/** Creates an organization and its first admin in one transaction (CLI `org create`, first start). */
export async function createOrganization(db: Db, raw: CreateOrganizationInput) {
  const input = createOrganizationInput.parse(raw);
  const passwordHash = await hashPassword(input.adminPassword);
  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.name, input.name));
    if (existing) throw new Conflict('error.org_exists', { name: input.name });
    const [taken] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${input.adminEmail}`);
    if (taken) throw new Conflict('error.email_taken', { email: input.adminEmail });
    const orgId = newId();
    const adminId = newId();
    await tx.insert(organizations).values({ id: orgId, name: input.name, timezone: input.timezone });
    await tx.insert(users).values({
      id: adminId,
      orgId,
      email: input.adminEmail,
      name: input.adminName,
      passwordHash,
      role: 'admin',
    });
    await tx.insert(auditLog).values({
      id: newId(),
      orgId,
      actorId: null,
      action: 'organization.create',
      entityType: 'organization',
      entityId: orgId,
      data: { name: input.name, adminEmail: input.adminEmail },
    });
    return { orgId, adminId, name: input.name, adminEmail: input.adminEmail };
  });
}
