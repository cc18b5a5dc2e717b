// The service desk path a person takes: open a service order from the customer file, move it on,
// record a latent need found on the visit, win the opportunity it became with the customer's order,
// and see the commission earned on the ledger; then request a return of one unit from the customer file
// (field errors, and a conflict with a request recorded meanwhile), settle it and see the year's spend drop.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, startServer, type BrowserTestServer, apiLogin, apiRequest, testPort } from './harness.ts';

const root = path.resolve(import.meta.dirname, '../..');
const port = testPort(3500, 200);
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
  it('opens a service order from the customer file, records a latent need, wins it with an order and sees the commission; requests a return, settles it and sees spend per year change', async () => {
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

    // 5. The customer asks to return one of the two units: requested from the order line in the customer
    //    file, settled there, and the year's spend drops by the refund.
    await page.goto(`${base}/customers/${customer.id}`);
    const year = page.getByTestId('purchases-year').first();
    await year.waitFor();
    expect(await year.locator('td').nth(4).textContent()).toContain('6,598.00');
    const line = page.getByTestId('order-line').filter({ hasText: 'AC-SPLIT-15' });
    await line.getByTestId('return-request').click();
    const left = page.getByTestId('return-request-left');
    expect(await left.textContent()).toBe('可退换 2 件');
    // No reason, then more than was bought: each refused by the server and shown on its field.
    await page.getByTestId('return-quantity').fill('3');
    await page.getByTestId('return-request-submit').click();
    expect(await page.getByTestId('return-error-reason').textContent()).toBe('请填写原因（最多 500 字）');
    await page.getByTestId('return-reason').fill('外机噪音大');
    await page.getByTestId('return-note').fill('客户周六在家，可上门取件');
    await page.getByTestId('return-request-submit').click();
    expect(await page.getByTestId('return-error-quantity').textContent()).toBe('超过可退换数量：该行最多还可退换 2 件');
    // Meanwhile the shop records an exchange of the other unit: the form's order version is stale (409),
    // what is left is reloaded, and the request for one unit then goes through.
    const saleOrder = await api<{ lines: { id: string }[] }>('GET', `/api/orders/${sale.id}`);
    await api('POST', `/api/orders/${sale.id}/returns`, { orderLineId: saleOrder.lines[0].id, kind: 'exchange', quantity: 1, reason: '换安装位置', status: 'requested' });
    await page.getByTestId('return-quantity').fill('1');
    await page.getByTestId('return-request-submit').click();
    await page.getByTestId('return-request-stale').waitFor();
    await expect.poll(() => left.textContent()).toBe('可退换 1 件');
    // A proposed refund above what was paid for the line is refused on its field; a smaller one is kept.
    await page.getByTestId('return-request-refund').fill('9999');
    await page.getByTestId('return-request-submit').click();
    expect(await page.getByTestId('return-request-error-amount').textContent()).toBe('超过该行剩余可退金额 ¥6,598.00');
    await page.getByTestId('return-request-refund').fill('3,000');
    await page.getByTestId('return-request-submit').click();
    await page.getByTestId('return-request-form').waitFor({ state: 'detached' });
    // Both requests hold their unit: nothing is left to return on the line.
    await expect.poll(() => line.getByTestId('order-line-returned').textContent()).toBe('2');
    expect(await line.getByTestId('return-request').count()).toBe(0);
    const row = page.getByTestId('return-row').filter({ hasText: '外机噪音大' });
    await row.waitFor();
    expect(await row.getByTestId('return-note-text').textContent()).toBe('备注：客户周六在家，可上门取件');
    expect(await row.getByTestId('return-status').textContent()).toBe('待处理');
    await row.getByTestId('return-settle').click();
    expect(await page.getByTestId('return-refund').inputValue()).toBe('3000.00');
    // More than was paid for the line: refused, and the error stands by the refund field.
    await page.getByTestId('return-refund').fill('9999');
    await page.getByTestId('return-settle-submit').click();
    await page.getByTestId('return-error-amount').waitFor();
    await page.getByTestId('return-refund').fill('3299');
    await page.getByTestId('return-outcome-input').fill('已原路退款');
    await page.getByTestId('return-settle-submit').click();
    await expect.poll(() => row.getByTestId('return-status').textContent()).toBe('已完成');
    expect(await row.getByTestId('return-outcome').textContent()).toBe('已原路退款');
    await expect.poll(() => year.locator('td').nth(4).textContent()).toContain('3,299.00');
    expect(await year.locator('td').nth(3).textContent()).toContain('3,299.00');
    const summary = await api<{ years: { returnedMinor: number; netMinor: number }[] }>('GET', `/api/customers/${customer.id}/purchases-summary`);
    expect(summary.years.map((y) => [y.returnedMinor, y.netMinor])).toEqual([[329_900, 329_900]]);
  });
});
