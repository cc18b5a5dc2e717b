// KPI days are the organization's (default Asia/Shanghai), resolved on the server: a call at 23:30 in
// Shanghai on day D is in day D, one at 00:10 the next morning in D + 1, whatever the caller's own clock.
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { describeDb } from '../db/test-harness.ts';
import { aggregateRange } from './aggregate-intervals.ts';
import { ingestCtiEvents } from './ingest-cti-events.ts';
import { contactCenterKpis } from './kpis.ts';
import { getOrgCalendar, resolveRange } from './org-calendar.ts';
import { seedCc } from './test-setup.ts';

describeDb('contact center: KPI days in the organization\'s time zone', (get) => {
  it('YYYY-MM-DD ranges and day rows follow Asia/Shanghai; another organization time zone moves them', async () => {
    const { db } = get();
    const f = await seedCc(db, 'CcKpiTz');
    const sup = f.ctx.supervisor;
    f.set('2026-03-03T02:00:00.000Z');
    const call = (id: string, at: string, agent: string) => [
      { eventId: `${id}-o`, callId: id, type: 'offered' as const, at, queue: 'front' },
      { eventId: `${id}-a`, callId: id, type: 'answered' as const, at: new Date(Date.parse(at) + 10_000).toISOString(), queue: 'front', agent },
      { eventId: `${id}-e`, callId: id, type: 'ended' as const, at: new Date(Date.parse(at) + 70_000).toISOString(), agent },
    ];
    await ingestCtiEvents(f.ctx.admin, { events: [
      ...call('LATE', '2026-03-02T15:30:00.000Z', '1001'), // 23:30 Shanghai, 2 March
      ...call('EARLY', '2026-03-02T16:10:00.000Z', '1001'), // 00:10 Shanghai, 3 March (2 March in UTC)
    ] });

    const days = async (source: 'raw' | 'aggregate', from: string, to: string) =>
      (await contactCenterKpis(sup, { from, to, groupBy: 'day', source })).rows.map((r) => [r.key, r.offered]);
    const agentOffered = async (source: 'raw' | 'aggregate', from: string, to: string) =>
      (await contactCenterKpis(sup, { from, to, groupBy: 'agent', source })).rows.find((r) => r.key === f.agent1001)?.offered ?? 0;

    // Range bounds resolved in SQL: 2 March in Shanghai is [1 March 16:00Z, 2 March 16:00Z).
    expect(await resolveRange(db, 'Asia/Shanghai', '2026-03-02', '2026-03-02')).toEqual({ from: '2026-03-01T16:00:00.000Z', to: '2026-03-02T16:00:00.000Z' });
    expect(await resolveRange(db, 'Asia/Shanghai', '2026-03-02T01:00:00.000Z', '2026-03-03')).toEqual({ from: '2026-03-02T01:00:00.000Z', to: '2026-03-03T16:00:00.000Z' });

    await aggregateRange(db, f.orgId, new Date('2026-03-01T00:00:00.000Z'), new Date('2026-03-04T00:00:00.000Z'), f.clock.now);
    for (const source of ['raw', 'aggregate'] as const) {
      expect(await days(source, '2026-03-02', '2026-03-02'), source).toEqual([['2026-03-02', 1]]);
      expect(await days(source, '2026-03-03', '2026-03-03'), source).toEqual([['2026-03-03', 1]]);
      expect(await days(source, '2026-03-01', '2026-03-03'), source).toEqual([['2026-03-02', 1], ['2026-03-03', 1]]);
      // Agent figures over a whole local day (the per-day table when aggregated) split the same way.
      expect(await agentOffered(source, '2026-03-02', '2026-03-02'), source).toBe(1);
      expect(await agentOffered(source, '2026-03-03', '2026-03-03'), source).toBe(1);
      // Intervals are local too: the late call is in the 23:00 hour of 2 March, Shanghai time.
      const hours = await contactCenterKpis(sup, { from: '2026-03-02', to: '2026-03-02', groupBy: 'interval', intervalMinutes: 60, source });
      expect(hours.rows.map((r) => [r.key, r.offered])).toEqual([['2026-03-02T15:00:00Z', 1]]);
      expect([hours.from, hours.to, hours.timezone]).toEqual(['2026-03-01T16:00:00.000Z', '2026-03-02T16:00:00.000Z', 'Asia/Shanghai']);
    }
    // Today and this week for the date pickers: 02:00Z on Tuesday 3 March is 10:00 in Shanghai.
    expect(await getOrgCalendar(sup)).toEqual({ timezone: 'Asia/Shanghai', today: '2026-03-03', weekStart: '2026-03-02' });
    f.set('2026-03-01T17:00:00.000Z'); // Monday 01:00 in Shanghai, still Sunday in UTC
    expect(await getOrgCalendar(f.ctx.agent)).toEqual({ timezone: 'Asia/Shanghai', today: '2026-03-02', weekStart: '2026-03-02' });
    await expect(getOrgCalendar(f.ctx.customer_manager)).rejects.toMatchObject({ code: 'forbidden' });

    // The organization's time zone decides, not a constant: in New York both calls are on 2 March.
    await db.execute(sql`UPDATE organizations SET timezone = 'America/New_York' WHERE id = ${f.orgId}`);
    await aggregateRange(db, f.orgId, new Date('2026-03-01T00:00:00.000Z'), new Date('2026-03-04T00:00:00.000Z'), f.clock.now);
    for (const source of ['raw', 'aggregate'] as const) {
      expect(await days(source, '2026-03-01', '2026-03-03'), source).toEqual([['2026-03-02', 2]]);
    }
  });
});
