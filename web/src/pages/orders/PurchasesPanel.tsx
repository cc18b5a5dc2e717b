import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../api/client.ts';
import type { PurchasesSummary } from '../../api/types.ts';
import { formatDate, formatMoney } from '../../format.ts';
import { CustomerOrders } from './CustomerOrders.tsx';
import { ReturnsList } from './ReturnsList.tsx';

/**
 * The customer file's purchases: spend per year (purchased, refunded, net), the totals, the orders line by
 * line (where a return or exchange is requested), and the returns to settle.
 */
export function PurchasesPanel({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const summary = useQuery({
    queryKey: ['customer', customerId, 'purchases'],
    queryFn: () => api<PurchasesSummary>(`/api/customers/${encodeURIComponent(customerId)}/purchases-summary`),
  });
  return (
    <section className="card" data-testid="purchases-panel">
      <div className="card-head">
        <h2>{t('order.purchases')}</h2>
        {summary.data?.lastOrderedAt && (
          <span className="muted small">
            {t('order.lastOrdered')} {formatDate(summary.data.lastOrderedAt)}
          </span>
        )}
      </div>
      {summary.isPending && <div className="empty">{t('common.loading')}</div>}
      {summary.isError && <div className="alert alert-error">{errorMessage(summary.error)}</div>}
      {summary.data && !summary.data.years.length && <div className="empty compact">{t('order.noPurchases')}</div>}
      {summary.data && summary.data.years.length > 0 && (
        <>
          <div className="spend-totals">
            {summary.data.totals.map((tot) => (
              <div key={tot.currency} className="stat">
                <div className="stat-value">{formatMoney(tot.netMinor, tot.currency)}</div>
                <div className="stat-label">
                  {t('order.netTotal')} · {t('order.ordersCount', { count: tot.orders })}
                </div>
              </div>
            ))}
          </div>
          <table className="table">
            <thead>
              <tr>
                <th style={{ width: 56 }}>{t('order.year')}</th>
                <th className="num" style={{ width: 50 }}>{t('order.orders')}</th>
                <th className="num">{t('order.purchased')}</th>
                <th className="num">{t('order.refunded')}</th>
                <th className="num">{t('order.net')}</th>
              </tr>
            </thead>
            <tbody>
              {summary.data.years.map((y) => (
                <tr key={`${y.year}-${y.currency}`} data-testid="purchases-year">
                  <td className="mono">{y.year}</td>
                  <td className="num">{y.orders}</td>
                  <td className="num">{formatMoney(y.purchasedMinor, y.currency)}</td>
                  <td className="num muted">{y.returnedMinor ? `−${formatMoney(y.returnedMinor, y.currency)}` : '—'}</td>
                  <td className="num strong">{formatMoney(y.netMinor, y.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {summary.data && summary.data.years.length > 0 && (
        <>
          <CustomerOrders customerId={customerId} />
          <ReturnsList customerId={customerId} />
        </>
      )}
    </section>
  );
}
