// Fixtures for database tests: an organization with one user per role and a territory.
import type { Db } from './open.ts';
import { createOrganization } from '../platform/create-organization.ts';
import { createUser } from '../platform/create-user.ts';
import { createTerritory } from '../platform/territories.ts';
import { makeCtx, type Actor, type Ctx } from '../platform/context.ts';
import type { Role } from '../platform/permissions.ts';

export interface OrgFixture {
  orgId: string;
  /** One ctx per role; the customer manager's territory is Guangdong (440000). */
  ctx: Record<Role, Ctx>;
  userIds: Record<Role, string>;
  emails: Record<Role, string>;
  password: string;
  territoryId: string;
}

export async function seedOrg(db: Db, name: string, opts: { now?: () => Date } = {}): Promise<OrgFixture> {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-') + '-' + Math.random().toString(36).slice(2, 8);
  const password = 'correct-horse-9';
  const org = await createOrganization(db, { name, adminEmail: `admin@${slug}.test`, adminPassword: password, adminName: 'Admin' });
  const adminActor: Actor = { orgId: org.orgId, userId: org.adminId, role: 'admin', regionCodes: [], locale: 'zh-CN' };
  const adminCtx = makeCtx(db, adminActor, opts);
  const territory = await createTerritory(adminCtx, { name: '广东', regionCodes: ['440000'] });
  const ctx = { admin: adminCtx } as Record<Role, Ctx>;
  const userIds = { admin: org.adminId } as Record<Role, string>;
  const emails = { admin: org.adminEmail } as Record<Role, string>;
  for (const role of ['supervisor', 'agent', 'customer_manager', 'analyst'] as const) {
    const email = `${role}@${slug}.test`;
    const u = await createUser(adminCtx, {
      email,
      password,
      name: role,
      role,
      territoryIds: role === 'customer_manager' ? [territory.id] : [],
    });
    userIds[role] = u.id;
    emails[role] = email;
    ctx[role] = makeCtx(
      db,
      { orgId: org.orgId, userId: u.id, role, regionCodes: role === 'customer_manager' ? ['440000'] : [], locale: 'zh-CN' },
      opts,
    );
  }
  return { orgId: org.orgId, ctx, userIds, emails, password, territoryId: territory.id };
}
