// Customer value as a person uses it: open the RFM view of the first-start demo, drill into 重要挽留客户,
// open one of them and see their CLV and service tier on the customer file. Saves the analytics screenshot.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, startServer, type BrowserTestServer } from './harness.ts';

const root = path.resolve(import.meta.dirname, '../..');
const port = 3300 + (process.pid % 200);
const base = `http://127.0.0.1:${port}`;
const admin = { email: 'admin@kefu.local', password: 'browser-test-3' };

let server: BrowserTestServer | undefined;
let browser: Browser | undefined;
let token = '';

async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  const r = await fetch(base + url, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`${method} ${url}: ${r.status} ${await r.text()}`);
  return (await r.json()) as T;
}

interface RfmSummary {
  classes: { rfmClass: string; name: string; customers: number }[];
  scoredCustomers: number;
}
interface ValuePanel {
  rfm: { rfmClass: string; className: string } | null;
  clv: { clvMinor: number | null; pAlive: number | null } | null;
  tier: { name: string; code: string } | null;
}

beforeAll(async () => {
  server = await startServer({ port, admin, demo: true, name: 'analytics' });
  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(admin) });
  token = ((await login.json()) as { token: string }).token;
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

    const page: Page = await browser!.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' });
    await page.goto(base);
    await page.evaluate(() => localStorage.setItem('kefu.lang', 'zh-CN'));
    await page.reload();
    await page.getByTestId('login-email').fill(admin.email);
    await page.getByTestId('login-password').fill(admin.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('customer-search').waitFor();

    // The section is in the sidebar; its page (and ECharts) loads on first visit.
    await page.locator('a[href="/analytics"]').first().click();
    const row = page.getByTestId('rfm-class-important_win_back');
    await row.waitFor();
    await expect.poll(() => row.textContent()).toContain('重要挽留客户');
    await page.getByTestId('rfm-treemap').locator('canvas').first().waitFor();
    await page.getByTestId('pareto-top-share').waitFor();
    await page.waitForTimeout(800); // chart animations settle before the screenshot
    await page.screenshot({ path: path.join(root, 'docs', 'screenshot-analytics.png'), fullPage: true });

    // Drill down: the customer list filtered to the class, every row in it.
    await row.click();
    await expect.poll(() => new URL(page.url()).searchParams.get('rfmClass')).toBe('important_win_back');
    await expect.poll(() => page.getByTestId('drill-chip').first().textContent()).toContain('重要挽留客户');
    const rows = page.getByTestId('value-customer-row');
    await rows.first().waitFor();
    const classes = await rows.locator('td:nth-child(3)').allTextContents();
    expect(classes.length).toBe(Math.min(50, winBack!.customers));
    expect(classes.every((c) => c.includes('重要挽留客户'))).toBe(true);

    // Open the first one: the value panel shows the class, CLV, P(alive) and the tier.
    const name = (await rows.first().locator('td').first().textContent())?.trim() ?? '';
    await rows.first().click();
    await expect.poll(() => page.getByTestId('customer-name').textContent()).toContain(name);
    const id = new URL(page.url()).pathname.split('/').pop() ?? '';
    const value = await api<ValuePanel>('GET', `/api/customers/${id}/value`);
    expect(value.rfm?.rfmClass).toBe('important_win_back');
    expect(value.tier).not.toBeNull();
    expect(value.clv?.clvMinor).not.toBeNull();

    const panel = page.getByTestId('value-panel');
    await panel.waitFor();
    await expect.poll(() => page.getByTestId('value-rfm-class').textContent()).toContain('重要挽留客户');
    await expect.poll(() => page.getByTestId('value-tier').textContent()).toContain(value.tier!.name);
    const clvText = (await page.getByTestId('value-clv').textContent()) ?? '';
    expect(clvText).toMatch(/¥[\d,]+\.\d\d/);
    expect(Number(clvText.replace(/[^\d.]/g, ''))).toBeCloseTo(value.clv!.clvMinor! / 100, 2);
    expect(await page.getByTestId('value-palive').textContent()).toBe(`${(value.clv!.pAlive! * 100).toFixed(1)}%`);
  });
});
