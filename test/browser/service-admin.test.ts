// The service desk's admin screens in a browser: create an SLA policy (a field error first), see it listed,
// edit it, meet a 409 when someone else saved first; then the KPI dashboard draws its charts with the numbers
// of the orders opened through the API.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, startServer, type BrowserTestServer, apiLogin, apiRequest, testPort } from './harness.ts';

const root = path.resolve(import.meta.dirname, '../..');
const port = testPort(3700, 200);
const base = `http://127.0.0.1:${port}`;
const admin = { email: 'admin@kefu.local', password: 'browser-test-3' };

let server: BrowserTestServer | undefined;
let browser: Browser | undefined;
let token = '';

async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  return apiRequest<T>(base, token, method, url, body);
}

beforeAll(async () => {
  server = await startServer({ port, admin, demo: false, name: 'service-admin' });
  token = await apiLogin(base, admin);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

interface Policy { id: string; name: string; version: number; firstResponseMinutes: number; priorities: string[]; rank: number }

describe('browser: service settings and KPI dashboard', () => {
  it('creates and edits an SLA policy, shows field errors and the 409, and draws the KPI charts', async () => {
    const page: Page = await browser!.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    await page.goto(base);
    await page.evaluate(() => localStorage.setItem('kefu.lang', 'zh-CN'));
    await page.reload();
    await page.getByTestId('login-email').fill(admin.email);
    await page.getByTestId('login-password').fill(admin.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('customer-search').waitFor();

    // 1. Create: a resolution target shorter than the first response is refused next to the field.
    await page.goto(`${base}/service-settings`);
    await page.getByTestId('sla-new').click();
    await page.getByTestId('sla-name').fill('VIP 加急');
    await page.getByTestId('sla-priorities').getByLabel('紧急').check();
    await page.getByTestId('sla-tags').fill('VIP');
    await page.getByTestId('sla-first').fill('30');
    await page.getByTestId('sla-resolution').fill('20');
    await page.getByTestId('sla-save').click();
    await page.getByTestId('field-error-resolutionMinutes').waitFor();
    await page.getByTestId('sla-resolution').fill('240');
    await page.getByTestId('sla-save').click();
    const row = page.getByTestId('sla-row').filter({ hasText: 'VIP 加急' });
    await row.waitFor();
    expect(await row.getByTestId('sla-row-first').textContent()).toBe('30 分钟');
    const created = (await api<{ items: Policy[] }>('GET', '/api/sla-policies')).items.find((p) => p.name === 'VIP 加急')!;
    expect(created).toMatchObject({ version: 1, firstResponseMinutes: 30, priorities: ['urgent'], tags: ['VIP'], resolutionMinutes: 240 });

    // 2. Edit it: 45 minutes to first response.
    await row.click();
    await page.getByTestId('sla-first').fill('45');
    await page.getByTestId('sla-save').click();
    await expect.poll(() => row.getByTestId('sla-row-first').textContent()).toBe('45 分钟');
    const edited = (await api<{ items: Policy[] }>('GET', '/api/sla-policies')).items.find((p) => p.id === created.id)!;
    expect(edited).toMatchObject({ version: 2, firstResponseMinutes: 45 });

    // 3. Someone else saves while the dialog is open: a clear 409 message; saving again wins.
    await row.click();
    await api('PATCH', `/api/sla-policies/${created.id}`, { version: 2, rank: 10 });
    await page.getByTestId('sla-first').fill('50');
    await page.getByTestId('sla-save').click();
    await page.getByTestId('conflict-alert').waitFor();
    expect(await page.getByTestId('conflict-alert').textContent()).toContain('已被其他人修改');
    expect(await page.getByTestId('sla-row').filter({ hasText: 'VIP 加急' }).count()).toBe(1);
    await page.getByTestId('sla-save').click();
    await expect.poll(() => row.getByTestId('sla-row-first').textContent()).toBe('50 分钟');
    // Only the changed field was sent again: the other person's rank stays.
    expect((await api<{ items: Policy[] }>('GET', '/api/sla-policies')).items.find((p) => p.id === created.id)).toMatchObject({ version: 4, firstResponseMinutes: 50, rank: 10 });
    await page.screenshot({ path: path.join(root, 'docs', 'screenshot-service-settings.png') });

    // 4. Three orders through the API (one resolved at first contact), then the dashboard.
    const customer = await api<{ id: string }>('POST', '/api/customers', { name: '周晓明', phones: ['13912340001'], tags: ['VIP'] });
    const me = await api<{ user: { id: string } }>('GET', '/api/auth/me');
    const ids: string[] = [];
    for (const [title, priority] of [['空调漏水', 'urgent'], ['洗衣机异响', 'normal'], ['安装预约', 'low']] as const) {
      ids.push((await api<{ id: string }>('POST', '/api/service-orders', { type: 'repair', customerId: customer.id, title, priority, assigneeUserId: me.user.id })).id);
    }
    await api('POST', `/api/service-orders/${ids[0]}/transitions`, { to: 'resolved', version: 1, resolution: '更换排水管', firstContactResolved: true });

    await page.goto(`${base}/service-kpis`);
    await page.getByTestId('kpi-rates-chart').locator('canvas').waitFor();
    await page.getByTestId('kpi-backlog-chart').locator('canvas').waitFor();
    await expect.poll(() => page.getByTestId('kpi-created').locator('.stat-value').textContent()).toBe('3');
    expect(await page.getByTestId('kpi-backlog').locator('.stat-value').textContent()).toBe('2');
    // By person: one row for the admin and the total.
    await page.getByTestId('kpi-group-assignee').click();
    await expect.poll(() => page.getByTestId('kpi-row').count()).toBe(2);
    // Regrouping refetches and redraws the chart: wait for its canvas to be back before measuring it.
    const canvas = page.getByTestId('kpi-backlog-chart').locator('canvas').first();
    await canvas.waitFor({ state: 'visible' });
    await expect.poll(async () => (await canvas.boundingBox())?.width ?? 0).toBeGreaterThan(200);
    // The chart is drawn: the canvas has non-blank pixels.
    const painted = () =>
      canvas.evaluate((c: HTMLCanvasElement) => {
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
        return n;
      });
    await expect.poll(painted).toBeGreaterThan(500);
    await page.screenshot({ path: path.join(root, 'docs', 'screenshot-service-kpis.png'), fullPage: true });
    await page.close();
  });

  it('edits escalation rules, service types, a business calendar, desk settings, commission rules and pipeline settings', async () => {
    const team = await api<{ id: string }>('POST', '/api/teams', { name: '投诉专员组' });
    const page: Page = await browser!.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    await page.goto(base);
    await page.evaluate(() => localStorage.setItem('kefu.lang', 'zh-CN'));
    await page.reload();
    await page.getByTestId('login-email').fill(admin.email);
    await page.getByTestId('login-password').fill(admin.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('customer-search').waitFor();

    // Escalation: reassigning needs a team (field error), then with the team.
    await page.goto(`${base}/service-settings?tab=escalation`);
    await page.getByTestId('esc-new').click();
    await page.getByTestId('esc-name').fill('超时转投诉组');
    await page.getByTestId('esc-action').selectOption('reassign_team');
    await page.getByTestId('esc-save').click();
    await page.getByTestId('field-error-targetTeamId').waitFor();
    await page.getByTestId('esc-team').selectOption(team.id);
    await page.getByTestId('esc-save').click();
    await page.getByTestId('esc-row').filter({ hasText: '超时转投诉组' }).filter({ hasText: '投诉专员组' }).waitFor();

    // A built-in type's callback delay.
    await page.getByTestId('settings-tab-types').click();
    await page.getByTestId('type-row').filter({ hasText: 'repair' }).click();
    await page.getByTestId('type-delay').fill('2880');
    await page.getByTestId('type-save').click();
    await page.getByTestId('type-row').filter({ hasText: 'repair' }).filter({ hasText: '2 天' }).waitFor();
    const types = await api<{ items: { key: string; callbackDelayMinutes: number | null; version: number }[] }>('GET', '/api/service-types');
    expect(types.items.find((x) => x.key === 'repair')).toMatchObject({ callbackDelayMinutes: 2880, version: 1 });

    // An organization's own type: created with both labels, then switched off (built-in ones have no switch).
    await page.getByTestId('type-new').click();
    await page.getByTestId('type-key').fill('inspection');
    await page.getByTestId('type-label-zh').fill('巡检');
    await page.getByTestId('type-label-en').fill('Inspection');
    await page.getByTestId('type-save').click();
    const custom = page.getByTestId('type-row').filter({ hasText: 'inspection' });
    await custom.filter({ hasText: '巡检' }).waitFor();
    await custom.click();
    await page.getByRole('dialog').getByLabel('启用').uncheck();
    await page.getByTestId('type-save').click();
    await custom.filter({ hasText: '停用' }).waitFor();
    const all = await api<{ items: { key: string; labelEn: string; active: boolean; version: number }[] }>('GET', '/api/service-types?includeInactive=true');
    expect(all.items.find((x) => x.key === 'inspection')).toMatchObject({ labelEn: 'Inspection', active: false, version: 2 });

    // The default calendar: Saturday mornings open; a bad span is refused beside the day.
    await page.getByTestId('settings-tab-calendars').click();
    await page.getByTestId('cal-day-6').fill('12:00-09:00');
    await page.getByTestId('cal-save').click();
    await page.getByTestId('field-error-week.6').waitFor();
    await page.getByTestId('cal-day-6').fill('09:00-12:00');
    await page.getByTestId('cal-save').click();
    await expect
      .poll(async () => (await api<{ week: { start: string; end: string }[][] }>('GET', '/api/settings/business-calendars/default')).week[6])
      .toEqual([{ start: '09:00', end: '12:00' }]);
    await page.getByTestId('cal-effective').waitFor();

    // Callback and complaint settings.
    await page.getByTestId('settings-tab-desk').click();
    await page.getByTestId('desk-team').selectOption(team.id);
    await page.getByTestId('desk-attempts').fill('5');
    await page.getByTestId('desk-save').click();
    await expect.poll(async () => (await api<{ callbackMaxAttempts: number; complaintTeamId: string }>('GET', '/api/service-settings')).callbackMaxAttempts).toBe(5);

    // Commission rules: 2.5 % of any category.
    await page.goto(`${base}/commission-rules`);
    await page.getByTestId('crule-new').click();
    await page.getByTestId('crule-name').fill('标准提成');
    await page.getByTestId('crule-percent').fill('2.5');
    await page.getByTestId('crule-save').click();
    await page.getByTestId('crule-row').filter({ hasText: '2.5%' }).waitFor();
    const rules = await api<{ items: { name: string; basisPoints: number | null }[] }>('GET', '/api/commission-rules');
    expect(rules.items).toMatchObject([{ name: '标准提成', basisPoints: 250 }]);

    // Edited to a fixed amount: yuan typed, minor units stored, the percentage dropped.
    await page.getByTestId('crule-row').filter({ hasText: '标准提成' }).click();
    await page.getByTestId('crule-kind').selectOption('fixed');
    await page.getByRole('dialog').getByLabel('每单金额（元）').fill('88.50');
    await page.getByTestId('crule-save').click();
    await page.getByTestId('crule-row').filter({ hasText: '88.50' }).waitFor();
    expect((await api<{ items: unknown[] }>('GET', '/api/commission-rules')).items).toMatchObject([{ kind: 'fixed', fixedMinor: 8850, currency: 'CNY', basisPoints: null, version: 2 }]);

    // Someone else raises its priority while the dialog is open: the 409, then saving again keeps their priority.
    const rule = (await api<{ items: { id: string }[] }>('GET', '/api/commission-rules')).items[0];
    await page.getByTestId('crule-row').filter({ hasText: '标准提成' }).click();
    await api('PATCH', `/api/commission-rules/${rule.id}`, { version: 2, priority: 7 });
    await page.getByTestId('crule-name').fill('标准提成（固定）');
    await page.getByTestId('crule-save').click();
    await page.getByTestId('conflict-alert').waitFor();
    await page.getByTestId('crule-save').click();
    await page.getByTestId('crule-row').filter({ hasText: '标准提成（固定）' }).waitFor();
    expect((await api<{ items: unknown[] }>('GET', '/api/commission-rules')).items).toMatchObject([{ name: '标准提成（固定）', priority: 7, fixedMinor: 8850, version: 4 }]);

    // Pipeline settings: a negative follow-up is refused beside its grade, then saved.
    await page.getByTestId('pipeline-days-B').fill('-1');
    await page.getByTestId('pipeline-save').click();
    await page.getByTestId('field-error-followUpDays.B').waitFor();
    await page.getByTestId('pipeline-days-B').fill('5');
    await page.getByTestId('pipeline-save').click();
    await expect.poll(async () => (await api<{ followUpDays: { B: number } }>('GET', '/api/opportunity-settings')).followUpDays.B).toBe(5);
    await page.close();
  });
});
