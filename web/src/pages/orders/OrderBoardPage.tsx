import { useMemo, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { api, ApiError, errorMessage } from '../../api/client.ts';
import { orderStageList, type Order, type OrderListItem, type OrderStage, type StageBoard } from '../../api/types.ts';
import { useCan } from '../../auth.tsx';
import { DataGrid, gridHelper } from '../../components/DataGrid.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { formatDateTime, formatMinutes, formatMoney, formatNumber } from '../../format.ts';
import { CustomerCell } from '../service/names.tsx';

const helper = gridHelper<OrderListItem>();

function LateCell({ o }: { o: OrderListItem }) {
  const { t } = useTranslation();
  if (o.overdueMinutes == null) return <span className="muted">—</span>;
  if (o.overdueMinutes > 0) return <span className="sla sla-breached">{t('sla.overdue', { time: formatMinutes(o.overdueMinutes) })}</span>;
  return <span className="sla sla-ok">{t('sla.left', { time: formatMinutes(-o.overdueMinutes) })}</span>;
}

/** 订单执行监控: open orders by fulfilment stage, late first. */
export function OrderBoardPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const [open, setOpen] = useState<string | null>(null);
  const stageParam = params.get('stage') as OrderStage | null;
  const stage = stageParam && orderStageList.includes(stageParam) ? stageParam : undefined;
  const board = useQuery({
    queryKey: ['orders', 'board', stage ?? ''],
    queryFn: ({ signal }) => api<StageBoard>('/api/orders/board', { query: { stage, limit: 200 }, signal }),
    placeholderData: (prev) => prev,
    refetchInterval: 60_000,
  });

  const columns = useMemo(
    () =>
      helper.columns([
        helper.accessor('orderNo', { header: () => t('order.number'), size: 140, cell: (i) => <span className="mono strong">{i.getValue() ?? i.row.original.id.slice(-8)}</span> }),
        helper.accessor('customerName', { header: () => t('service.customer'), size: 140, cell: (i) => <CustomerCell id={i.row.original.customerId} name={i.getValue()} link /> }),
        helper.accessor('stage', { header: () => t('order.stageLabel'), size: 100, cell: (i) => <span className={`pill stage-${i.getValue()}`}>{t(`order.stage.${i.getValue()}`)}</span> }),
        helper.accessor('stageAt', { header: () => t('order.stageSince'), size: 130, cell: (i) => <span className="mono muted">{formatDateTime(i.getValue())}</span> }),
        helper.accessor('overdueMinutes', { header: () => t('order.late'), size: 140, cell: (i) => <LateCell o={i.row.original} /> }),
        helper.accessor('totalMinor', { header: () => t('order.total'), size: 120, cell: (i) => <span className="num">{formatMoney(i.getValue(), i.row.original.currency)}</span> }),
        helper.accessor('ownerName', { header: () => t('customer.owner'), size: 100, cell: (i) => i.getValue() ?? <span className="muted">—</span> }),
        helper.accessor('channel', { header: () => t('order.channel'), size: 80, cell: (i) => t(`order.channels.${i.getValue()}`, { defaultValue: i.getValue() }) }),
        helper.accessor('orderedAt', { header: () => t('order.orderedAt'), size: 130, cell: (i) => <span className="mono muted">{formatDateTime(i.getValue())}</span> }),
      ]),
    [t],
  );
  const rows = board.data?.orders ?? [];
  const late = board.data?.stages.reduce((s, x) => s + x.late, 0) ?? 0;

  return (
    <div className="page page-fill">
      <div className="page-header">
        <div>
          <h1 className="page-title">{t('nav.orders')}</h1>
          <p className="page-sub muted">{t('order.boardHint')}</p>
        </div>
      </div>
      <div className="stage-strip" role="tablist">
        <button role="tab" aria-selected={!stage} className={!stage ? 'stage-card active' : 'stage-card'} onClick={() => setParams({}, { replace: true })}>
          <span className="stage-name">{t('order.allStages')}</span>
          <span className="stage-count">{formatNumber(board.data?.stages.reduce((s, x) => s + x.open, 0) ?? 0)}</span>
          <span className={late ? 'stage-late on' : 'stage-late'}>{t('order.lateCount', { count: late })}</span>
        </button>
        {board.data?.stages.map((s) => (
          <button key={s.stage} role="tab" aria-selected={stage === s.stage} className={stage === s.stage ? 'stage-card active' : 'stage-card'} onClick={() => setParams({ stage: s.stage }, { replace: true })} data-testid={`stage-${s.stage}`}>
            <span className="stage-name">{t(`order.stage.${s.stage}`)}</span>
            <span className="stage-count">{formatNumber(s.open)}</span>
            <span className={s.late ? 'stage-late on' : 'stage-late'}>
              {t('order.lateCount', { count: s.late })}
              {s.targetMinutes != null && <span className="muted"> · {t('order.target', { time: formatMinutes(s.targetMinutes) })}</span>}
            </span>
          </button>
        ))}
      </div>
      {board.isError && <div className="alert alert-error">{errorMessage(board.error)}</div>}
      <DataGrid
        columns={columns}
        rows={rows}
        rowTestId="order-row"
        rowClass={(r) => (r.late ? 'row-breached' : undefined)}
        onRowClick={(r) => setOpen(r.id)}
        loading={board.isPending}
        empty={t('order.boardEmpty')}
      />
      {open && <OrderDialog id={open} onClose={() => setOpen(null)} />}
    </div>
  );
}

