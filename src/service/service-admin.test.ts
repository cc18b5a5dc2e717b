// The service desk's admin writes over HTTP: PATCH of SLA policies, escalation rules and service types —
// 200 with the new version and an audit entry, 409 with the current row on a stale version, 400 with field
// errors, 403 without service.manage; and what the edits change (a deactivated policy is no longer chosen).
import { and, eq } from 'drizzle-orm';
import pino from 'pino';
import { expect, it } from 'vitest';
import { describeDb } from '../db/test-harness.ts';
import { buildApp } from '../http/app.ts';
import { auditLog } from '../platform/tables.ts';
import { seedService } from './test-setup.ts';

const config = { sessionHours: 12, maxUploadBytes: 64 * 1024, loginRatePerMinute: 100, cookieSecure: false };

describeDb('service admin PATCH', (get) => {
  it('edits SLA policies, escalation rules and service types with versions, field errors, permissions and audit', async () => {
    const { db, database } = get();
    const f = await seedService(db, 'Admin');
    const app = await buildApp({ database, config, log: pino({ level: 'silent' }), webDir: null });
    try {
      const login = async (email: string) => (await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: f.password } })).json().token as string;
      const supervisor = await login(f.emails.supervisor);
      const agent = await login(f.emails.agent);
      const h = (token: string) => ({ authorization: `Bearer ${token}` });
      const audits = async (action: string) =>
        db.select().from(auditLog).where(and(eq(auditLog.orgId, f.orgId), eq(auditLog.action, action)));

      // ---- SLA policy
      const created = await app.inject({ method: 'POST', url: '/api/sla-policies', headers: h(supervisor), payload: { name: '标准', firstResponseMinutes: 60, resolutionMinutes: 240, calendar: '24x7' } });
      expect(created.statusCode).toBe(201);
      const policyId = created.json().id as string;
      const edited = await app.inject({
        method: 'PATCH', url: `/api/sla-policies/${policyId}`, headers: h(supervisor),
        payload: { version: 1, priorities: ['urgent'], tags: ['vip'], firstResponseMinutes: 30, resolutionMinutes: 120 },
      });
      expect(edited.statusCode).toBe(200);
      expect(edited.json()).toMatchObject({ id: policyId, name: '标准', priorities: ['urgent'], tags: ['vip'], firstResponseMinutes: 30, resolutionMinutes: 120, calendar: '24x7', active: true, version: 2 });
      const [a1] = await audits('sla_policy.update');
      expect(a1.entityId).toBe(policyId);
      expect(a1.data).toMatchObject({ version: 2, changes: { firstResponseMinutes: { before: 60, after: 30 }, priorities: { before: [], after: ['urgent'] } } });

      const stale = await app.inject({ method: 'PATCH', url: `/api/sla-policies/${policyId}`, headers: h(supervisor), payload: { version: 1, active: false } });
      expect(stale.statusCode).toBe(409);
      expect(stale.json()).toMatchObject({ code: 'conflict', current: { id: policyId, version: 2, active: true, firstResponseMinutes: 30 } });

      const badShape = await app.inject({ method: 'PATCH', url: `/api/sla-policies/${policyId}`, headers: h(supervisor), payload: { version: 2, firstResponseMinutes: 0, priorities: ['soon'] } });
      expect(badShape.statusCode).toBe(400);
      expect(badShape.json().fields.map((x: { path: string }) => x.path.replace(/^body\./, '')).sort()).toEqual(['firstResponseMinutes', 'priorities.0']);
      // Targets valid one by one, wrong together: resolution shorter than the first response it follows.
      const badRule = await app.inject({ method: 'PATCH', url: `/api/sla-policies/${policyId}`, headers: h(supervisor), payload: { version: 2, resolutionMinutes: 20 } });
      expect(badRule.statusCode).toBe(400);
      expect(badRule.json().fields).toEqual([{ path: 'resolutionMinutes', code: 'too_small', message: '解决时限不能早于首次响应时限' }]);
      const badCal = await app.inject({ method: 'PATCH', url: `/api/sla-policies/${policyId}`, headers: h(supervisor), payload: { version: 2, calendarId: '01900000-0000-7000-8000-000000000000' } });
      expect(badCal.json().fields).toMatchObject([{ path: 'calendarId', code: 'unknown_calendar' }]);

      const forbidden = await app.inject({ method: 'PATCH', url: `/api/sla-policies/${policyId}`, headers: h(agent), payload: { version: 2, active: false } });
      expect(forbidden.statusCode).toBe(403);

      // Deactivated, the policy is no longer chosen for a new urgent VIP order.
      const off = await app.inject({ method: 'PATCH', url: `/api/sla-policies/${policyId}`, headers: h(supervisor), payload: { version: 2, active: false } });
      expect(off.json()).toMatchObject({ active: false, version: 3 });
      const order = await app.inject({ method: 'POST', url: '/api/service-orders', headers: h(agent), payload: { type: 'repair', customerId: f.vipCustomerId, title: '不制冷', priority: 'urgent' } });
      expect(order.json().slaPolicyId).toBeNull();
      const on = await app.inject({ method: 'PATCH', url: `/api/sla-policies/${policyId}`, headers: h(supervisor), payload: { version: 3, active: true } });
      expect(on.json()).toMatchObject({ active: true, version: 4 });
      const order2 = await app.inject({ method: 'POST', url: '/api/service-orders', headers: h(agent), payload: { type: 'repair', customerId: f.vipCustomerId, title: '不制冷', priority: 'urgent' } });
      expect(order2.json().slaPolicyId).toBe(policyId);
      // 24x7: the first response is due 30 minutes after opening.
      expect(new Date(order2.json().firstResponseDueAt).getTime() - new Date(order2.json().createdAt).getTime()).toBe(30 * 60_000);
      // Nothing changed: same version, no audit entry.
      const same = await app.inject({ method: 'PATCH', url: `/api/sla-policies/${policyId}`, headers: h(supervisor), payload: { version: 4, active: true } });
      expect(same.json().version).toBe(4);
      expect((await audits('sla_policy.update')).length).toBe(3);
      // Two admins save the same version at once: one 200, one 409 carrying the winner's policy.
      const [c1, c2] = await Promise.all([
        app.inject({ method: 'PATCH', url: `/api/sla-policies/${policyId}`, headers: h(supervisor), payload: { version: 4, rank: 5 } }),
        app.inject({ method: 'PATCH', url: `/api/sla-policies/${policyId}`, headers: h(supervisor), payload: { version: 4, rank: 7 } }),
      ]);
      expect([c1.statusCode, c2.statusCode].sort()).toEqual([200, 409]);
      const [winner, loser] = c1.statusCode === 200 ? [c1, c2] : [c2, c1];
      expect(winner.json().version).toBe(5);
      expect(loser.json().current).toEqual(winner.json());
      expect((await app.inject({ method: 'PATCH', url: '/api/sla-policies/not-an-id', headers: h(supervisor), payload: { version: 1 } })).statusCode).toBe(404);

      // ---- Escalation rule
      const rule = await app.inject({
        method: 'POST', url: '/api/escalation-rules', headers: h(supervisor),
        payload: { name: '超时转组', onState: 'breached', target: 'resolution', action: 'reassign_team', targetTeamId: f.teamA },
      });
      expect(rule.statusCode).toBe(201);
      expect(rule.json().version).toBe(1);
      const ruleId = rule.json().id as string;
      const r2 = await app.inject({ method: 'PATCH', url: `/api/escalation-rules/${ruleId}`, headers: h(supervisor), payload: { version: 1, targetTeamId: f.complaintsTeam, level: 2, policyId } });
      expect(r2.statusCode).toBe(200);
      expect(r2.json()).toMatchObject({ targetTeamId: f.complaintsTeam, level: 2, policyId, version: 2, active: true });
      expect((await audits('escalation_rule.update'))[0].data).toMatchObject({ changes: { level: { before: 1, after: 2 } } });
      const r409 = await app.inject({ method: 'PATCH', url: `/api/escalation-rules/${ruleId}`, headers: h(supervisor), payload: { version: 1, active: false } });
      expect(r409.statusCode).toBe(409);
      expect(r409.json().current).toEqual(r2.json());
      // Switching to notify without a target, and reassigning to nobody: field errors on the merged rule.
      const r400 = await app.inject({ method: 'PATCH', url: `/api/escalation-rules/${ruleId}`, headers: h(supervisor), payload: { version: 2, targetTeamId: null } });
      expect(r400.statusCode).toBe(400);
      expect(r400.json().fields).toEqual([{ path: 'targetTeamId', code: 'required', message: '“转派班组”需要选择班组' }]);
      const rUnknown = await app.inject({ method: 'PATCH', url: `/api/escalation-rules/${ruleId}`, headers: h(supervisor), payload: { version: 2, action: 'notify', targetTeamId: null, targetUserId: '01900000-0000-7000-8000-000000000000' } });
      expect(rUnknown.json().fields).toMatchObject([{ path: 'targetUserId', code: 'unknown_user' }]);
      const rZod = await app.inject({ method: 'PATCH', url: `/api/escalation-rules/${ruleId}`, headers: h(supervisor), payload: { version: 2, level: 12 } });
      expect(rZod.statusCode).toBe(400);
      expect(rZod.json().fields.map((x: { path: string }) => x.path.replace(/^body\./, ''))).toEqual(['level']);
      expect((await app.inject({ method: 'PATCH', url: `/api/escalation-rules/${ruleId}`, headers: h(agent), payload: { version: 2, active: false } })).statusCode).toBe(403);
      const rOff = await app.inject({ method: 'PATCH', url: `/api/escalation-rules/${ruleId}`, headers: h(supervisor), payload: { version: 2, active: false } });
      expect(rOff.json()).toMatchObject({ active: false, version: 3 });

      // ---- Service types: a built-in one (version 0 until first saved) and a custom one.
      const list0 = (await app.inject({ method: 'GET', url: '/api/service-types', headers: h(agent) })).json().items as { key: string; version: number; callbackDelayMinutes: number | null }[];
      expect(list0.find((s) => s.key === 'repair')).toMatchObject({ version: 0, builtin: true, active: true });
      const repair = await app.inject({ method: 'PATCH', url: '/api/service-types/repair', headers: h(supervisor), payload: { version: 0, callbackDelayMinutes: 2880 } });
      expect(repair.statusCode).toBe(200);
      expect(repair.json()).toMatchObject({ key: 'repair', labelZh: '维修', callbackDelayMinutes: 2880, builtin: true, version: 1 });
      const repairStale = await app.inject({ method: 'PATCH', url: '/api/service-types/repair', headers: h(supervisor), payload: { version: 0, callbackDelayMinutes: 60 } });
      expect(repairStale.statusCode).toBe(409);
      expect(repairStale.json().current).toMatchObject({ callbackDelayMinutes: 2880, version: 1 });
      const repairOff = await app.inject({ method: 'PATCH', url: '/api/service-types/repair', headers: h(supervisor), payload: { version: 1, active: false } });
      expect(repairOff.statusCode).toBe(400);
      expect(repairOff.json().fields).toMatchObject([{ path: 'active', code: 'builtin_always_active' }]);

      const custom = await app.inject({ method: 'POST', url: '/api/service-types', headers: h(supervisor), payload: { key: 'inspection', labelZh: '巡检', labelEn: 'Inspection', callbackDelayMinutes: null } });
      expect(custom.json()).toMatchObject({ key: 'inspection', version: 1, active: true });
      const labelBad = await app.inject({ method: 'PATCH', url: '/api/service-types/inspection', headers: h(supervisor), payload: { version: 1, labelZh: '', callbackDelayMinutes: -5 } });
      expect(labelBad.statusCode).toBe(400);
      expect(labelBad.json().fields.map((x: { path: string }) => x.path.replace(/^body\./, '')).sort()).toEqual(['callbackDelayMinutes', 'labelZh']);
      expect((await app.inject({ method: 'PATCH', url: '/api/service-types/inspection', headers: h(agent), payload: { version: 1, active: false } })).statusCode).toBe(403);
      const customOff = await app.inject({ method: 'PATCH', url: '/api/service-types/inspection', headers: h(supervisor), payload: { version: 1, active: false, labelZh: '设备巡检' } });
      expect(customOff.json()).toMatchObject({ key: 'inspection', labelZh: '设备巡检', active: false, version: 2 });
      // Inactive: gone from the work list (and refused for new orders), still on the admin list.
      const listed = (await app.inject({ method: 'GET', url: '/api/service-types', headers: h(agent) })).json().items as { key: string }[];
      expect(listed.map((s) => s.key)).not.toContain('inspection');
      const all = (await app.inject({ method: 'GET', url: '/api/service-types?includeInactive=true', headers: h(supervisor) })).json().items as { key: string; active: boolean }[];
      expect(all.find((s) => s.key === 'inspection')).toMatchObject({ active: false });
      const refused = await app.inject({ method: 'POST', url: '/api/service-orders', headers: h(agent), payload: { type: 'inspection', customerId: f.gdCustomerId, title: '巡检' } });
      expect(refused.statusCode).toBe(400);
      expect((await app.inject({ method: 'PATCH', url: '/api/service-types/nosuch', headers: h(supervisor), payload: { version: 0 } })).statusCode).toBe(404);
      expect((await audits('service_type.update')).length).toBe(2);
    } finally {
      await app.close();
    }
  });
});
