import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { api, errorMessage } from '../../api/client.ts';
import { useUsers } from '../../api/lookups.ts';
import type { Commissions } from '../../api/types.ts';
import { useCan, useMe } from '../../auth.tsx';
import { formatDateTime, formatMoney } from '../../format.ts';

function thisMonth(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

/** 提成台账: a staff member's commissions for a month, earned on won opportunities and reversed on returns. */
export function CommissionsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const me = useMe();
  const users = useUsers();
  const [params, setParams] = useSearchParams();
  const month = /^\d{4}-\d{2}$/.test(params.get('month') ?? '') ? params.get('month')! : thisMonth();
  const staffId = params.get('staff') ?? me.user.id;
  const set = (k: string, v: string) =>
    setParams(
      (prev) => {
        const n = new URLSearchParams(prev);
        if (v) n.set(k, v);
        else n.delete(k);
        return n;
      },
      { replace: true },
    );
  const ledger = useQuery({
    queryKey: ['commissions', staffId, month],
    queryFn: () => api<Commissions>('/api/commissions', { query: { staffId, month } }),
  });
  const staffChoices = can('commission.read_all') && users.data ? users.data.items : null;

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 className="page-title">{t('nav.commissions')}</h1>
          <p className="page-sub muted">{t('commission.hint')}</p>
        </div>
      </div>
      <div className="toolbar">
        <input type="month" value={month} onChange={(e) => set('month', e.target.value)} aria-label={t('commission.month')} data-testid="commission-month" />
        {staffChoices && (
          <select value={staffId} onChange={(e) => set('staff', e.target.value === me.user.id ? '' : e.target.value)} aria-label={t('commission.staff')}>
            {staffChoices.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
        )}
      </div>
      {ledger.isError && <div className="alert alert-error">{errorMessage(ledger.error)}</div>}
      {ledger.isPending && <div className="empty">{t('common.loading')}</div>}
      {ledger.data && (
        <>
          <div className="stats">
            {(ledger.data.totals.length ? ledger.data.totals : [{ currency: 'CNY', earnedMinor: 0, reversedMinor: 0, netMinor: 0 }]).map((x) => (
              <div key={x.currency} className="stat-group" data-testid="commission-total">
                <div className="stat">
                  <div className="stat-value">{formatMoney(x.netMinor, x.currency)}</div>
                  <div className="stat-label">{t('commission.net')}</div>
                </div>
                <div className="stat">
                  <div className="stat-value">{formatMoney(x.earnedMinor, x.currency)}</div>
                  <div className="stat-label">{t('commission.earned')}</div>
                </div>
                <div className="stat stat-rejected">
                  <div className="stat-value">{x.reversedMinor ? `−${formatMoney(Math.abs(x.reversedMinor), x.currency)}` : formatMoney(0, x.currency)}</div>
                  <div className="stat-label">{t('commission.reversed')}</div>
                </div>
              </div>
            ))}
          </div>
          <section className="card card-flush">
            {!ledger.data.items.length ? (
              <div className="empty">{t('commission.empty')}</div>
            ) : (
              <table className="table">
                <thead>
                  <tr>
                    <th style={{ width: 140 }}>{t('commission.at')}</th>
                    <th style={{ width: 90 }}>{t('commission.kind')}</th>
                    <th>{t('commission.order')}</th>
                    <th className="num">{t('commission.base')}</th>
                    <th className="num">{t('commission.amount')}</th>
                  </tr>
                </thead>
                <tbody>
                  {ledger.data.items.map((e) => (
                    <tr key={e.id} data-testid="commission-row">
                      <td className="mono muted">{formatDateTime(e.createdAt)}</td>
                      <td>
                        <span className={`pill ${e.kind === 'earned' ? 'cb-satisfied' : 'cb-reopen'}`}>{t(`commission.kinds.${e.kind}`)}</span>
                      </td>
                      <td className="mono">{e.orderId.slice(-8)}</td>
                      <td className="num">{formatMoney(e.baseMinor, e.currency)}</td>
                      <td className="num strong">{formatMoney(e.amountMinor, e.currency)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </>
      )}
    </div>
  );
}
