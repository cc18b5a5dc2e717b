// Demo staff: one user per role (supervisor, agents, customer managers, analyst) with a known
// password, sales territories (销售大区) assigned to the customer managers, and two teams (班组):
// 一线客服 (front line: the agents) and 投诉专席 (complaints desk: the supervisor). Idempotent: users,
// territories and teams that already exist in the organization are kept as they are.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { assertCan, type Ctx } from '../../platform/context.ts';
import { createUser } from '../../platform/create-user.ts';
import { Conflict } from '../../platform/errors.ts';
import type { Role } from '../../platform/permissions.ts';
import { teams, territories, users } from '../../platform/tables.ts';
import { createTeam } from '../../platform/teams.ts';
import { createTerritory } from '../../platform/territories.ts';
import { demoTerritories } from './model/vocabulary.ts';

/** The demo password printed on first start and by `kefu demo`; demo data only, never production. */
export const DEMO_PASSWORD = 'kefu-demo-2025';
export const DEFAULT_DEMO_DOMAIN = 'kefu.local';

export const ensureDemoStaffInput = z.object({
  managers: z.number().int().min(1).max(100).default(demoTerritories.length),
  agents: z.number().int().min(1).max(100).default(2),
  password: z.string().min(8).max(200).default(DEMO_PASSWORD),
  /** Domain of the demo e-mails; when omitted, kefu.local unless another organization already uses it. */
  emailDomain: z.string().trim().toLowerCase().regex(/^[a-z0-9.-]+\.[a-z]{2,}$|^[a-z0-9-]+\.local$/).optional(),
});
export type EnsureDemoStaffInput = z.input<typeof ensureDemoStaffInput>;

export interface DemoStaffMember {
  email: string;
  name: string;
  role: Role;
  /** False when the user already existed (its password was left unchanged). */
  created: boolean;
  territories: string[];
  /** The demo team (班组) of the user, if any (a user that already existed is left in its own team). */
  team: string | null;
}

/** The demo teams (班组): the agents answer first, the supervisor takes complaints. */
export const DEMO_TEAMS = { frontLine: '一线客服', complaints: '投诉专席' } as const;
const teamOfRole: Partial<Record<Role, string>> = { agent: DEMO_TEAMS.frontLine, supervisor: DEMO_TEAMS.complaints };

const managerNames = ['周建华', '林晓燕', '陈志强', '王丽娟', '赵国栋', '孙敏', '刘海涛', '杨雪', '黄俊杰', '吴婷'];
const agentNames = ['许静', '何磊', '郭佳怡', '马浩然', '罗晓梅', '梁宇'];

interface Planned {
  email: string;
  name: string;
  role: Role;
  territoryNames: string[];
}

function plan(input: z.output<typeof ensureDemoStaffInput>, domain: string): Planned[] {
  const out: Planned[] = [{ email: `supervisor@${domain}`, name: '郑明远', role: 'supervisor', territoryNames: [] }];
  for (let i = 0; i < input.agents; i++) {
    out.push({ email: `agent${i + 1}@${domain}`, name: agentNames[i % agentNames.length] + (i >= agentNames.length ? i + 1 : ''), role: 'agent', territoryNames: [] });
  }
  // Fewer managers than territories: each takes several; more: they share territories round-robin.
  for (let i = 0; i < input.managers; i++) {
    const names = demoTerritories.filter((_, t) => (input.managers >= demoTerritories.length ? t === i % demoTerritories.length : t % input.managers === i)).map((t) => t.name);
    out.push({
      email: `manager${i + 1}@${domain}`,
      name: managerNames[i % managerNames.length] + (i >= managerNames.length ? i + 1 : ''),
      role: 'customer_manager',
      territoryNames: names,
    });
  }
  out.push({ email: `analyst@${domain}`, name: '冯思琪', role: 'analyst', territoryNames: [] });
  return out;
}

export async function ensureDemoStaff(ctx: Ctx, raw: EnsureDemoStaffInput = {}): Promise<{ emailDomain: string; password: string; staff: DemoStaffMember[] }> {
  assertCan(ctx.actor, 'user.manage');
  assertCan(ctx.actor, 'settings.manage');
  const input = ensureDemoStaffInput.parse(raw);
  const orgId = ctx.actor.orgId;

  const takenElsewhere = async (domain: string) => {
    const emails = plan(input, domain).map((p) => p.email);
    const [row] = await ctx.db
      .select({ email: users.email })
      .from(users)
      .where(and(inArray(sql`lower(${users.email})`, emails), sql`${users.orgId} <> ${orgId}`))
      .limit(1);
    return row?.email;
  };
  let domain = input.emailDomain ?? DEFAULT_DEMO_DOMAIN;
  let clash = await takenElsewhere(domain);
  if (clash && !input.emailDomain) {
    // Another organization already has the kefu.local demo users: give this one its own subdomain.
    domain = `org-${orgId.replace(/-/g, '').slice(-8)}.${DEFAULT_DEMO_DOMAIN}`;
    clash = await takenElsewhere(domain);
  }
  if (clash) throw new Conflict('error.email_taken', { email: clash });

  const existingTerritories = await ctx.db
    .select({ id: territories.id, name: territories.name })
    .from(territories)
    .where(eq(territories.orgId, orgId));
  const territoryIds = new Map(existingTerritories.map((t) => [t.name, t.id]));
  for (const t of demoTerritories) {
    if (territoryIds.has(t.name)) continue;
    const created = await createTerritory(ctx, { name: t.name, regionCodes: [...t.regionCodes] });
    territoryIds.set(t.name, created.id);
  }

  const existingTeams = await ctx.db.select({ id: teams.id, name: teams.name }).from(teams).where(eq(teams.orgId, orgId));
  const teamIds = new Map(existingTeams.map((t) => [t.name, t.id]));
  for (const name of Object.values(DEMO_TEAMS)) {
    if (!teamIds.has(name)) teamIds.set(name, (await createTeam(ctx, { name })).id);
  }

  const planned = plan(input, domain);
  const existingUsers = await ctx.db
    .select({ email: users.email })
    .from(users)
    .where(and(eq(users.orgId, orgId), inArray(sql`lower(${users.email})`, planned.map((p) => p.email))));
  const existing = new Set(existingUsers.map((u) => u.email.toLowerCase()));
  const staff: DemoStaffMember[] = [];
  for (const p of planned) {
    const created = !existing.has(p.email);
    const team = teamOfRole[p.role] ?? null;
    if (created) {
      await createUser(ctx, {
        email: p.email,
        password: input.password,
        name: p.name,
        role: p.role,
        territoryIds: p.territoryNames.map((n) => territoryIds.get(n)!),
        teamId: team ? teamIds.get(team)! : null,
      });
    }
    staff.push({ email: p.email, name: p.name, role: p.role, created, territories: p.territoryNames, team });
  }
  return { emailDomain: domain, password: input.password, staff };
}
