// Fixtures for service desk tests: an organization (see seedOrg) with a settable clock, two customers
// (Guangdong, inside the customer manager's territory; Zhejiang, outside) and two teams.
import type { Db } from '../db/open.ts';
import { seedOrg, type OrgFixture } from '../db/test-fixtures.ts';
import { createCustomer } from '../customers/create-customer.ts';
import { newId } from '../platform/ids.ts';
import { teams, users } from '../platform/tables.ts';
import { eq } from 'drizzle-orm';

export interface ServiceFixture extends OrgFixture {
  clock: { now: Date };
  set(iso: string): void;
  advance(minutes: number): void;
  gdCustomerId: string;
  zjCustomerId: string;
  vipCustomerId: string;
  teamA: string;
  complaintsTeam: string;
}

export const T0 = '2026-03-02T01:00:00.000Z';

export async function seedService(db: Db, name: string): Promise<ServiceFixture> {
  const clock = { now: new Date(T0) };
  const org = await seedOrg(db, name, { now: () => clock.now });
  const admin = org.ctx.admin;
  const gd = await createCustomer(admin, { name: '张三', phones: ['13800000001'], districtCode: '440305' });
  const zj = await createCustomer(admin, { name: '李四', phones: ['13800000002'], districtCode: '330106' });
  const vip = await createCustomer(admin, { name: '王五', phones: ['13800000003'], districtCode: '440305', tags: ['vip'] });
  const teamA = newId();
  const complaintsTeam = newId();
  await db.insert(teams).values([
    { id: teamA, orgId: org.orgId, name: '售后一组' },
    { id: complaintsTeam, orgId: org.orgId, name: '投诉专员组' },
  ]);
  // The agent works in team A.
  await db.update(users).set({ teamId: teamA }).where(eq(users.id, org.userIds.agent));
  return {
    ...org,
    clock,
    set: (iso) => {
      clock.now = new Date(iso);
    },
    advance: (minutes) => {
      clock.now = new Date(clock.now.getTime() + minutes * 60_000);
    },
    gdCustomerId: gd.id,
    zjCustomerId: zj.id,
    vipCustomerId: vip.id,
    teamA,
    complaintsTeam,
  };
}

/** Minutes after T0 as an ISO string. */
export function at(minutes: number): string {
  return new Date(new Date(T0).getTime() + minutes * 60_000).toISOString();
}
