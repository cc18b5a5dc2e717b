// The WFM planner path on a fresh demo installation: forecast the demo's front-line history, compute the Erlang
// staffing requirement, build the week's shifts (HiGHS) and the roster of the demo agents covering the front line's
// and the complaints desk's skills, and see the Gantt with its breaks and the coverage per skill.
// Saves docs/screenshot-wfm.png.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, startServer, type BrowserTestServer, testPort } from './harness.ts';

const root = path.resolve(import.meta.dirname, '../..');
const port = testPort(3700, 200);
const base = `http://127.0.0.1:${port}`;
const admin = { email: 'admin@kefu.local', password: 'browser-test-wfm' };

let server: BrowserTestServer | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  server = await startServer({ port, admin, demo: true, name: 'wfm' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('browser: WFM planner', () => {
  it('generates a forecast, builds shifts and a roster for a week, and shows the Gantt', async () => {
    const page: Page = await browser!.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' });
    await page.goto(base);
    await page.evaluate(() => localStorage.setItem('kefu.lang', 'zh-CN'));
    await page.reload();
    await page.getByTestId('login-email').fill(admin.email);
    await page.getByTestId('login-password').fill(admin.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('customer-search').waitFor();

    // A second queue: the complaints desk's history (the same days as the demo's front line, up to yesterday in
    // Shanghai), its forecast and staffing requirement made through the API, so the roster can cover both skills.
    const yesterday = Date.parse(new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10)) - 86_400_000;
    const lines = ['rownames,DateTime,Calls'];
    for (let d = 41; d >= 0; d--) {
      const date = new Date(yesterday - d * 86_400_000).toISOString().slice(0, 10);
      for (let m = 480; m < 1320; m += 5) {
        const calls = Math.round(1 + 2 * Math.exp(-((((m / 60) - 11) / 2) ** 2)) + ((d * 13 + m) % 3) / 2);
        lines.push(`${lines.length},${date}T${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00Z,${calls}`);
      }
    }
    const complaintsReq = await page.evaluate(async (content) => {
      const post = async (url: string, body: unknown) => (await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })).json();
      await post('/api/wfm/history', { series: 'complaints', content });
      let fc = await post('/api/wfm/forecasts', { series: 'complaints', source: 'history', intervalMinutes: 30, horizonDays: 7, holdoutDays: 7 });
      for (let i = 0; i < 240 && (fc.status === 'queued' || fc.status === 'running'); i++) {
        await new Promise((r) => setTimeout(r, 500));
        fc = await (await fetch(`/api/wfm/forecasts/${fc.id}`)).json();
      }
      return post('/api/wfm/requirements', { forecastId: fc.id });
    }, lines.join('\n'));
    expect(complaintsReq.scheduled.flat().some((x: number) => x > 0)).toBe(true);

    await page.goto(`${base}/wfm`);
    const series = page.getByTestId('wfm-series');
    await expect.poll(async () => series.locator('option[value="history:front"]').count(), { timeout: 30_000 }).toBe(1);
    await series.selectOption('history:front');
    await page.getByTestId('wfm-forecast').click();
    await page.getByTestId('wfm-forecast-chart').waitFor({ timeout: 180_000 });
    const stats = await page.getByTestId('wfm-forecast-stats').innerText();
    expect(stats).toMatch(/MAPE/);
    if (process.env.WFM_SHOTS) await page.screenshot({ path: path.join(process.env.WFM_SHOTS, 'forecast.png'), fullPage: true });

    await page.getByTestId('wfm-requirement').click();
    await page.getByTestId('wfm-heatmap').waitFor({ timeout: 60_000 });
    if (process.env.WFM_SHOTS) await page.screenshot({ path: path.join(process.env.WFM_SHOTS, 'heatmap.png'), fullPage: true });

    await page.getByTestId('wfm-plan').click();
    await page.getByTestId('wfm-plan-stats').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('wfm-plan-stats').innerText()).toMatch(/最优|可行/);
    if (process.env.WFM_SHOTS) await page.screenshot({ path: path.join(process.env.WFM_SHOTS, 'plan.png'), fullPage: true });

    // The complaints desk's requirement is for the same days: the roster also covers its skill.
    await page.getByTestId('wfm-other-queue-complaints').check({ timeout: 30_000 });
    await page.getByTestId('wfm-roster').click();
    await page.getByTestId('wfm-gantt').waitFor({ timeout: 180_000 });
    const bars = page.locator('[data-testid="wfm-gantt"] .gantt-bar');
    await expect.poll(async () => bars.count(), { timeout: 10_000 }).toBeGreaterThan(20);
    expect(await page.getByTestId('wfm-roster-stats').innerText()).toMatch(/最优|可行/);
    // Scheduled breaks are drawn inside their shift's bar, hatched, with the break's time as a tooltip.
    const breaks = page.locator('[data-testid="wfm-gantt"] .gantt-bar [data-testid="wfm-gantt-break"]');
    expect(await breaks.count()).toBeGreaterThan(5);
    const first = breaks.first();
    expect(await first.getAttribute('title')).toMatch(/^休息 \d\d:\d\d–\d\d:\d\d$/);
    const [barBox, breakBox] = [await first.locator('xpath=..').boundingBox(), await first.boundingBox()];
    expect(breakBox!.x).toBeGreaterThan(barBox!.x);
    expect(breakBox!.x + breakBox!.width).toBeLessThan(barBox!.x + barBox!.width);
    expect(await first.evaluate((el) => getComputedStyle(el).backgroundImage)).toMatch(/repeating-linear-gradient/);
    expect(await first.locator('xpath=..').getAttribute('title')).toMatch(/休息 \d\d:\d\d–\d\d:\d\d/);
    // The demo's front line is the skill 综合业务: the roster shows its coverage per skill.
    await page.getByTestId('wfm-skill-coverage').waitFor();
    expect(await page.getByTestId('wfm-skill-row-general').innerText()).toMatch(/综合业务/);
    expect(await page.getByTestId('wfm-skill-row-complaints').innerText()).toMatch(/投诉处理/);
    if (process.env.WFM_SHOTS) await page.getByTestId('wfm-skill-coverage').screenshot({ path: path.join(process.env.WFM_SHOTS, 'skill-coverage.png') });
    await page.screenshot({ path: path.join(root, 'docs', 'screenshot-wfm.png'), fullPage: true });

    // Adherence per agent and day sits under the roster; a planner edits an agent's preferences.
    await page.getByTestId('wfm-adherence').waitFor({ timeout: 30_000 });
    const agentPick = page.getByTestId('wfm-pref-agent');
    await agentPick.selectOption({ index: 1 });
    await page.getByTestId('wfm-pref-preferredShifts-family').check();
    await page.getByTestId('wfm-pref-unwantedShifts-night').check();
    await page.getByTestId('wfm-pref-save').click();
    await page.getByTestId('wfm-pref-saved').waitFor({ timeout: 30_000 });
    // Preferred and unwanted at once: the server's field error shows beside the field.
    await page.getByTestId('wfm-pref-unwantedShifts-family').check();
    await page.getByTestId('wfm-pref-save').click();
    await page.getByTestId('wfm-pref-error-unwantedShifts').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('wfm-pref-error-unwantedShifts').innerText()).toMatch(/家庭|family/);

    // The what-if form runs the simulation and shows confidence intervals.
    await page.getByTestId('wfm-tab-whatif').click();
    await page.getByTestId('wfm-whatif-run').click();
    await page.getByTestId('wfm-whatif-results').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('wfm-whatif-results').innerText()).toMatch(/\[/);
    if (process.env.WFM_SHOTS) await page.screenshot({ path: path.join(process.env.WFM_SHOTS, 'whatif.png'), fullPage: true });
  }, 600_000);
});
