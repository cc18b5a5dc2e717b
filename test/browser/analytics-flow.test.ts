// Customer value as a person uses it: open the RFM view of the first-start demo, drill into 重要挽留客户,
// open one of them and see their CLV and service tier on the customer file. Saves the analytics screenshot.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, startServer, type BrowserTestServer, apiLogin, apiRequest, testPort } from './harness.ts';

const root = path.resolve(import.meta.dirname, '../..');
const port = testPort(3300, 200);
const base = `http://127.0.0.1:${port}`;
const admin = { email: 'admin@kefu.local', password: 'browser-test-3' };

let server: BrowserTestServer | undefined;
let browser: Browser | undefined;
let token = '';
let page: Page | undefined;

async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  return apiRequest<T>(base, token, method, url, body);
}

interface RfmSummary {
  classes: { rfmClass: string; name: string; customers: number }[];
  scoredCustomers: number;
}
interface SettingsState {
  settings: { rfmWindowDays: number; classNames: Record<string, unknown>; keyAccounts: { topShare: number }; clv: { horizonWeeks: number } } & Record<string, unknown>;
  version: number;
}
interface ValuePanel {
  rfm: { rfmClass: string; className: string } | null;
  clv: { clvMinor: number | null; pAlive: number | null } | null;
  tier: { name: string; code: string } | null;
}

