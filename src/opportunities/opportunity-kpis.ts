// Service marketing KPIs for a range of months (organization time zone), all aggregated in SQL:
// needs found per staff member and what became of them (win rate = won / (won + lost), conversion =
// won / all needs found), commissions per staff member, and commission totals per month.
import { sql } from 'drizzle-orm';
import { rows } from '../db/open.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { customerInScope } from './opportunity-store.ts';
import { kpiQuery, type KpiOutput, type KpiQuery } from './schemas.ts';

const ratio = (a: number, b: number): number | null => (b > 0 ? Math.round((a / b) * 10_000) / 10_000 : null);

export async function opportunityKpis(ctx: Ctx, raw: KpiQuery): Promise<KpiOutput> {
  assertCan(ctx.actor, 'commission.read_all');
  const q = kpiQuery.parse(raw);
  const orgId = ctx.actor.orgId;
  const needs = await rows<{ staff_id: string; name: string | null; needs: string | number; won: string | number; lost: string | number }>(
    ctx.db,
    sql`WITH b AS (
        SELECT ((${q.from} || '-01')::timestamp AT TIME ZONE org.timezone) AS lo,
               (((${q.to} || '-01')::date + interval '1 month')::timestamp AT TIME ZONE org.timezone) AS hi
        FROM organizations org WHERE org.id = ${orgId})
      SELECT n.found_by AS staff_id, u.name, count(*) AS needs,
        count(*) FILTER (WHERE o.stage = 'won') AS won, count(*) FILTER (WHERE o.stage = 'lost') AS lost
      FROM b, latent_needs n
      JOIN opportunities o ON o.need_id = n.id
      LEFT JOIN users u ON u.id = n.found_by
      WHERE n.org_id = ${orgId} AND n.found_by IS NOT NULL AND n.created_at >= b.lo AND n.created_at < b.hi
        AND ${customerInScope(ctx.actor, sql`n.customer_id`)}
      GROUP BY n.found_by, u.name`,
  );
  const ledgerScope = customerInScope(ctx.actor, sql`(SELECT o.customer_id FROM opportunities o WHERE o.id = l.opportunity_id)`);
  const perStaff = await rows<{ staff_id: string; name: string | null; currency: string; net: string | number }>(
    ctx.db,
    sql`SELECT l.staff_id, u.name, l.currency, sum(l.amount_minor) AS net
      FROM commission_ledger l LEFT JOIN users u ON u.id = l.staff_id
      WHERE l.org_id = ${orgId} AND l.month >= ${q.from} AND l.month <= ${q.to} AND ${ledgerScope}
      GROUP BY l.staff_id, u.name, l.currency ORDER BY l.currency`,
  );
  const months = await rows<{ month: string; currency: string; earned: string | number; reversed: string | number; net: string | number }>(
    ctx.db,
    sql`SELECT l.month, l.currency,
        COALESCE(sum(l.amount_minor) FILTER (WHERE l.kind = 'earned'), 0) AS earned,
        COALESCE(sum(-l.amount_minor) FILTER (WHERE l.kind = 'reversed'), 0) AS reversed,
        sum(l.amount_minor) AS net
      FROM commission_ledger l
      WHERE l.org_id = ${orgId} AND l.month >= ${q.from} AND l.month <= ${q.to} AND ${ledgerScope}
      GROUP BY l.month, l.currency ORDER BY l.month, l.currency`,
  );
  const staff = new Map<string, KpiOutput['staff'][number]>();
  const entry = (id: string, name: string | null) => {
    let s = staff.get(id);
    if (!s) {
      s = { staffId: id, staffName: name, needsFound: 0, won: 0, lost: 0, open: 0, winRate: null, conversionRate: null, commissions: [] };
      staff.set(id, s);
    }
    return s;
  };
  for (const r of needs) {
    const s = entry(r.staff_id, r.name);
    s.needsFound = Number(r.needs);
    s.won = Number(r.won);
    s.lost = Number(r.lost);
    s.open = s.needsFound - s.won - s.lost;
    s.winRate = ratio(s.won, s.won + s.lost);
    s.conversionRate = ratio(s.won, s.needsFound);
  }
  for (const r of perStaff) entry(r.staff_id, r.name).commissions.push({ currency: r.currency, netMinor: Number(r.net) });
  return {
    from: q.from,
    to: q.to,
    staff: [...staff.values()].sort((a, b) => b.needsFound - a.needsFound || (a.staffName ?? '').localeCompare(b.staffName ?? '') || a.staffId.localeCompare(b.staffId)),
    months: months.map((m) => ({ month: m.month, currency: m.currency, earnedMinor: Number(m.earned), reversedMinor: Number(m.reversed), netMinor: Number(m.net) })),
  };
}
