import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError, errorMessage } from '../../api/client.ts';
import type { CustomerOrder, Order, OrderLine, RecordReturnInput } from '../../api/types.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { fieldErrorOf } from '../../components/fieldErrors.ts';
import { formatMoney, parseMoney } from '../../format.ts';

type Kind = RecordReturnInput['kind'];
/** What the form sends: what the person typed is sent even when unreadable (null), so the server names the field. */
type RequestBody = Omit<RecordReturnInput, 'quantity' | 'amountMinor'> & { quantity: number | null; amountMinor?: number | null };

const fields = ['kind', 'quantity', 'reason', 'amountMinor', 'note'] as const;

/**
 * 申请退换货: a return or exchange of part of one order line, recorded as a request that is settled later
 * (ReturnsList). The server decides what may still be returned; the order's version guards against a
 * request recorded meanwhile by someone else (409: the lines are reloaded and the person tries again).
 */
export function RequestReturnDialog({ customerId, order, line, onClose }: { customerId: string; order: CustomerOrder; line: OrderLine; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<Kind>('return');
  const [quantity, setQuantity] = useState('1');
  const [reason, setReason] = useState('');
  const [refund, setRefund] = useState('');
  const [note, setNote] = useState('');
  const refreshLines = () => queryClient.invalidateQueries({ queryKey: ['customer', customerId, 'orders'] });
  const request = useMutation({
    mutationFn: () => {
      const q = quantity.trim();
      const body: RequestBody = {
        orderLineId: line.id,
        kind,
        quantity: /^\d+$/.test(q) ? Number(q) : null,
        reason,
        status: 'requested',
        version: order.version,
      };
      if (note.trim()) body.note = note;
      if (kind === 'return' && refund.trim()) body.amountMinor = parseMoney(refund, order.currency);
      return api<Order>(`/api/orders/${encodeURIComponent(order.id)}/returns`, { method: 'POST', body });
    },
    onSuccess: async () => {
      // A request refunds nothing yet, but spend and the timeline are refreshed with the rest so the
      // panel never shows a mix of before and after.
      await Promise.all([
        refreshLines(),
        queryClient.invalidateQueries({ queryKey: ['customer', customerId, 'returns'] }),
        queryClient.invalidateQueries({ queryKey: ['customer', customerId, 'purchases'] }),
        queryClient.invalidateQueries({ queryKey: ['customer', customerId, 'timeline'] }),
        queryClient.invalidateQueries({ queryKey: ['order', order.id] }),
      ]);
      onClose();
    },
    onError: async (e) => {
      // The order moved, or the line has less left than this form showed: reload what may be returned.
      if (e instanceof ApiError && (e.status === 409 || fieldErrorOf(e, 'quantity') || fieldErrorOf(e, 'amountMinor'))) await refreshLines();
    },
  });
  const stale = request.error instanceof ApiError && request.error.status === 409;
  const limits = { max: line.returnableQuantity, amount: formatMoney(line.refundableMinor, order.currency) };
  /** The field's error in the UI language, by the server's stable code (its message is a fallback for developers). */
  const err = (field: (typeof fields)[number]) => {
    const f = fieldErrorOf(request.error, field);
    return f ? t([`order.returns.errors.${field}.${f.code}`, `order.returns.errors.${field}.invalid`], limits) : undefined;
  };
  const onAField = fields.some((f) => err(f));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    request.mutate();
  };
  return (
    <Dialog title={t('order.returns.requestTitle', { product: line.name })} onClose={onClose}>
      <form className="form-stack" onSubmit={submit} noValidate data-testid="return-request-form">
        <div className="detail-meta muted small">
          <span>{order.orderNo ?? ''}</span>
          <span className="mono">{line.sku}</span>
          <span>{t('order.returns.bought', { count: line.quantity })}</span>
          <span data-testid="return-request-left">{t('order.returns.left', { count: line.returnableQuantity })}</span>
        </div>
        <div className="field">
          <span className="field-label required">{t('order.returns.kindLabel')}</span>
          <div className="segmented" role="radiogroup" aria-label={t('order.returns.kindLabel')}>
            {(['return', 'exchange'] as const).map((k) => (
              <button key={k} type="button" role="radio" aria-checked={kind === k} className={kind === k ? 'active' : ''} onClick={() => setKind(k)} data-testid={`return-kind-${k}`}>
                {t(`order.returns.kind.${k}`)}
              </button>
            ))}
          </div>
          {err('kind') && <span className="field-error">{err('kind')}</span>}
        </div>
        <div className="form-row-2">
          <label className="field">
            <span className="field-label required">{t('order.quantity')}</span>
            <input type="number" min={1} max={line.returnableQuantity} step={1} value={quantity} onChange={(e) => setQuantity(e.target.value)} data-testid="return-quantity" />
            <span className="hint">{t('order.returns.quantityHint', { count: line.returnableQuantity })}</span>
            {err('quantity') && <span className="field-error" data-testid="return-error-quantity">{err('quantity')}</span>}
          </label>
          {kind === 'return' && (
            <label className="field">
              <span className="field-label">{t('order.returns.refundProposal')}</span>
              <input value={refund} onChange={(e) => setRefund(e.target.value)} inputMode="decimal" placeholder={t('order.returns.refundDefault')} data-testid="return-request-refund" />
              <span className="hint">{t('order.returns.refundProposalHint', { amount: limits.amount })}</span>
              {err('amountMinor') && <span className="field-error" data-testid="return-request-error-amount">{err('amountMinor')}</span>}
            </label>
          )}
        </div>
        <label className="field">
          <span className="field-label required">{t('order.returns.reason')}</span>
          <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} placeholder={t('order.returns.reasonPlaceholder')} data-testid="return-reason" />
          {err('reason') && <span className="field-error" data-testid="return-error-reason">{err('reason')}</span>}
        </label>
        <label className="field">
          <span className="field-label">{t('order.returns.note')}</span>
          <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={2} maxLength={2000} placeholder={t('order.returns.notePlaceholder')} data-testid="return-note" />
          {err('note') && <span className="field-error">{err('note')}</span>}
        </label>
        {stale && (
          <div className="alert alert-error" data-testid="return-request-stale">
            {t('order.returns.requestStale')}
          </div>
        )}
        {request.isError && !stale && !onAField && <div className="alert alert-error">{errorMessage(request.error)}</div>}
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="btn btn-primary" disabled={request.isPending} data-testid="return-request-submit">
            {request.isPending ? t('common.saving') : t('order.returns.requestSubmit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
