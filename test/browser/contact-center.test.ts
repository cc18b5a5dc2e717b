// The contact center as a supervisor works it: create a queue (and see the server's field error first),
// build the IVR menu (the server's checks shown on the menu they concern), publish it; then the PBX posts
// CTI events with an API token and the wallboard (server-sent events) and the KPI dashboard show them.
// Saves docs/screenshot-wallboard.png.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, startServer, type BrowserTestServer, apiLogin, apiRequest, testPort } from './harness.ts';

const root = path.resolve(import.meta.dirname, '../..');
const port = testPort(3900, 100);
const base = `http://127.0.0.1:${port}`;
const admin = { email: 'admin@kefu.local', password: 'browser-test-cc' };

let server: BrowserTestServer | undefined;
let browser: Browser | undefined;
let session = '';
let pbxToken = '';

async function api<T>(method: string, url: string, body?: unknown, token = session): Promise<T> {
  return apiRequest<T>(base, token, method, url, body);
}

beforeAll(async () => {
  server = await startServer({ port, admin, demo: false, name: 'contact-center' });
  session = await apiLogin(base, admin);
  // The PBX integration authenticates with an API token, as docs/contact-center.md says.
  pbxToken = (await api<{ token: string }>('POST', '/api/auth/tokens', { name: 'asterisk' })).token;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const ago = (s: number) => new Date(Date.now() - s * 1000).toISOString();

describe('browser: contact center', () => {
  it('creates a queue, publishes an IVR menu, and sees CTI events on the wallboard and the KPIs', async () => {
    const customer = await api<{ id: string }>('POST', '/api/customers', { name: '王海燕', phones: ['13800000001'] });
    await api('POST', '/api/contact-center/skills', { key: 'complaints', name: '投诉处理' });
    await api('POST', '/api/contact-center/queues', { key: 'complaints', name: '投诉专席', kind: 'specialist' });

    const page: Page = await browser!.newPage({ viewport: { width: 1600, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    await page.goto(base);
    await page.evaluate(() => localStorage.setItem('kefu.lang', 'zh-CN'));
    await page.reload();
    await page.getByTestId('login-email').fill(admin.email);
    await page.getByTestId('login-password').fill(admin.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('customer-search').waitFor();

    // 1. A front-line queue through the editor; a key the PBX could not use is refused on its field.
    await page.goto(`${base}/contact-center/queues`);
    await page.getByTestId('queue-row').first().waitFor();
    await page.getByTestId('queue-create').click();
    await page.getByTestId('queue-key').fill('front line');
    await page.getByTestId('queue-name').fill('一线客服');
    await page.getByTestId('queue-target').fill('20');
    await page.getByTestId('queue-overflow').selectOption({ label: '投诉专席' });
    await page.getByTestId('queue-overflow-after').fill('120');
    await page.getByTestId('queue-tag-add').click();
    await page.getByTestId('queue-tag').fill('VIP');
    await page.getByTestId('queue-tag-priority').fill('80');
    await page.getByTestId('queue-save').click();
    await page.getByTestId('err-key').waitFor();
    await page.getByTestId('queue-key').fill('front');
    await page.getByTestId('queue-save').click();
    await page.getByTestId('queue-row').filter({ hasText: '一线客服' }).waitFor();
    const queues = await api<{ items: { id: string; key: string; targetSeconds: number; overflowAfterSeconds: number | null; settings: { tagPriorities?: Record<string, number> } }[] }>('GET', '/api/contact-center/queues');
    const front = queues.items.find((q) => q.key === 'front');
    expect(front?.overflowAfterSeconds).toBe(120);
    expect(front?.settings.tagPriorities).toEqual({ VIP: 80 });

    // Someone else saves the queue while the dialog is open: 409, then load the latest and save again.
    await page.getByTestId('queue-row').filter({ hasText: '一线客服' }).click();
    await page.getByTestId('queue-target').fill('15');
    await api('PATCH', `/api/contact-center/queues/${front!.id}`, { version: 1, name: '一线客服（白班）' });
    await page.getByTestId('queue-save').click();
    await page.getByTestId('cc-conflict').waitFor();
    await page.getByTestId('cc-conflict').getByRole('button').click();
    await expect.poll(() => page.getByTestId('queue-name').inputValue()).toBe('一线客服（白班）');
    expect(await page.getByTestId('cc-conflict').count()).toBe(0);
    await page.getByTestId('queue-name').fill('一线客服');
    await page.getByTestId('queue-target').fill('20');
    await page.getByTestId('queue-save').click();
    await page.getByTestId('queue-row').filter({ hasText: '一线客服' }).filter({ hasNotText: '白班' }).waitFor();
    expect((await api<{ version: number; targetSeconds: number }>('GET', `/api/contact-center/queues/${front!.id}`)).version).toBe(3);

    // Two agents (through the API, as a bulk setup would).
    await api('POST', '/api/contact-center/agents', { extension: '1001', name: '张敏' });
    await api('POST', '/api/contact-center/agents', { extension: '1002', name: '刘洋' });

    // 2. The IVR menu: a root menu and a submenu; the server's checks land on the menu they concern.
    await page.goto(`${base}/contact-center/ivr`);
    const main = page.locator('[data-testid="ivr-node"][data-node="main"]');
    await main.waitFor();
    await main.getByTestId('ivr-prompt-zh').fill('业务咨询请按1，投诉请按2');
    await main.getByTestId('ivr-prompt-en').fill('Services 1, complaints 2');
    await main.getByTestId('ivr-add-option').click();
    await main.getByTestId('ivr-target').last().selectOption('front');
    await page.getByTestId('ivr-add-node').click();
    const sub = page.getByTestId('ivr-node').nth(1);
    await sub.getByTestId('ivr-prompt-zh').fill('投诉请按1');
    await sub.getByTestId('ivr-prompt-en').fill('Complaints 1');
    await page.getByTestId('ivr-validate').click();
    // The new menu has no digits and nothing leads to it.
    await expect.poll(() => sub.getByTestId('ivr-error').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('没有任何按键'), expect.stringContaining('无法从根菜单到达')]));
    expect(await main.getByTestId('ivr-error').count()).toBe(0);
    await sub.getByTestId('ivr-add-option').click();
    await sub.getByTestId('ivr-target').last().selectOption('complaints');
    await main.getByTestId('ivr-add-option').click();
    await main.getByTestId('ivr-target-type').last().selectOption('menu');
    await page.getByTestId('ivr-note').fill('首个版本');
    await page.getByTestId('ivr-publish').click();
    await page.getByTestId('ivr-published').waitFor();
    expect(await page.getByTestId('ivr-version').count()).toBe(1);
    const ivr = await api<{ version: number; tree: { root: string; nodes: { id: string; options: { digit: string; target: { type: string } }[] }[] } }>('GET', '/api/contact-center/ivr');
    expect(ivr.version).toBe(1);
    expect(ivr.tree.nodes[0].options.map((o) => [o.digit, o.target.type])).toEqual([['1', 'queue'], ['2', 'menu']]);

    // 3. The wallboard is open on the wall when the PBX starts sending events.
    await page.goto(`${base}/contact-center/wallboard`);
    const frontTile = page.locator('[data-testid="wallboard-queue"][data-queue="front"]');
    await frontTile.waitFor();
    await expect.poll(() => page.getByTestId('wallboard-link').textContent()).toBe('实时');
    expect(await frontTile.getByTestId('wallboard-waiting').textContent()).toBe('0');

    const ingest = await api<{ accepted: number; duplicates: number; calls: number }>('POST', '/api/contact-center/cti-events', {
      events: [
        // Answered after 10 s by 1001 and finished; the caller is a known customer.
        { eventId: 'a:1', callId: 'a', type: 'queued', at: ago(60), queue: 'front', phone: '+86 138 0000 0001' },
        { eventId: 'a:2', callId: 'a', type: 'answered', at: ago(50), queue: 'front', agent: '1001' },
        { eventId: 'a:3', callId: 'a', type: 'ended', at: ago(20), agent: '1001' },
        // Still waiting.
        { eventId: 'b:1', callId: 'b', type: 'queued', at: ago(30), queue: 'front', phone: '13900000002' },
        // Gave up after 15 s.
        { eventId: 'c:1', callId: 'c', type: 'queued', at: ago(40), queue: 'front', phone: '13900000003' },
        { eventId: 'c:2', callId: 'c', type: 'abandoned', at: ago(25), queue: 'front' },
      ],
    }, pbxToken);
    expect(ingest).toMatchObject({ accepted: 6, duplicates: 0, calls: 3 });
    await api('POST', '/api/contact-center/agent-states', { events: [{ agent: '1001', state: 'after_call_work', at: ago(20) }, { agent: '1002', state: 'available', at: ago(120) }] }, pbxToken);

    // Pushed by the stream (no reload): one waiting, three offered today, one answered, one abandoned.
    await expect.poll(() => frontTile.getByTestId('wallboard-waiting').textContent(), { timeout: 15_000 }).toBe('1');
    expect(await frontTile.getByTestId('wallboard-offered').textContent()).toBe('3');
    expect(await frontTile.getByTestId('wallboard-answered').textContent()).toBe('1');
    expect(await frontTile.getByTestId('wallboard-abandoned').textContent()).toBe('1');
    // Answered within 20 s: 1 of 3 (the abandon after 15 s is not a short one).
    expect(await frontTile.getByTestId('wallboard-sl').textContent()).toBe('33.3%');
    await expect.poll(() => page.getByTestId('wallboard-agents-available').locator('.cc-tile-value').textContent(), { timeout: 15_000 }).toBe('1');
    expect(await page.getByTestId('wallboard-agents-after_call_work').locator('.cc-tile-value').textContent()).toBe('1');
    const longest = (await frontTile.getByTestId('wallboard-longest').textContent()) ?? '';
    expect(longest).toMatch(/^0:[0-5]\d$/);
    expect(Number(longest.slice(2))).toBeGreaterThanOrEqual(29);
    await page.screenshot({ path: path.join(root, 'docs', 'screenshot-wallboard.png') });

    // 4. KPIs: raw figures at once; the interval tables after "aggregate now".
    await page.goto(`${base}/contact-center/kpis?source=raw`);
    await expect.poll(() => page.getByTestId('kpi-offered').textContent()).toBe('3');
    expect(await page.getByTestId('kpi-answered').textContent()).toBe('1');
    expect(await page.getByTestId('kpi-answer-rate').textContent()).toBe('33.3%');
    expect(await page.getByTestId('kpi-asa').textContent()).toBe('10.0');
    await page.getByTestId('kpi-league-row').filter({ hasText: '张敏' }).waitFor();
    await page.getByTestId('kpi-intraday-chart').locator('canvas').waitFor();
    await page.getByTestId('kpi-source').selectOption('aggregate');
    await page.getByTestId('kpi-recompute').click();
    await expect.poll(() => page.getByTestId('kpi-offered').textContent(), { timeout: 15_000 }).toBe('3');
    expect(await page.getByTestId('kpi-service-level').textContent()).toBe('33.3%');
    const league = page.getByTestId('kpi-league-row').filter({ hasText: '张敏' });
    // Agent 1001 answered one call and talked 30 s.
    expect(await league.getByTestId('league-answered').textContent()).toBe('1');
    expect(await league.getByTestId('league-aht').textContent()).toBe('30.0');

    // A supervisor sends 刘洋 on a break from the agents list.
    await page.goto(`${base}/contact-center/queues`);
    await page.getByTestId('cc-tab-agents').click();
    const liu = page.getByTestId('agent-row').filter({ hasText: '刘洋' });
    await liu.getByTestId('agent-state').selectOption('break');
    await expect.poll(async () => (await api<{ items: { name: string; state: string }[] }>('GET', '/api/contact-center/agents')).items.find((a) => a.name === '刘洋')?.state).toBe('break');
    expect(await page.getByRole('dialog').count()).toBe(0);

    // 5. The known caller's call is on the customer's timeline.
    await page.goto(`${base}/customers/${customer.id}`);
    await page.getByTestId('timeline-item').filter({ hasText: '来电（已接通）' }).waitFor();
    expect(await page.getByTestId('timeline-item').filter({ hasText: '一线客服' }).count()).toBeGreaterThan(0);
  });
});