/** One order: lines, stage history, and the next stage as a button (the version read guards races). */
export function OrderDialog({ id, onClose }: { id: string; onClose: () => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const queryClient = useQueryClient();
  const order = useQuery({ queryKey: ['order', id], queryFn: () => api<Order>(`/api/orders/${encodeURIComponent(id)}`) });
  const advance = useMutation({
    mutationFn: (o: Order) => {
      const next = orderStageList[orderStageList.indexOf(o.stage) + 1];
      return api<Order>(`/api/orders/${encodeURIComponent(id)}/stages`, { method: 'POST', body: { stage: next, version: o.version } });
    },
    onSuccess: async (o) => {
      queryClient.setQueryData(['order', id], o);
      await queryClient.invalidateQueries({ queryKey: ['orders'] });
    },
    onError: (e) => {
      if (e instanceof ApiError && e.status === 409) void order.refetch();
    },
  });
  const o = order.data;
  const next = o ? orderStageList[orderStageList.indexOf(o.stage) + 1] : undefined;
  return (
    <Dialog
      title={o ? `${t('order.title')} ${o.orderNo ?? ''}` : t('order.title')}
      onClose={onClose}
      footer={
        o && next && can('order.write') ? (
          <button className="btn btn-primary" onClick={() => advance.mutate(o)} disabled={advance.isPending} data-testid="order-advance">
            {t('order.advanceTo', { stage: t(`order.stage.${next}`) })}
          </button>
        ) : undefined
      }
    >
      {order.isPending && <div className="empty">{t('common.loading')}</div>}
      {order.isError && <div className="alert alert-error">{errorMessage(order.error)}</div>}
      {advance.isError && <div className="alert alert-warn">{errorMessage(advance.error)}</div>}
      {o && (
        <div className="form-stack">
          <div className="detail-meta">
            <CustomerCell id={o.customerId} name={o.customerName} link />
            <span className={`pill stage-${o.stage}`}>{t(`order.stage.${o.stage}`)}</span>
            <span>{formatMoney(o.totalMinor, o.currency)}</span>
            <span className="muted">{formatDateTime(o.orderedAt)}</span>
          </div>
          <table className="table">
            <thead>
              <tr>
                <th>{t('order.product')}</th>
                <th style={{ width: 60 }}>{t('order.quantity')}</th>
                <th style={{ width: 110 }}>{t('order.amount')}</th>
                <th style={{ width: 80 }}>{t('order.returned')}</th>
              </tr>
            </thead>
            <tbody>
              {o.lines.map((l) => (
                <tr key={l.id}>
                  <td>
                    {l.name} <span className="muted mono">{l.sku}</span>
                  </td>
                  <td className="num">{l.quantity}</td>
                  <td className="num">{formatMoney(l.amountMinor, o.currency)}</td>
                  <td className="num">{l.returnedQuantity || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="timeline">
            <ol>
              {o.events.map((e) => (
                <li key={e.id} className={`tl-item ${e.correction ? 'tl-reveal' : 'tl-contact'}`}>
                  <span className="tl-dot" />
                  <div className="tl-body">
                    <div className="tl-head">
                      <span className="tl-kind">{t(`order.stage.${e.stage}`)}</span>
                      {e.correction && <span className="badge badge-warn">{t('order.correction')}</span>}
                      <span className="tl-spacer" />
                      <span className="muted">{e.actorName ?? t('timeline.system')}</span>
                      <time className="mono muted">{formatDateTime(e.at)}</time>
                    </div>
                    {e.note && <div className="tl-summary">{e.note}</div>}
                  </div>
                </li>
              ))}
            </ol>
          </div>
        </div>
      )}
    </Dialog>
  );
}
