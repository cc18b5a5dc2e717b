import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError, errorMessage } from '../../api/client.ts';
import type { CustomerReturn, Order } from '../../api/types.ts';
import { useCan } from '../../auth.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { fieldError } from '../../components/fieldErrors.ts';
import { formatDate, formatMoney } from '../../format.ts';

/** 退换货: the customer's returns and exchanges, requested ones first, each settled here (completed or rejected). */
export function ReturnsList({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const can = useCan();
  const [settling, setSettling] = useState<CustomerReturn | null>(null);
  const list = useQuery({
    queryKey: ['customer', customerId, 'returns'],
    queryFn: () => api<{ items: CustomerReturn[] }>(`/api/customers/${encodeURIComponent(customerId)}/returns`),
  });
  return (
    <div className="returns" data-testid="returns-list">
      <h3>{t('order.returns.title')}</h3>
      {list.isError && <div className="alert alert-error">{errorMessage(list.error)}</div>}
      {list.data && !list.data.items.length && <div className="empty compact">{t('order.returns.none')}</div>}
      {list.data && list.data.items.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>{t('order.product')}</th>
              <th className="num" style={{ width: 40 }}>{t('order.quantity')}</th>
              <th className="num">{t('order.amount')}</th>
              <th>{t('order.returns.reason')}</th>
              <th>{t('order.stageLabel')}</th>
              <th style={{ width: 70 }} />
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((r) => (
              <tr key={r.id} data-testid="return-row" data-status={r.status}>
                <td>
                  <div>
                    {t(`order.returns.kind.${r.kind}`)} · {r.productName}
                  </div>
                  <div className="muted small">
                    {r.orderNo ?? formatDate(r.orderedAt)} · {t('order.returns.requestedAt')} {formatDate(r.at)}
                  </div>
                </td>
                <td className="num">{r.quantity}</td>
                <td className="num">{formatMoney(r.amountMinor, r.currency)}</td>
                <td>
                  <div>{r.reason}</div>
                  {r.note && (
                    <div className="muted small" data-testid="return-note-text">
                      {t('order.returns.noteLine', { note: r.note })}
                    </div>
                  )}
                  {r.outcome && <div className="muted small" data-testid="return-outcome">{r.outcome}</div>}
                </td>
                <td>
                  <span className={`pill st-return-${r.status}`} data-testid="return-status">
                    {t(`order.returns.status.${r.status}`)}
                  </span>
                </td>
                <td>
                  {r.status === 'requested' && can('order.write') && (
                    <button className="btn btn-sm" onClick={() => setSettling(r)} data-testid="return-settle">
                      {t('order.returns.settle')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {settling && <SettleReturnDialog customerId={customerId} ret={settling} onClose={() => setSettling(null)} />}
    </div>
  );
}

function SettleReturnDialog({ customerId, ret, onClose }: { customerId: string; ret: CustomerReturn; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<'completed' | 'rejected'>('completed');
  const [refund, setRefund] = useState(ret.kind === 'return' ? (ret.amountMinor / 100).toFixed(2) : '');
  const [outcome, setOutcome] = useState('');
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: ['customer', customerId, 'returns'] }),
      queryClient.invalidateQueries({ queryKey: ['customer', customerId, 'purchases'] }),
      queryClient.invalidateQueries({ queryKey: ['customer', customerId, 'timeline'] }),
    ]);
  const settle = useMutation({
    mutationFn: () => {
      const body: { status: 'completed' | 'rejected'; version: number; outcome?: string; amountMinor?: number } = { status, version: ret.version };
      if (outcome.trim()) body.outcome = outcome.trim();
      // An unreadable amount is sent as is (null) so the server names the field.
      if (status === 'completed' && ret.kind === 'return' && refund.trim()) {
        const n = Number(refund.trim());
        body.amountMinor = Number.isFinite(n) ? Math.round(n * 100) : (null as unknown as number);
      }
      return api<Order>(`/api/orders/${encodeURIComponent(ret.orderId)}/returns/${encodeURIComponent(ret.id)}`, { method: 'PATCH', body });
    },
    onSuccess: async () => {
      await refresh();
      onClose();
    },
    onError: async (e) => {
      if (e instanceof ApiError && e.status === 409) await refresh();
    },
  });
  const err = (f: string) => fieldError(settle.error, f);
  const stale = settle.error instanceof ApiError && settle.error.status === 409;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    settle.mutate();
  };
  const title = t('order.returns.settleTitle', { kind: t(`order.returns.kind.${ret.kind}`), product: ret.productName });
  return (
    <Dialog title={title} onClose={onClose}>
      <form className="form-stack" onSubmit={submit} data-testid="return-settle-form">
        <div className="field">
          <span className="field-label required">{t('order.returns.decision')}</span>
          <div className="segmented" role="radiogroup" aria-label={t('order.returns.decision')}>
            <button type="button" role="radio" aria-checked={status === 'completed'} className={status === 'completed' ? 'active' : ''} onClick={() => setStatus('completed')} data-testid="return-complete">
              {ret.kind === 'return' ? t('order.returns.complete') : t('order.returns.completeExchange')}
            </button>
            <button type="button" role="radio" aria-checked={status === 'rejected'} className={status === 'rejected' ? 'active' : ''} onClick={() => setStatus('rejected')} data-testid="return-reject">
              {t('order.returns.reject')}
            </button>
          </div>
          {err('status') && <span className="field-error" data-testid="return-error-status">{err('status')}</span>}
        </div>
        {status === 'completed' && ret.kind === 'return' && (
          <label className="field">
            <span className="field-label">{t('order.returns.refund')}</span>
            <input value={refund} onChange={(e) => setRefund(e.target.value)} inputMode="decimal" data-testid="return-refund" />
            <span className="hint">{t('order.returns.refundHint', { amount: formatMoney(ret.amountMinor, ret.currency) })}</span>
            {err('amountMinor') && <span className="field-error" data-testid="return-error-amount">{err('amountMinor')}</span>}
          </label>
        )}
        <label className="field">
          <span className="field-label">{t('order.returns.outcome')}</span>
          <textarea value={outcome} onChange={(e) => setOutcome(e.target.value)} rows={2} maxLength={500} placeholder={t('order.returns.outcomePlaceholder')} data-testid="return-outcome-input" />
          {err('outcome') && <span className="field-error">{err('outcome')}</span>}
        </label>
        {stale && <div className="alert alert-error">{t('order.returns.stale')}</div>}
        {settle.isError && !stale && !err('amountMinor') && !err('status') && !err('outcome') && <div className="alert alert-error">{errorMessage(settle.error)}</div>}
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="btn btn-primary" disabled={settle.isPending || stale} data-testid="return-settle-submit">
            {settle.isPending ? t('common.saving') : t('order.returns.submit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
