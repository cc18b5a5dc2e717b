// A person's path through the product: log in, switch to Chinese, find a customer by pinyin initials,
// open it, add a contact record and see it on the timeline. Saves the README screenshot.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, startServer, type BrowserTestServer, apiLogin, apiRequest, testPort } from './harness.ts';
import { namePinyin } from '../../src/customers/model/search-keys.ts';

const root = path.resolve(import.meta.dirname, '../..');
const port = testPort(3700, 200);
const base = `http://127.0.0.1:${port}`;
const admin = { email: 'admin@kefu.local', password: 'browser-test-1' };

let server: BrowserTestServer | undefined;
let browser: Browser | undefined;

async function api<T>(method: string, url: string, token: string, body?: unknown): Promise<T> {
  return apiRequest<T>(base, token, method, url, body);
}

beforeAll(async () => {
  server = await startServer({ port, admin, demo: true, name: 'customers' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('browser: customer files', () => {
  it('logs in, switches to Chinese, finds 王小明 by initials, adds a contact record and sees it on the timeline', async () => {
    const token = await apiLogin(base, admin);
    const created = await api<{ id: string }>('POST', '/api/customers', token, {
      name: '王小明',
      phones: ['13812345678'],
      provinceCode: '440000',
      cityCode: '440300',
      districtCode: '440305',
      tags: ['VIP'],
    });

    const page: Page = await browser!.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    await page.goto(base);
    // Start in English so the switch to Chinese is observable.
    await page.evaluate(() => localStorage.setItem('kefu.lang', 'en'));
    await page.reload();
    await page.getByTestId('login-email').fill(admin.email);
    await page.getByTestId('login-password').fill(admin.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('customer-search').waitFor();

    const langSwitch = page.getByTestId('lang-switch');
    if ((await langSwitch.evaluate((el) => el.tagName)) === 'SELECT') await langSwitch.selectOption('zh-CN');
    else await langSwitch.click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await expect.poll(async () => (await page.textContent('body')) ?? '').toContain('客户');

    await page.getByTestId('customer-row').nth(10).waitFor();
    await page.screenshot({ path: path.join(root, 'docs', 'screenshot-customers.png') });

    await page.getByTestId('customer-search').fill('wxm');
    // The list narrows to customers whose pinyin initials contain "wxm" (the demo data has other names).
    await expect
      .poll(async () => {
        const names = await page.getByTestId('customer-row').locator('.cell-name').allTextContents();
        return names.length > 0 && names.every((n) => namePinyin(n.trim(), 'person').initials.includes('wxm') || namePinyin(n.trim(), 'company').initials.includes('wxm'));
      }, { timeout: 15_000 })
      .toBe(true);
    const row = page.getByTestId('customer-row').filter({ hasText: '王小明' }).first();
    await row.waitFor();
    await row.click();
    await expect.poll(() => page.getByTestId('customer-name').textContent()).toContain('王小明');
    expect(page.url()).toContain(created.id);

    const summary = `电话回访：客户对维修结果满意 ${Date.now()}`;
    const channel = page.getByTestId('contact-channel');
    if ((await channel.evaluate((el) => el.tagName)) === 'SELECT') await channel.selectOption('phone');
    await page.getByTestId('contact-summary').fill(summary);
    await page.getByTestId('contact-submit').click();
    await page.getByTestId('timeline-item').filter({ hasText: summary }).first().waitFor();
    await page.screenshot({ path: path.join(root, 'docs', 'screenshot-customer-detail.png') });

    const timeline = await api<{ items: { summary: string }[] }>('GET', `/api/customers/${created.id}/timeline`, token);
    expect(timeline.items[0].summary).toContain(summary);
  });
});
