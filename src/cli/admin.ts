import type { Command } from 'commander';
import { eq } from 'drizzle-orm';
import { withDatabase } from './db.ts';
import { createOrganization } from '../platform/create-organization.ts';
import { createUser } from '../platform/create-user.ts';
import { makeCtx, systemActor } from '../platform/context.ts';
import { organizations } from '../platform/tables.ts';
import { roles } from '../platform/permissions.ts';

export function registerAdmin(program: Command) {
  const org = program.command('org').description('organizations / 组织');
  org
    .command('create')
    .description('create an organization and its admin')
    .requiredOption('--name <name>')
    .requiredOption('--admin-email <email>')
    .requiredOption('--admin-password <password>')
    .action(async (o: { name: string; adminEmail: string; adminPassword: string }) => {
      await withDatabase(async ({ db }) => {
        const r = await createOrganization(db, { name: o.name, adminEmail: o.adminEmail, adminPassword: o.adminPassword });
        process.stdout.write(`${JSON.stringify(r)}\n`);
      });
    });

  const user = program.command('user').description('users / 用户');
  user
    .command('create')
    .description('create a user in an organization')
    .requiredOption('--org <name>')
    .requiredOption('--email <email>')
    .requiredOption('--password <password>')
    .requiredOption('--role <role>', roles.join(' | '))
    .option('--name <name>')
    .action(async (o: { org: string; email: string; password: string; role: (typeof roles)[number]; name?: string }) => {
      await withDatabase(async ({ db }) => {
        const [found] = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.name, o.org));
        if (!found) throw new Error(`organization not found: ${o.org}`);
        const u = await createUser(makeCtx(db, systemActor(found.id)), {
          email: o.email,
          password: o.password,
          role: o.role,
          name: o.name ?? o.email.split('@')[0],
        });
        process.stdout.write(`${JSON.stringify(u)}\n`);
      });
    });
}