beforeAll(async () => {
  server = await startServer({ port, admin, demo: true, name: 'analytics' });
  token = await apiLogin(base, admin);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('browser: customer value analytics', () => {
  it('opens the RFM view, drills into 重要挽留客户, opens a customer and sees their CLV and tier', async () => {
    // The first start computed the classes; the demo gives 重要挽留客户 their own segment and tier (挽留关怀).
    const rfm = await api<RfmSummary>('GET', '/api/analytics/rfm');
    expect(rfm.scoredCustomers).toBeGreaterThan(0);
    const winBack = rfm.classes.find((c) => c.rfmClass === 'important_win_back');
    expect(winBack?.customers ?? 0).toBeGreaterThan(0);

    page = await browser!.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' });
    const p = page;
    await p.goto(base);
    await p.evaluate(() => localStorage.setItem('kefu.lang', 'zh-CN'));
    await p.reload();
    await p.getByTestId('login-email').fill(admin.email);
    await p.getByTestId('login-password').fill(admin.password);
    await p.getByTestId('login-submit').click();
    await p.getByTestId('customer-search').waitFor();

    // The section is in the sidebar; its page (and ECharts) loads on first visit.
    await p.locator('a[href="/analytics"]').first().click();
    const row = p.getByTestId('rfm-class-important_win_back');
    await row.waitFor();
    await expect.poll(() => row.textContent()).toContain('重要挽留客户');
    await p.getByTestId('rfm-treemap').locator('canvas').first().waitFor();
    await p.getByTestId('pareto-top-share').waitFor();
    await p.waitForTimeout(800); // chart animations settle before the screenshot
    await p.screenshot({ path: path.join(root, 'docs', 'screenshot-analytics.png'), fullPage: true });

    // Drill down: the ordinary customer list, filtered to the class (a removable chip), every row in it.
    await row.click();
    await expect.poll(() => new URL(p.url()).pathname).toBe('/customers');
    await expect.poll(() => new URL(p.url()).searchParams.get('rfmClass')).toBe('important_win_back');
    await expect.poll(() => p.getByTestId('drill-chip').first().textContent()).toContain('重要挽留客户');
    const rows = p.getByTestId('customer-row');
    await rows.first().waitFor();
    await expect.poll(() => rows.getByTestId('customer-rfm-class').count()).toBe(await rows.count());
    const classes = await rows.getByTestId('customer-rfm-class').allTextContents();
    // The list is virtualized: the rows on screen, at most the class's customers.
    expect(classes.length).toBeGreaterThan(0);
    expect(classes.length).toBeLessThanOrEqual(winBack!.customers);
    expect(classes.every((c) => c.includes('重要挽留客户'))).toBe(true);
    const listed = await api<{ items: { value: { rfmClass: string } | null }[] }>('GET', '/api/customers?rfmClass=important_win_back&limit=200');
    expect(listed.items.length).toBe(Math.min(200, winBack!.customers));
    expect(listed.items.every((c) => c.value?.rfmClass === 'important_win_back')).toBe(true);

    // Open the first one: the value panel shows the class, CLV, P(alive) and the tier.
    const name = (await rows.first().locator('.strong').first().textContent())?.trim() ?? '';
    await rows.first().click();
    await expect.poll(() => p.getByTestId('customer-name').textContent()).toContain(name);
    const id = new URL(p.url()).pathname.split('/').pop() ?? '';
    const value = await api<ValuePanel>('GET', `/api/customers/${id}/value`);
    expect(value.rfm?.rfmClass).toBe('important_win_back');
    expect(value.tier).not.toBeNull();
    expect(value.clv?.clvMinor).not.toBeNull();

    const panel = p.getByTestId('value-panel');
    await panel.waitFor();
    await expect.poll(() => p.getByTestId('value-rfm-class').textContent()).toContain('重要挽留客户');
    await expect.poll(() => p.getByTestId('value-tier').textContent()).toContain(value.tier!.name);
    const clvText = (await p.getByTestId('value-clv').textContent()) ?? '';
    expect(clvText).toMatch(/¥[\d,]+\.\d\d/);
    expect(Number(clvText.replace(/[^\d.]/g, ''))).toBeCloseTo(value.clv!.clvMinor! / 100, 2);
    expect(await p.getByTestId('value-palive').textContent()).toBe(`${(value.clv!.pAlive! * 100).toFixed(1)}%`);
  });

  it('builds a segment in the editor with a live count, saves and materializes it', async () => {
    const p = page!;
    const rule = { all: [{ field: 'rfmClass', op: 'eq', value: 'important_win_back' }, { field: 'provinceCode', op: 'in', value: ['320000', '440000', '510000'] }] };
    const expected = await api<{ count: number }>('POST', '/api/analytics/segments/preview', { rule, limit: 0 });
    const classOnly = await api<{ count: number }>('POST', '/api/analytics/segments/preview', { rule: { all: [rule.all[0]] }, limit: 0 });
    expect(classOnly.count).toBeGreaterThan(expected.count);

    await p.locator('a[href="/analytics"]').first().click();
    await p.getByTestId('analytics-tab-segments').click();
    await p.getByTestId('segment-new').click();
    await p.getByTestId('segment-name').fill('江苏广东四川重要挽留');
    await p.getByTestId('rule-value').first().selectOption('important_win_back');
    await expect.poll(() => p.getByTestId('segment-preview-count').textContent(), { timeout: 15_000 }).toBe(String(classOnly.count));
    await p.getByTestId('rule-add').click();
    const second = p.getByTestId('rule-row').nth(1);
    await second.getByTestId('rule-op').selectOption('in');
    await second.locator('input').fill('320000, 440000，510000');
    await expect.poll(() => p.getByTestId('segment-preview-count').textContent(), { timeout: 15_000 }).toBe(String(expected.count));

    await p.getByTestId('segment-save').click();
    await p.getByTestId('segment-item').filter({ hasText: '江苏广东四川重要挽留' }).waitFor();
    await p.getByTestId('segment-materialize').click();
    await p.locator('.alert-success').waitFor();
    const segments = await api<{ items: { name: string; rule: unknown; memberCount: number }[] }>('GET', '/api/analytics/segments');
    const saved = segments.items.find((x) => x.name === '江苏广东四川重要挽留');
    expect(saved?.rule).toEqual(rule);
    expect(saved?.memberCount).toBe(expected.count);
  });

  it('shows amounts in the configured currency and says how many orders in other currencies were left out', async () => {
    const p = page!;
    // The demo's orders are in CNY: with USD configured, the Pareto view has nothing to rank and says why.
    const s = await api<{ settings: Record<string, unknown>; version: number }>('GET', '/api/analytics/settings');
    await api('PUT', '/api/analytics/settings', { settings: { ...s.settings, currency: 'USD' }, version: s.version });
    try {
      const pareto = await api<{ currency: string; customers: number; excludedOrders: number; excludedCustomers: number }>('GET', '/api/analytics/pareto');
      expect(pareto).toMatchObject({ currency: 'USD', customers: 0 });
      expect(pareto.excludedOrders).toBeGreaterThan(0);
      await p.goto(`${base}/analytics`);
      const note = p.getByTestId('pareto-panel').getByTestId('excluded-note');
      await note.waitFor();
      const text = (await note.textContent()) ?? '';
      expect(text).toContain('仅统计 USD 订单');
      expect(text.replace(/,/g, '')).toContain(`另有 ${pareto.excludedOrders} 笔其他币种订单未计入`);
      expect(text.replace(/,/g, '')).toContain(`其中 ${pareto.excludedCustomers} 位客户`);
    } finally {
      const now = await api<{ settings: Record<string, unknown>; version: number }>('GET', '/api/analytics/settings');
      await api('PUT', '/api/analytics/settings', { settings: { ...now.settings, currency: 'CNY' }, version: now.version });
    }
  });

  it('edits the analytics settings on their screen: a renamed class shows in the RFM view, bad values and a 409 are explained', async () => {
    const p = page!;
    // The currency test's switch back to CNY recomputes the classes in a job: wait until they are back.
    await expect
      .poll(async () => (await api<RfmSummary>('GET', '/api/analytics/rfm')).classes.find((c) => c.rfmClass === 'important_win_back')?.customers ?? 0, { timeout: 60_000 })
      .toBeGreaterThan(0);
    const before = await api<SettingsState>('GET', '/api/analytics/settings');
    try {
      // The RFM view first, so its data is cached: the save must make it refetch.
      await p.goto(`${base}/analytics`);
      const row = p.getByTestId('rfm-class-important_win_back');
      await expect.poll(() => row.textContent()).toContain('重要挽留客户');
      await p.getByTestId('analytics-tab-settings').click();
      const windowDays = p.getByTestId('settings-window-days');
      await expect.poll(() => windowDays.inputValue()).toBe(String(before.settings.rfmWindowDays));
      // Fractions are shown as percentages.
      expect(await p.getByTestId('settings-top-share').inputValue()).toBe(String(Number((before.settings.keyAccounts.topShare * 100).toFixed(6))));

      // Bad values: each server error beside its own field, nothing saved.
      await windowDays.fill('3');
      await p.getByTestId('settings-currency').selectOption('other');
      await p.getByTestId('settings-currency-code').fill('ABC');
      await p.getByTestId('analytics-settings-save').click();
      await p.getByTestId('field-error-settings.rfmWindowDays').waitFor();
      await p.getByTestId('field-error-settings.currency').waitFor();
      expect((await api<SettingsState>('GET', '/api/analytics/settings')).version).toBe(before.version);

      // Fixed, with the class renamed and the key-account share at 25%: saved whole, the other fields as they were.
      await windowDays.fill(String(before.settings.rfmWindowDays));
      await p.getByTestId('settings-currency').selectOption('CNY');
      await p.getByTestId('settings-class-important_win_back-zh-CN').fill('重点挽回客户');
      await p.getByTestId('settings-top-share').fill('25');
      await p.getByTestId('analytics-settings-save').click();
      await p.locator('.analytics-settings .alert-success').waitFor();
      expect(await p.getByTestId('field-error-settings.rfmWindowDays').count()).toBe(0);
      const saved = await api<SettingsState>('GET', '/api/analytics/settings');
      expect(saved.version).toBe(before.version + 1);
      expect(saved.settings).toEqual({
        ...before.settings,
        classNames: { ...before.settings.classNames, important_win_back: { ...(before.settings.classNames.important_win_back as object | undefined), 'zh-CN': '重点挽回客户' } },
        keyAccounts: { ...before.settings.keyAccounts, topShare: 0.25 },
      });

      // The RFM view (same page, no reload) shows the organization's name.
      await p.getByTestId('analytics-tab-rfm').click();
      await expect.poll(() => p.getByTestId('rfm-class-important_win_back').textContent()).toContain('重点挽回客户');

      // Someone else saves meanwhile: the screen says so and shows their values.
      await p.getByTestId('analytics-tab-settings').click();
      await expect.poll(() => p.getByTestId('settings-top-share').inputValue()).toBe('25');
      await api('PUT', '/api/analytics/settings', { settings: { ...saved.settings, rfmWindowDays: 180 }, version: saved.version });
      await p.getByTestId('settings-horizon').fill('26');
      await p.getByTestId('analytics-settings-save').click();
      await p.getByTestId('conflict-alert').waitFor();
      expect(await p.getByTestId('conflict-alert').textContent()).toContain('表单已重新加载为最新的值');
      await expect.poll(() => p.getByTestId('settings-window-days').inputValue()).toBe('180');
      expect(await p.getByTestId('settings-horizon').inputValue()).toBe(String(saved.settings.clv.horizonWeeks));
      expect((await api<SettingsState>('GET', '/api/analytics/settings')).settings.clv.horizonWeeks).toBe(saved.settings.clv.horizonWeeks);
    } finally {
      const now = await api<SettingsState>('GET', '/api/analytics/settings');
      await api('PUT', '/api/analytics/settings', { settings: before.settings, version: now.version });
    }
  });
});
