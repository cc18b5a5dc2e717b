// 大客户: ranked by volume, profit contribution or share of wallet, with 假大户 (high volume, low margin or share) flagged.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api, errorMessage } from '../../api/client.ts';
import { formatMoney, formatNumber } from '../../format.ts';
import { currencyOf, drillHref, type KeyAccounts } from './api.ts';
import { ExcludedNote } from './ExcludedNote.tsx';
import { pct } from './format.ts';

const sorts = ['volume', 'margin', 'walletShare'] as const;
type Sort = (typeof sorts)[number];

export function KeyAccountsView() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [sort, setSort] = useState<Sort>('volume');
  const [year, setYear] = useState('');
  const [onlyFlagged, setOnlyFlagged] = useState(false);
  const query = { sort, year: year || undefined, onlyFlagged: onlyFlagged || undefined, limit: 100 };
  const ka = useQuery({ queryKey: ['analytics', 'key-accounts', query], queryFn: () => api<KeyAccounts>('/api/analytics/key-accounts', { query }), placeholderData: (p) => p });
  const thisYear = new Date().getFullYear();
  const cur = currencyOf(ka.data);

  return (
    <section className="card analytics-card" data-testid="key-accounts">
      <div className="card-head">
        <h2>{t('analytics.keyAccountsTitle')}</h2>
        {ka.data && (
          <span className="muted small">
            {t('analytics.keyAccountsSummary', { year: ka.data.year, count: ka.data.customers, cutoff: ka.data.keyAccountCutoff })}
          </span>
        )}
      </div>
      <div className="toolbar">
        <div className="segmented" role="tablist">
          {sorts.map((s) => (
            <button key={s} role="tab" aria-selected={sort === s} className={sort === s ? 'active' : ''} onClick={() => setSort(s)}>
              {t(`analytics.sortBy.${s}`)}
            </button>
          ))}
        </div>
        <select value={year} onChange={(e) => setYear(e.target.value)} aria-label={t('analytics.year')}>
          <option value="">{t('analytics.latestYear')}</option>
          {[0, 1, 2, 3, 4].map((d) => (
            <option key={d} value={thisYear - d}>
              {thisYear - d}
            </option>
          ))}
        </select>
        <label className="check">
          <input type="checkbox" checked={onlyFlagged} onChange={(e) => setOnlyFlagged(e.target.checked)} data-testid="only-flagged" />
          {t('analytics.onlyFalseKeyAccounts')}
        </label>
        <div className="toolbar-spacer" />
        <button className="btn btn-sm" onClick={() => navigate(drillHref({ keyAccount: 'true' }))}>
          {t('analytics.allKeyAccounts')}
        </button>
      </div>
      {ka.isError && <div className="alert alert-error">{errorMessage(ka.error)}</div>}
      <table className="table table-click">
        <thead>
          <tr>
            <th style={{ width: 56 }} className="num">#</th>
            <th style={{ width: '24%' }}>{t('customer.name')}</th>
            <th className="num">{t('analytics.volume')}</th>
            <th className="num">{t('analytics.margin')}</th>
            <th className="num">{t('analytics.marginRate')}</th>
            <th className="num">{t('analytics.wallet')}</th>
            <th className="num">{t('analytics.walletShare')}</th>
            <th>{t('analytics.flags')}</th>
          </tr>
        </thead>
        <tbody>
          {ka.data?.items.map((r) => (
            <tr key={r.customerId} onClick={() => navigate(`/customers/${r.customerId}`)} data-testid="key-account-row">
              <td className="num mono">{r.volumeRank}</td>
              <td className="strong cell-clip">{r.name}</td>
              <td className="num">{formatMoney(r.revenueMinor, cur)}</td>
              <td className="num">{r.marginMinor === null ? '—' : formatMoney(r.marginMinor, cur)}</td>
              <td className="num">{pct(r.marginRate)}</td>
              <td className="num">{r.walletMinor === null ? '—' : formatMoney(r.walletMinor, cur)}</td>
              <td className="num">{pct(r.walletShare)}</td>
              <td>
                {r.keyAccount && <span className="badge">{t('analytics.keyAccount')}</span>}{' '}
                {r.falseKeyAccount && (
                  <span className="badge badge-warn" title={r.reasons.map((x) => t(`analytics.reason.${x}`)).join('，')} data-testid="false-key-account">
                    {t('analytics.falseKeyAccount')}
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {ka.isPending && <div className="empty">{t('common.loading')}</div>}
      {ka.data && ka.data.items.length === 0 && <div className="empty">{t('analytics.noOrders')}</div>}
      <ExcludedNote data={ka.data} />
      <p className="muted small">{t('analytics.keyAccountsHint', { shown: formatNumber(ka.data?.items.length ?? 0) })}</p>
    </section>
  );
}
