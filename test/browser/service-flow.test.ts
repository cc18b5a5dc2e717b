// The service desk path a person takes: open a service order from the customer file, move it on,
// record a latent need found on the visit, win the opportunity it became with the customer's order,
// and see the commission earned on the ledger.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, startServer, type BrowserTestServer, apiLogin, apiRequest } from './harness.ts';

const root = path.resolve(import.meta.dirname, '../..');
const port = 3500 + (process.pid % 200);
const base = `http://127.0.0.1:${port}`;
const admin = { email: 'admin@kefu.local', password: 'browser-test-2' };

let server: BrowserTestServer | undefined;
let browser: Browser | undefined;
let token = '';

async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  return apiRequest<T>(base, token, method, url, body);
}

beforeAll(async () => {
  server = await startServer({ port, admin, demo: false, name: 'service' });
  token = await apiLogin(base, admin);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('browser: service desk to commission', () => {
  it('opens a service order from the customer file, records a latent need, wins it with an order and sees the commission', async () => {
    const customer = await api<{ id: string }>('POST', '/api/customers', { name: '李建华', phones: ['13912345678'], tags: ['VIP'] });
    await api('POST', '/api/products', { sku: 'AC-SPLIT-15', name: '变频空调 1.5匹', category: '空调', priceMinor: 329_900 });
    // 5% of every won line, any category: two units at ¥3,299.00 → ¥6,598.00 → ¥329.90.
    await api('POST', '/api/commission-rules', { name: '标准提成', kind: 'percent', basisPoints: 500 });

    const page: Page = await browser!.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    await page.goto(base);
    await page.evaluate(() => localStorage.setItem('kefu.lang', 'zh-CN'));
    await page.reload();
    await page.getByTestId('login-email').fill(admin.email);
    await page.getByTestId('login-password').fill(admin.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('customer-search').waitFor();

    // 1. A service order from the customer file.
    await page.goto(`${base}/customers/${customer.id}`);
    await page.getByTestId('service-create').click();
    await page.getByTestId('service-create-title').fill('空调不制冷');
    await page.getByTestId('service-create-submit').click();
    await page.getByTestId('service-number').waitFor();
    expect(await page.getByTestId('service-title').textContent()).toBe('空调不制冷');
    const serviceOrderId = page.url().split('/service/')[1];
    const order = await api<{ number: string; customerId: string; status: string; assigneeUserId: string | null }>('GET', `/api/service-orders/${serviceOrderId}`);
    expect(order.customerId).toBe(customer.id);
    expect(await page.getByTestId('service-number').textContent()).toBe(order.number);

    // Move it on with the workflow's own buttons.
    await page.getByTestId('transition-in_progress').click();
    await expect.poll(() => page.locator('.detail-meta [data-testid="status-badge"]').textContent()).toBe('处理中');
    await page.getByTestId('service-event').filter({ hasText: '状态变更' }).first().waitFor();
    await page.screenshot({ path: path.join(root, 'docs', 'screenshot-service-order.png') });

    // 2. A latent need learned on the visit becomes an opportunity.
    await page.getByTestId('need-open').click();
    await page.getByTestId('need-text').fill('次卧想加装一台空调');
    await page.getByTestId('need-submit').click();
    await page.getByTestId('need-created').waitFor();

    // 3. The customer buys (the order is recorded through the API, as a shop system would).
    const sale = await api<{ id: string; totalMinor: number }>('POST', '/api/orders', { customerId: customer.id, lines: [{ sku: 'AC-SPLIT-15', quantity: 2 }] });
    expect(sale.totalMinor).toBe(659_800);

    await page.getByTestId('need-created').getByRole('link').click();
    const card = page.getByTestId('kanban-new').getByTestId('opportunity-card').filter({ hasText: '次卧想加装一台空调' });
    await card.waitFor();
    await card.getByTestId('move-won').click();
    await page.getByTestId('won-order').first().click();
    await page.getByTestId('won-submit').click();
    await page.getByTestId('kanban-won').getByTestId('opportunity-card').filter({ hasText: '次卧想加装一台空调' }).waitFor();
    await page.screenshot({ path: path.join(root, 'docs', 'screenshot-opportunities.png') });

    // 4. The finder's commission for this month.
    await page.goto(`${base}/commissions`);
    await page.getByTestId('commission-row').first().waitFor();
    await expect.poll(() => page.getByTestId('commission-total').first().textContent()).toContain('329.90');
    expect(await page.getByTestId('commission-row').count()).toBe(1);
  });
});
