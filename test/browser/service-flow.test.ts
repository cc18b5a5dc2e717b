// The service desk path a person takes: open a service order from the customer file, move it on,
// record a latent need found on the visit, win the opportunity it became with the customer's order,
// and see the commission earned on the ledger.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';

const root = path.resolve(import.meta.dirname, '../..');
const port = 3500 + (process.pid % 200);
const base = `http://127.0.0.1:${port}`;
const admin = { email: 'admin@kefu.local', password: 'browser-test-2' };
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let server: ChildProcess | undefined;
let browser: Browser | undefined;
let dataDir = '';
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

beforeAll(async () => {
  const build = spawnSync(process.execPath, [path.join(root, 'scripts/ensure-web.mjs')], { stdio: 'inherit' });
  expect(build.status).toBe(0);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-browser-service-'));
  // No demo data: this test makes the few rows it needs, so the server starts quickly.
  server = spawn(process.execPath, [path.join(root, 'bin/kefu.js'), 'serve', '--no-demo'], {
    env: {
      ...process.env,
      DATABASE_URL: '',
      KEFU_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      KEFU_ADMIN_EMAIL: admin.email,
      KEFU_ADMIN_PASSWORD: admin.password,
      KEFU_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 240; i++) {
    if (server.exitCode !== null) throw new Error(`kefu serve exited with code ${server.exitCode}`);
    try {
      if ((await fetch(`${base}/api/health`)).ok) break;
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(admin) });
  token = ((await login.json()) as { token: string }).token;
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--lang=zh-CN', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server!.once('exit', r));
    server.kill('SIGTERM');
    await exited;
  }
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
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
