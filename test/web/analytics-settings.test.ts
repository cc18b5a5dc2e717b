// The analytics settings screen (web/src/pages/analytics/SettingsView.tsx), in Node: what the form shows for
// the settings it loads (fractions as percentages) and the whole object it PUTs back, the read-only form, the
// 409 message that says the values were reloaded, and what the shared settings hook does after a save and a 409.
// The whole flow in a browser is test/browser/analytics-flow.test.ts.
import fs from 'node:fs';
import path from 'node:path';
import { createElement as h, type ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { QueryClient, QueryClientProvider, type UseQueryResult } from '@tanstack/react-query';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// The UI's i18n module sets <html lang> when it loads; Node has no document.
vi.stubGlobal('document', { documentElement: { lang: '' } });
const { ApiError } = await import('../../web/src/api/client.ts');
const { i18n } = await import('../../web/src/i18n/index.ts');
const { Field, SettingsForm, useSettingsForm } = await import('../../web/src/pages/settings/RecordEditor.tsx');
const { SettingsView, settingsBody, settingsDraft, settingsQueryKey } = await import('../../web/src/pages/analytics/SettingsView.tsx');
const { MeProvider } = await import('../../web/src/auth.tsx');
type Me = import('../../web/src/api/types.ts').Me;
type State = Parameters<typeof settingsDraft>[0];

const root = path.resolve(import.meta.dirname, '../..');

const state: State = {
  version: 7,
  settings: {
    currency: 'NZD',
    rfmWindowDays: 180,
    rfmCenter: 'median',
    classNames: { important_win_back: { 'zh-CN': '重点挽回客户', en: 'Win back now' }, general_value: { en: 'Steady value' } },
    keyAccounts: { topShare: 0.15, minMarginRate: -0.05, minWalletShare: 0.29 },
    movement: { growthRatio: 1.35, declineRatio: 0.57, decliningPAlive: 0.45, lostPAlive: 0.1 },
    clv: { model: 'pareto-nbd', horizonWeeks: 26, annualDiscountRate: 0.08, resolutionDays: 7 },
  },
};

function byTestId(html: string, id: string): string[] {
  return [...html.matchAll(new RegExp(`<(\\w+)[^>]*data-testid="${id}"[^>]*>(.*?)</\\1>`, 'g'))].map((m) => m[2].replace(/<[^>]+>/g, ''));
}

beforeAll(async () => {
  await i18n.changeLanguage('zh-CN');
});
afterAll(async () => {
  await i18n.changeLanguage('zh-CN');
});

describe('the settings form', () => {
  it('shows fractions as percentages, each class name in its language, and a code off the list as typed', () => {
    const d = settingsDraft(state);
    expect(d).toMatchObject({ currency: 'NZD', otherCurrency: true, windowDays: '180', center: 'median', topSharePct: '15', minMarginRatePct: '-5', minWalletSharePct: '29', growthPct: '135', declinePct: '57', decliningPAlivePct: '45', lostPAlivePct: '10', model: 'pareto-nbd', horizonWeeks: '26', discountPct: '8', resolutionDays: '7' });
    expect(d.names.important_win_back).toEqual({ 'zh-CN': '重点挽回客户', en: 'Win back now' });
    expect(d.names.general_value).toEqual({ 'zh-CN': '', en: 'Steady value' });
    expect(d.names.important_value).toEqual({ 'zh-CN': '', en: '' });
    expect(settingsDraft({ ...state, settings: { ...state.settings, currency: 'CNY' } }).otherCurrency).toBe(false);
  });

  it('PUTs the whole settings object back unchanged, with the version it read', () => {
    expect(settingsBody(settingsDraft(state), 7)).toEqual({ version: 7, settings: state.settings });
  });

  it('sends what was typed: percent to fractions, names trimmed, empty names left out, an empty number as null for the server to name', () => {
    const d = settingsDraft(state);
    d.topSharePct = '12.5';
    d.growthPct = '150';
    d.names.important_win_back = { 'zh-CN': '  挽回  ', en: '' };
    d.names.general_value = { 'zh-CN': '', en: '  ' };
    d.currency = ' usd ';
    d.windowDays = '';
    const body = settingsBody(d, 8);
    expect(body.settings.keyAccounts?.topShare).toBe(0.125);
    expect(body.settings.movement?.growthRatio).toBe(1.5);
    expect(body.settings.classNames).toEqual({ important_win_back: { 'zh-CN': '挽回' } });
    expect(body.settings.currency).toBe('usd');
    const sent = JSON.parse(JSON.stringify(body)) as { settings: { rfmWindowDays: unknown } };
    expect(sent.settings.rfmWindowDays).toBeNull();
  });

  const form = (error: unknown, readOnly: boolean, conflictText?: string, children?: ReactNode) =>
    renderToStaticMarkup(
      h(SettingsForm, { form: { submit: () => undefined, pending: false, error, saved: false }, saveTestId: 'analytics-settings-save', readOnly, conflictText, children }),
    );

  it('puts a field error under its own field (server paths body.settings.…)', () => {
    const error = new ApiError(400, { code: 'invalid', message: 'invalid', fields: [{ path: 'body.settings.keyAccounts.topShare', code: 'too_big', message: '不能超过 1' }] });
    const fields = [
      h(Field, { key: 'a', label: '大客户范围', name: 'settings.keyAccounts.topShare', children: h('input') }),
      h(Field, { key: 'b', label: '最低毛利率', name: 'settings.keyAccounts.minMarginRate', children: h('input') }),
    ];
    const html = form(error, false, undefined, fields);
    expect(byTestId(html, 'field-error-settings.keyAccounts.topShare')).toEqual(['不能超过 1']);
    expect(byTestId(html, 'field-error-settings.keyAccounts.minMarginRate')).toEqual([]);
  });

  it('read-only: every input disabled and no Save; otherwise a Save', () => {
    const ro = form(null, true, undefined, h('input', { 'data-testid': 'x' }));
    expect(ro).toMatch(/<fieldset class="fieldset-contents" disabled="">.*data-testid="x"/);
    expect(ro).not.toContain('analytics-settings-save');
    const rw = form(null, false, undefined, h('input', { 'data-testid': 'x' }));
    expect(rw).not.toContain('<fieldset');
    expect(rw).toContain('data-testid="analytics-settings-save"');
  });

  it("says on a 409 that the form now shows the other person's values, in zh-CN and in en", async () => {
    const conflict = new ApiError(409, { code: 'conflict', message: 'conflict', current: { version: 9 } });
    const text = () => i18n.t('analytics.settings.conflict');
    expect(byTestId(form(conflict, false, text()), 'conflict-alert')[0]).toContain('表单已重新加载为最新的值');
    await i18n.changeLanguage('en');
    expect(byTestId(form(conflict, false, text()), 'conflict-alert')[0]).toContain('the form now shows their values');
    await i18n.changeLanguage('zh-CN');
    // Forms that keep their draft keep the default message.
    expect(byTestId(form(conflict, false), 'conflict-alert')[0]).toContain('已被其他人修改');
  });

  it('is read-only for a role that may read the analyses but not manage them', () => {
    const screen = (permissions: Me['permissions']) => {
      const client = new QueryClient();
      client.setQueryData(settingsQueryKey, state);
      const me = { user: {}, permissions, orgId: 'o' } as unknown as Me;
      return renderToStaticMarkup(h(QueryClientProvider, { client }, h(MeProvider, { me, children: h(SettingsView) })));
    };
    const reader = screen(['analytics.read']);
    expect(reader).toContain(i18n.t('analytics.settings.readOnly'));
    expect(reader).toContain('<fieldset class="fieldset-contents" disabled="">');
    expect(reader).not.toContain('analytics-settings-save');
    const manager = screen(['analytics.read', 'analytics.manage']);
    expect(manager).toContain(i18n.t('analytics.settings.hint'));
    expect(manager).not.toContain('<fieldset');
    expect(manager).toContain('data-testid="analytics-settings-save"');
    // Every setting has its input, each class a name in both languages.
    for (const id of ['settings-currency', 'settings-window-days', 'settings-center', 'settings-top-share', 'settings-min-margin', 'settings-min-wallet', 'settings-growth', 'settings-decline', 'settings-declining-palive', 'settings-lost-palive', 'settings-model', 'settings-horizon', 'settings-discount', 'settings-resolution']) {
      expect(manager).toContain(`data-testid="${id}"`);
    }
    expect(manager.match(/data-testid="settings-class-\w+-(zh-CN|en)"/g)).toHaveLength(16);
  });

  it('has every string of the screen in both languages', () => {
    const code = fs.readFileSync(path.join(root, 'web/src/pages/analytics/SettingsView.tsx'), 'utf8');
    const plain = [...code.matchAll(/\bs\('(\w+)'\)/g)].map((m) => `analytics.settings.${m[1]}`);
    const variants = [...['mean', 'median'].map((k) => `analytics.settings.center_${k}`), ...['bgnbd', 'pareto-nbd'].map((k) => `analytics.settings.model_${k}`), 'analytics.view.settings'];
    const used = [...new Set([...plain, ...variants])];
    expect(used.length).toBeGreaterThan(40);
    for (const lng of ['zh-CN', 'en']) expect(used.filter((k) => !i18n.exists(k, { lng, fallbackLng: false })), lng).toEqual([]);
  });
});

describe('the settings hook after a save', () => {
  type S = { value: number; version: number };
  const query = { data: undefined } as unknown as UseQueryResult<S>;
  function formFor(client: QueryClient, o: Partial<Parameters<typeof useSettingsForm<S, { v: string }>>[0]> & { save: (d: { v: string }, version: number) => Promise<S> }) {
    let f: ReturnType<typeof useSettingsForm<S, { v: string }>> | undefined;
    function Probe() {
      f = useSettingsForm<S, { v: string }>({ query, queryKey: ['analytics', 'settings'], empty: { v: '1' }, draft: (s) => ({ v: String(s.value) }), version: (s) => s.version, ...o });
      return null;
    }
    renderToStaticMarkup(h(QueryClientProvider, { client }, h(Probe)));
    return f!;
  }
  const submitEvent = { preventDefault: () => undefined } as unknown as Parameters<ReturnType<typeof useSettingsForm>['submit']>[0];

  it('stores what the server returned and then runs onSaved (the analyses refetch)', async () => {
    const client = new QueryClient();
    const onSaved = vi.fn();
    const f = formFor(client, { save: async () => ({ value: 2, version: 1 }), onSaved });
    f.submit(submitEvent);
    await vi.waitFor(() => expect(onSaved).toHaveBeenCalledWith({ value: 2, version: 1 }));
    expect(client.getQueryData(['analytics', 'settings'])).toEqual({ value: 2, version: 1 });
  });

  it('on a 409 refetches the settings when told to reload, and leaves them otherwise', async () => {
    for (const reloadOnConflict of [true, false]) {
      const client = new QueryClient();
      client.setQueryData(['analytics', 'settings'], { value: 1, version: 1 });
      const save = vi.fn(async () => {
        throw new ApiError(409, { code: 'conflict', message: 'conflict', current: { version: 2 } });
      });
      const f = formFor(client, { save, reloadOnConflict });
      f.submit(submitEvent);
      await vi.waitFor(() => expect(client.getMutationCache().getAll()[0]?.state.status).toBe('error'));
      expect(client.getQueryState(['analytics', 'settings'])?.isInvalidated).toBe(reloadOnConflict);
    }
  });
});
