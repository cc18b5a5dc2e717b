// For system jobs that act per organization at local times: every organization's id and IANA time
// zone, a page at a time (keyset by id).
import { asc, gt } from 'drizzle-orm';
import type { Db } from '../db/open.ts';
import { organizations } from './tables.ts';

export interface OrganizationZone {
  id: string;
  timezone: string;
}

export async function* organizationTimeZones(db: Db, pageSize = 500): AsyncGenerator<OrganizationZone[]> {
  let after: string | null = null;
  for (;;) {
    const q = db.select({ id: organizations.id, timezone: organizations.timezone }).from(organizations);
    const page: OrganizationZone[] = await (after ? q.where(gt(organizations.id, after)) : q).orderBy(asc(organizations.id)).limit(pageSize);
    if (page.length === 0) return;
    yield page;
    if (page.length < pageSize) return;
    after = page[page.length - 1].id;
  }
}
