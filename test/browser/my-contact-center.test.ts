// An agent with only contact_center.read_own, in a browser set to New York: the sidebar offers 我的话务,
// the page shows the agent's own figures for the organization's today (Asia/Shanghai), not a colleague's,
// and the agent goes on a break from it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, startServer, type BrowserTestServer, apiLogin, apiRequest, testPort } from './harness.ts';

const port = testPort(3800, 100);
const base = `http://127.0.0.1:${port}`;
const admin = { email: 'admin@kefu.local', password: 'browser-test-my-cc' };
const agentLogin = { email: 'zhangmin@kefu.local', password: 'agent-pass-123' };

let server: BrowserTestServer | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  server = await startServer({ port, admin, demo: false, name: 'my-contact-center' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('browser: my contact center', () => {
  it('an agent sees their own state and today\'s figures, and takes a break', async () => {
    const session = await apiLogin(base, admin);
    const api = <T>(method: string, url: string, body?: unknown, token = session) => apiRequest<T>(base, token, method, url, body);
    const user = await api<{ id: string }>('POST', '/api/users', { ...agentLogin, name: '张敏', role: 'agent' });
    await api('POST', '/api/contact-center/queues', { key: 'front', name: '一线客服', kind: 'front_line' });
    await api('POST', '/api/contact-center/agents', { userId: user.id, extension: '1001', name: '张敏' });
    await api('POST', '/api/contact-center/agents', { extension: '2001', name: '刘洋' });
    const pbx = (await api<{ token: string }>('POST', '/api/auth/tokens', { name: 'asterisk' })).token;
    const ago = (s: number) => new Date(Date.now() - s * 1000).toISOString();
    // One call answered by 张敏, two by 刘洋 (not hers to see), all a few minutes ago.
    await api('POST', '/api/contact-center/cti-events', { events: [
      { eventId: 'b1o', callId: 'B1', type: 'offered', at: ago(300), queue: 'front' },
      { eventId: 'b1a', callId: 'B1', type: 'answered', at: ago(290), queue: 'front', agent: '1001' },
      { eventId: 'b1e', callId: 'B1', type: 'ended', at: ago(230), agent: '1001' },
      { eventId: 'b2o', callId: 'B2', type: 'offered', at: ago(200), queue: 'front' },
      { eventId: 'b2a', callId: 'B2', type: 'answered', at: ago(195), queue: 'front', agent: '2001' },
      { eventId: 'b3o', callId: 'B3', type: 'offered', at: ago(100), queue: 'front' },
      { eventId: 'b3a', callId: 'B3', type: 'answered', at: ago(95), queue: 'front', agent: '2001' },
    ] }, pbx);

    // The KPI job's work (every 5 minutes), done now.
    await api('POST', '/api/contact-center/kpis/aggregate', { from: ago(86_400), to: new Date(Date.now() + 60_000).toISOString() });

    const page = await browser!.newPage({ viewport: { width: 1400, height: 900 }, locale: 'zh-CN', timezoneId: 'America/New_York' });
    await page.goto(base);
    await page.evaluate(() => localStorage.setItem('kefu.lang', 'zh-CN'));
    await page.reload();
    await page.getByTestId('login-email').fill(agentLogin.email);
    await page.getByTestId('login-password').fill(agentLogin.password);
    await page.getByTestId('login-submit').click();
    await page.getByRole('link', { name: '我的话务' }).click();
    await page.getByTestId('my-cc-state').waitFor();
    expect(await page.getByTestId('my-cc-current-state').textContent()).toBe('离线');
    // Today in Shanghai: her one call, whatever New York's date is.
    await expect.poll(() => page.getByTestId('my-cc-today-answered').textContent(), { timeout: 15_000 }).toBe('1');
    expect(await page.getByTestId('my-cc-today-offered').textContent()).toBe('1');
    expect(await page.getByTestId('my-cc-week-answered').textContent()).toBe('1');
    await page.getByTestId('my-cc-set-break').click();
    await expect.poll(() => page.getByTestId('my-cc-current-state').textContent(), { timeout: 10_000 }).toBe('小休');
    const agentToken = await apiLogin(base, agentLogin);
    const mine = await api<{ items: { name: string; state: string }[] }>('GET', '/api/contact-center/agents', undefined, agentToken);
    expect(mine.items).toEqual([expect.objectContaining({ name: '张敏', state: 'break' })]);
  });
});
