// 分析设置: the organization's analytics settings (currency, RFM window and centre, its own names for the eight
// classes, key-account and winning/losing thresholds, the CLV set-up) edited in place. PUT replaces the whole
// object, so the form always sends every field; a 409 reloads what the other person saved rather than keeping a
// draft whose untouched fields would undo their change. People who may only read the analyses see the values
// (they explain the numbers) but cannot change them.
import type { ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../api/client.ts';
import { useCan } from '../../auth.tsx';
import { i18n } from '../../i18n/index.ts';
import { EnumSelect, FieldErr } from '../settings/adminKit.tsx';
import { Field, SettingsForm, useSettingsForm } from '../settings/RecordEditor.tsx';
import { rfmClassOrder, type AnalyticsSettingsInput, type AnalyticsSettingsState, type RfmClass } from './api.ts';

/** The currencies offered in the select; any other ISO 4217 code can be typed (the server checks it). */
export const commonCurrencies = ['CNY', 'HKD', 'MOP', 'TWD', 'USD', 'EUR', 'JPY', 'GBP', 'KRW', 'SGD', 'AUD', 'CAD'] as const;
const OTHER = 'other';
const centers = ['mean', 'median'] as const;
const models = ['bgnbd', 'pareto-nbd'] as const;
const langs = ['zh-CN', 'en'] as const;
type Lang = (typeof langs)[number];

export const settingsQueryKey = ['analytics', 'settings'] as const;

/** What people type: numbers stay text (percentages as percent) until saved, so a bad entry reaches the server's check. */
export interface SettingsDraft {
  currency: string;
  /** The currency is typed rather than picked from the list. */
  otherCurrency: boolean;
  windowDays: string;
  center: (typeof centers)[number];
  names: Record<RfmClass, Record<Lang, string>>;
  topSharePct: string;
  minMarginRatePct: string;
  minWalletSharePct: string;
  growthPct: string;
  declinePct: string;
  decliningPAlivePct: string;
  lostPAlivePct: string;
  model: (typeof models)[number];
  horizonWeeks: string;
  discountPct: string;
  resolutionDays: string;
}

/** 0.1 → "10" (rounded so 0.29 shows as 29, not 28.999999999999996). */
const pct = (v: number) => String(Number((v * 100).toFixed(6)));
/** "" → NaN, which JSON sends as null: the server then names the field rather than the form guessing 0. */
const num = (s: string) => (s.trim() === '' ? Number.NaN : Number(s));
const fromPct = (s: string) => num(s) / 100;

export function settingsDraft({ settings: s }: AnalyticsSettingsState): SettingsDraft {
  const names = Object.fromEntries(
    rfmClassOrder.map((c) => [c, { 'zh-CN': s.classNames[c]?.['zh-CN'] ?? '', en: s.classNames[c]?.en ?? '' }]),
  ) as Record<RfmClass, Record<Lang, string>>;
  return {
    currency: s.currency,
    otherCurrency: !(commonCurrencies as readonly string[]).includes(s.currency),
    windowDays: String(s.rfmWindowDays),
    center: s.rfmCenter,
    names,
    topSharePct: pct(s.keyAccounts.topShare),
    minMarginRatePct: pct(s.keyAccounts.minMarginRate),
    minWalletSharePct: pct(s.keyAccounts.minWalletShare),
    growthPct: pct(s.movement.growthRatio),
    declinePct: pct(s.movement.declineRatio),
    decliningPAlivePct: pct(s.movement.decliningPAlive),
    lostPAlivePct: pct(s.movement.lostPAlive),
    model: s.clv.model,
    horizonWeeks: String(s.clv.horizonWeeks),
    discountPct: pct(s.clv.annualDiscountRate),
    resolutionDays: String(s.clv.resolutionDays),
  };
}

/** The whole settings object (PUT replaces it): a class name left empty falls back to the standard name. */
export function settingsBody(d: SettingsDraft, version: number): AnalyticsSettingsInput {
  const classNames: Partial<Record<RfmClass, Partial<Record<Lang, string>>>> = {};
  for (const c of rfmClassOrder) {
    const named = Object.fromEntries(langs.filter((l) => d.names[c][l].trim() !== '').map((l) => [l, d.names[c][l].trim()]));
    if (Object.keys(named).length) classNames[c] = named;
  }
  return {
    version,
    settings: {
      currency: d.currency.trim(),
      rfmWindowDays: num(d.windowDays),
      rfmCenter: d.center,
      classNames,
      keyAccounts: { topShare: fromPct(d.topSharePct), minMarginRate: fromPct(d.minMarginRatePct), minWalletShare: fromPct(d.minWalletSharePct) },
      movement: { growthRatio: fromPct(d.growthPct), declineRatio: fromPct(d.declinePct), decliningPAlive: fromPct(d.decliningPAlivePct), lostPAlive: fromPct(d.lostPAlivePct) },
      clv: { model: d.model, horizonWeeks: num(d.horizonWeeks), annualDiscountRate: fromPct(d.discountPct), resolutionDays: num(d.resolutionDays) },
    },
  };
}

const emptyDraft = settingsDraft({ settings: { currency: '', rfmWindowDays: 0, rfmCenter: 'mean', classNames: {}, keyAccounts: { topShare: 0, minMarginRate: 0, minWalletShare: 0 }, movement: { growthRatio: 0, declineRatio: 0, decliningPAlive: 0, lostPAlive: 0 }, clv: { model: 'bgnbd', horizonWeeks: 0, annualDiscountRate: 0, resolutionDays: 0 } }, version: 0 });

function currencyLabel(code: string): string {
  try {
    const name = new Intl.DisplayNames([i18n.language], { type: 'currency' }).of(code);
    return name && name !== code ? `${code} · ${name}` : code;
  } catch {
    return code;
  }
}

/** A number input with a unit after it (%, days, weeks). */
function Unit({ unit, children }: { unit: string; children: ReactNode }) {
  return (
    <span className="input-unit">
      {children}
      <span className="muted">{unit}</span>
    </span>
  );
}

export function SettingsView() {
  const { t } = useTranslation();
  const canManage = useCan()('analytics.manage');
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: settingsQueryKey, queryFn: () => api<AnalyticsSettingsState>('/api/analytics/settings') });
  const form = useSettingsForm({
    query: settings,
    queryKey: settingsQueryKey,
    empty: emptyDraft,
    draft: settingsDraft,
    version: (s) => s.version,
    save: (d, version) => api<AnalyticsSettingsState>('/api/analytics/settings', { method: 'PUT', body: settingsBody(d, version) }),
    // Every analysis reads these settings (names, thresholds, currency), and so do the customer files' value panels.
    onSaved: () =>
      queryClient.invalidateQueries({
        predicate: (q) => (q.queryKey[0] === 'analytics' && q.queryKey[1] !== 'settings') || q.queryKey[0] === 'customers' || (q.queryKey[0] === 'customer' && q.queryKey[2] === 'value'),
      }),
    reloadOnConflict: true,
  });
  const { draft: d, set, text } = form;
  if (settings.isError) return <div className="alert alert-error">{errorMessage(settings.error)}</div>;
  if (!settings.data) return <div className="empty">{t('common.loading')}</div>;

  const setName = (c: RfmClass, l: Lang, v: string) => set('names', { ...d.names, [c]: { ...d.names[c], [l]: v } });
  const percent = (key: 'topSharePct' | 'minMarginRatePct' | 'minWalletSharePct' | 'growthPct' | 'declinePct' | 'decliningPAlivePct' | 'lostPAlivePct' | 'discountPct', testId: string) => (
    <Unit unit="%">
      <input type="number" step="any" inputMode="decimal" {...text(key)} data-testid={testId} />
    </Unit>
  );
  const s = (k: string) => t(`analytics.settings.${k}`);

  return (
    <section className="card analytics-card analytics-settings" data-testid="analytics-settings">
      <div className="card-head">
        <h2>{s('title')}</h2>
      </div>
      <p className="muted">{canManage ? s('hint') : s('readOnly')}</p>
      <SettingsForm form={form} saveTestId="analytics-settings-save" readOnly={!canManage} conflictText={s('conflict')}>
        <h3 className="field-wide">{s('general')}</h3>
        <Field label={s('currency')} name="settings.currency" hint={s('currencyHint')}>
          <span className="input-pair">
            <select
              value={d.otherCurrency ? OTHER : d.currency}
              onChange={(e) => {
                const v = e.target.value;
                if (v === OTHER) {
                  set('otherCurrency', true);
                } else {
                  set('otherCurrency', false);
                  set('currency', v);
                }
              }}
              data-testid="settings-currency"
            >
              {commonCurrencies.map((c) => (
                <option key={c} value={c}>
                  {currencyLabel(c)}
                </option>
              ))}
              <option value={OTHER}>{s('otherCurrency')}</option>
            </select>
            {d.otherCurrency && <input {...text('currency')} placeholder="ISO 4217" maxLength={8} data-testid="settings-currency-code" />}
          </span>
        </Field>
        <span />
        <Field label={s('windowDays')} name="settings.rfmWindowDays" hint={s('windowDaysHint')}>
          <Unit unit={s('daysUnit')}>
            <input type="number" step="1" {...text('windowDays')} data-testid="settings-window-days" />
          </Unit>
        </Field>
        <Field label={s('center')} name="settings.rfmCenter" hint={s('centerHint')}>
          <EnumSelect value={d.center} options={centers} label={(k) => s(`center_${k}`)} onChange={(v) => set('center', v)} testId="settings-center" />
        </Field>

        <h3 className="field-wide">{s('classNames')}</h3>
        <p className="hint field-wide">{s('classNamesHint')}</p>
        <table className="table field-wide settings-class-names">
          <thead>
            <tr>
              <th>{s('standardName')}</th>
              <th>{s('nameZh')}</th>
              <th>{s('nameEn')}</th>
            </tr>
          </thead>
          <tbody>
            {rfmClassOrder.map((c) => (
              <tr key={c} data-testid={`settings-class-${c}`}>
                <td>{t(`analytics.rfmClass.${c}`)}</td>
                {langs.map((l) => (
                  <td key={l}>
                    <input
                      value={d.names[c][l]}
                      onChange={(e) => setName(c, l, e.target.value)}
                      placeholder={i18n.t(`analytics.rfmClass.${c}`, { lng: l })}
                      aria-label={`${t(`analytics.rfmClass.${c}`)} (${l})`}
                      data-testid={`settings-class-${c}-${l}`}
                    />
                    <FieldErr error={form.error} field={`settings.classNames.${c}.${l}`} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>

        <h3 className="field-wide">{s('keyAccounts')}</h3>
        <Field label={s('topShare')} name="settings.keyAccounts.topShare" hint={s('topShareHint')}>
          {percent('topSharePct', 'settings-top-share')}
        </Field>
        <Field label={s('minMarginRate')} name="settings.keyAccounts.minMarginRate" hint={s('minMarginRateHint')}>
          {percent('minMarginRatePct', 'settings-min-margin')}
        </Field>
        <Field label={s('minWalletShare')} name="settings.keyAccounts.minWalletShare" hint={s('minWalletShareHint')}>
          {percent('minWalletSharePct', 'settings-min-wallet')}
        </Field>
        <span />

        <h3 className="field-wide">{s('movement')}</h3>
        <Field label={s('growth')} name="settings.movement.growthRatio" hint={s('growthHint')}>
          {percent('growthPct', 'settings-growth')}
        </Field>
        <Field label={s('decline')} name="settings.movement.declineRatio" hint={s('declineHint')}>
          {percent('declinePct', 'settings-decline')}
        </Field>
        <Field label={s('decliningPAlive')} name="settings.movement.decliningPAlive" hint={s('decliningPAliveHint')}>
          {percent('decliningPAlivePct', 'settings-declining-palive')}
        </Field>
        <Field label={s('lostPAlive')} name="settings.movement.lostPAlive" hint={s('lostPAliveHint')}>
          {percent('lostPAlivePct', 'settings-lost-palive')}
        </Field>

        <h3 className="field-wide">{s('clv')}</h3>
        <Field label={s('model')} name="settings.clv.model" hint={s('modelHint')}>
          <EnumSelect value={d.model} options={models} label={(k) => s(`model_${k}`)} onChange={(v) => set('model', v)} testId="settings-model" />
        </Field>
        <Field label={s('horizon')} name="settings.clv.horizonWeeks" hint={s('horizonHint')}>
          <Unit unit={s('weeksUnit')}>
            <input type="number" step="1" {...text('horizonWeeks')} data-testid="settings-horizon" />
          </Unit>
        </Field>
        <Field label={s('discount')} name="settings.clv.annualDiscountRate" hint={s('discountHint')}>
          {percent('discountPct', 'settings-discount')}
        </Field>
        <Field label={s('resolution')} name="settings.clv.resolutionDays" hint={s('resolutionHint')}>
          <Unit unit={s('daysUnit')}>
            <input type="number" step="1" {...text('resolutionDays')} data-testid="settings-resolution" />
          </Unit>
        </Field>
      </SettingsForm>
    </section>
  );
}
