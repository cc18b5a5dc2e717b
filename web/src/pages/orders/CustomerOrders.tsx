import { Fragment, useState } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../api/client.ts';
import type { CustomerOrder, Page } from '../../api/types.ts';
import { useCan } from '../../auth.tsx';
import { formatDate, formatMoney } from '../../format.ts';
import { RequestReturnDialog } from './RequestReturnDialog.tsx';

/**
 * 购买明细: the customer's orders, newest first, line by line, with what each line may still return;
 * people who may record returns (order.write) request a return or exchange of a line from here.
 */
export function CustomerOrders({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const can = useCan();
  const [requesting, setRequesting] = useState<{ orderId: string; lineId: string } | null>(null);
  const list = useInfiniteQuery({
    queryKey: ['customer', customerId, 'orders'],
    queryFn: ({ pageParam, signal }) =>
      api<Page<CustomerOrder>>(`/api/customers/${encodeURIComponent(customerId)}/orders`, { query: { cursor: pageParam, limit: 10 }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const orders = list.data?.pages.flatMap((p) => p.items) ?? [];
  // The dialog reads the order and line from the latest list, so a reload (after a 409) gives it the new version.
  const target = requesting ? orders.find((o) => o.id === requesting.orderId) : undefined;
  const targetLine = requesting ? target?.lines.find((l) => l.id === requesting.lineId) : undefined;
  const mayRequest = can('order.write');
  return (
    <div className="customer-orders" data-testid="customer-orders">
      <h3>{t('order.lines.title')}</h3>
      {list.isError && <div className="alert alert-error">{errorMessage(list.error)}</div>}
      {list.data && !orders.length && <div className="empty compact">{t('order.noPurchases')}</div>}
      {orders.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>{t('order.product')}</th>
              <th className="num" style={{ width: 40 }}>{t('order.quantity')}</th>
              <th className="num">{t('order.amount')}</th>
              <th className="num" style={{ width: 56 }}>{t('order.returned')}</th>
              {mayRequest && <th style={{ width: 96 }} />}
            </tr>
          </thead>
          <tbody>
            {orders.map((o) => (
              <Fragment key={o.id}>
                <tr className="order-group" data-testid="customer-order">
                  <td colSpan={mayRequest ? 5 : 4}>
                    <span className="strong">{o.orderNo ?? t('order.title')}</span>
                    <span className="muted small"> · {formatDate(o.orderedAt)} · {t(`order.stage.${o.stage}`)} · {formatMoney(o.totalMinor, o.currency)}</span>
                  </td>
                </tr>
                {o.lines.map((l) => (
                  <tr key={l.id} data-testid="order-line" data-sku={l.sku}>
                    <td>
                      {l.name} <span className="muted mono small">{l.sku}</span>
                    </td>
                    <td className="num">{l.quantity}</td>
                    <td className="num">{formatMoney(l.amountMinor, o.currency)}</td>
                    <td className="num muted" data-testid="order-line-returned">{l.returnedQuantity || '—'}</td>
                    {mayRequest && (
                      <td>
                        {l.returnableQuantity > 0 ? (
                          <button className="btn btn-sm" onClick={() => setRequesting({ orderId: o.id, lineId: l.id })} data-testid="return-request">
                            {t('order.returns.request')}
                          </button>
                        ) : (
                          <span className="muted small">{t('order.returns.allReturned')}</span>
                        )}
                      </td>
                    )}
                  </tr>
                ))}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
      {list.hasNextPage && (
        <div className="load-more">
          <button className="btn btn-sm" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
            {list.isFetchingNextPage ? t('common.loadingMore') : t('common.loadMore')}
          </button>
        </div>
      )}
      {target && targetLine && <RequestReturnDialog customerId={customerId} order={target} line={targetLine} onClose={() => setRequesting(null)} />}
    </div>
  );
}
