import { useState, type DragEvent } from 'react';
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { api, ApiError, errorMessage } from '../../api/client.ts';
import { opportunityStageList, type Opportunity, type OpportunityBoard, type OpportunityStage, type OrderListItem, type Page, type UpdateOpportunityInput } from '../../api/types.ts';
import { useCan } from '../../auth.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { useNow } from '../../components/useNow.ts';
import { formatDate, formatDateTime, formatMoney } from '../../format.ts';
import { CustomerCell } from '../service/names.tsx';

const views = ['all', 'mine', 'team'] as const;
type View = (typeof views)[number];

/** 销售机会看板: one column per stage; a card moves by drag and drop or its buttons. Won asks for the order. */
export function OpportunityBoardPage() {
  const { t } = useTranslation();
  const can = useCan();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const v = params.get('view') as View | null;
  const view: View = v && views.includes(v) ? v : 'all';
  const highlight = params.get('open');
  const [dragging, setDragging] = useState<Opportunity | null>(null);
  const [winning, setWinning] = useState<Opportunity | null>(null);
  const [losing, setLosing] = useState<Opportunity | null>(null);
  const [error, setError] = useState<string | null>(null);

  const board = useQuery({ queryKey: ['opportunities', 'board', view], queryFn: () => api<OpportunityBoard>('/api/opportunities/board', { query: { view } }) });
  const columns = useQueries({
    queries: opportunityStageList.map((stage) => ({
      queryKey: ['opportunities', 'list', view, stage],
      queryFn: () => api<Page<Opportunity>>('/api/opportunities', { query: { view, stage, limit: stage === 'won' || stage === 'lost' ? 20 : 100 } }),
    })),
  });

  const move = useMutation({
    mutationFn: ({ o, body }: { o: Opportunity; body: Omit<UpdateOpportunityInput, 'version'> }) =>
      api<Opportunity>(`/api/opportunities/${encodeURIComponent(o.id)}`, { method: 'PATCH', body: { version: o.version, ...body } }),
    onSuccess: async () => {
      setError(null);
      setWinning(null);
      setLosing(null);
      await queryClient.invalidateQueries({ queryKey: ['opportunities'] });
      await queryClient.invalidateQueries({ queryKey: ['commissions'] });
    },
    onError: async (e) => {
      setError(errorMessage(e));
      if (e instanceof ApiError && e.status === 409) await queryClient.invalidateQueries({ queryKey: ['opportunities'] });
    },
  });

  const requestMove = (o: Opportunity, to: OpportunityStage) => {
    if (!o.allowedMoves.includes(to)) {
      setError(t('opportunity.notAllowed', { from: t(`opportunity.stage.${o.stage}`), to: t(`opportunity.stage.${to}`) }));
      return;
    }
    setError(null);
    if (to === 'won') setWinning(o);
    else if (to === 'lost') setLosing(o);
    else move.mutate({ o, body: { stage: to } });
  };

  const onDrop = (stage: OpportunityStage) => (e: DragEvent) => {
    e.preventDefault();
    if (dragging && dragging.stage !== stage) requestMove(dragging, stage);
    setDragging(null);
  };

  return (
    <div className="page page-fill">
      <div className="page-header">
        <div>
          <h1 className="page-title">{t('nav.opportunities')}</h1>
          <p className="page-sub muted">{t('opportunity.hint')}</p>
        </div>
      </div>
      <div className="view-tabs" role="tablist">
        {views.map((x) => (
          <button key={x} role="tab" aria-selected={view === x} className={view === x ? 'view-tab active' : 'view-tab'} onClick={() => setParams(x === 'all' ? {} : { view: x }, { replace: true })}>
            {t(`opportunity.view.${x}`)}
          </button>
        ))}
      </div>
      {error && (
        <div className="alert alert-warn" role="alert" data-testid="opportunity-error">
          {error}
        </div>
      )}
      <div className="kanban">
        {opportunityStageList.map((stage, i) => {
          const col = board.data?.columns.find((c) => c.stage === stage);
          const q = columns[i];
          return (
            <section key={stage} className={`kanban-col kcol-${stage}`} onDragOver={(e) => e.preventDefault()} onDrop={onDrop(stage)} data-testid={`kanban-${stage}`}>
              <header className="kanban-head">
                <span className="strong">{t(`opportunity.stage.${stage}`)}</span>
                <span className="badge">{col?.count ?? '…'}</span>
                {col && col.overdue > 0 && <span className="sla sla-breached">{t('opportunity.overdueCount', { count: col.overdue })}</span>}
                <span className="grow" />
                <span className="muted small">{col?.expectedValue.map((x) => formatMoney(x.minor, x.currency)).join(' + ')}</span>
              </header>
              <div className="kanban-body">
                {q.isError && <div className="alert alert-error">{errorMessage(q.error)}</div>}
                {q.data?.items.map((o) => (
                  <OpportunityCard
                    key={o.id}
                    o={o}
                    highlight={o.id === highlight}
                    canMove={can('opportunity.write')}
                    onDragStart={() => setDragging(o)}
                    onMove={(to) => requestMove(o, to)}
                    busy={move.isPending}
                  />
                ))}
                {q.data && !q.data.items.length && <div className="kanban-empty">{t('opportunity.emptyColumn')}</div>}
              </div>
            </section>
          );
        })}
      </div>
      {winning && <WonDialog o={winning} busy={move.isPending} error={move.error} onClose={() => setWinning(null)} onSubmit={(orderId) => move.mutate({ o: winning, body: { stage: 'won', orderId } })} />}
      {losing && <LostDialog busy={move.isPending} onClose={() => setLosing(null)} onSubmit={(lostReason) => move.mutate({ o: losing, body: { stage: 'lost', lostReason } })} />}
    </div>
  );
}

function OpportunityCard({ o, highlight, canMove, busy, onDragStart, onMove }: { o: Opportunity; highlight: boolean; canMove: boolean; busy: boolean; onDragStart: () => void; onMove: (to: OpportunityStage) => void }) {
  const { t } = useTranslation();
  const now = useNow();
  const open = o.stage !== 'won' && o.stage !== 'lost';
  const overdue = open && new Date(o.followUpDueAt).getTime() < now;
  return (
    <article className={`kcard ${highlight ? 'kcard-hl' : ''}`} draggable={canMove && open} onDragStart={onDragStart} data-testid="opportunity-card" data-id={o.id}>
      <div className="kcard-top">
        <span className={`grade grade-${o.need.grade}`}>{o.need.grade}</span>
        <span className="strong kcard-customer">
          <CustomerCell id={o.customerId} link />
        </span>
        {o.expectedValueMinor != null && <span className="kcard-value">{formatMoney(o.expectedValueMinor, o.currency)}</span>}
      </div>
      <div className="kcard-need" title={o.need.need}>
        {o.need.need}
      </div>
      {o.nextStep && <div className="kcard-next muted small">→ {o.nextStep}</div>}
      <div className="kcard-foot small">
        <span className="muted">{o.ownerName ?? o.ownerTeamName ?? t('service.unassigned')}</span>
        <span className="grow" />
        {open ? (
          <span className={overdue ? 'text-danger' : 'muted'} title={formatDateTime(o.followUpDueAt)}>
            {t('opportunity.followUp')} {formatDate(o.followUpDueAt)}
          </span>
        ) : (
          <span className="muted">{formatDate(o.closedAt)}</span>
        )}
      </div>
      {o.stage === 'lost' && o.lostReason && <div className="small muted">{o.lostReason}</div>}
      {canMove && o.allowedMoves.length > 0 && (
        <div className="kcard-moves">
          {o.allowedMoves.map((to) => (
            <button key={to} className={`btn btn-sm ${to === 'won' ? 'btn-win' : ''}`} onClick={() => onMove(to)} disabled={busy} data-testid={`move-${to}`}>
              {t(`opportunity.moveTo.${to}`)}
            </button>
          ))}
        </div>
      )}
    </article>
  );
}

/** Winning needs the resulting order (of the same customer): it is what the commission is computed on. */
function WonDialog({ o, busy, error, onClose, onSubmit }: { o: Opportunity; busy: boolean; error: Error | null; onClose: () => void; onSubmit: (orderId: string) => void }) {
  const { t } = useTranslation();
  const [orderId, setOrderId] = useState('');
  const orders = useQuery({
    queryKey: ['orders', 'customer', o.customerId],
    queryFn: () => api<Page<OrderListItem>>('/api/orders', { query: { customerId: o.customerId, limit: 30 } }),
  });
  return (
    <Dialog
      title={t('opportunity.winTitle')}
      onClose={onClose}
      footer={
        <>
          <button className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button className="btn btn-primary" disabled={!orderId || busy} onClick={() => onSubmit(orderId)} data-testid="won-submit">
            {busy ? t('common.saving') : t('opportunity.markWon')}
          </button>
        </>
      }
    >
      <p className="hint">{t('opportunity.winHint')}</p>
      {orders.isPending && <div className="empty">{t('common.loading')}</div>}
      {orders.isError && <div className="alert alert-error">{errorMessage(orders.error)}</div>}
      {orders.data && !orders.data.items.length && <div className="empty compact">{t('opportunity.noOrders')}</div>}
      {orders.data && orders.data.items.length > 0 && (
        <table className="table table-click">
          <thead>
            <tr>
              <th style={{ width: 28 }} />
              <th>{t('order.number')}</th>
              <th>{t('order.orderedAt')}</th>
              <th className="num">{t('order.total')}</th>
            </tr>
          </thead>
          <tbody>
            {orders.data.items.map((x) => (
              <tr key={x.id} onClick={() => setOrderId(x.id)} data-testid="won-order" className={orderId === x.id ? 'selected' : undefined}>
                <td>
                  <input type="radio" name="won-order" checked={orderId === x.id} onChange={() => setOrderId(x.id)} aria-label={x.orderNo ?? x.id} />
                </td>
                <td className="mono">{x.orderNo ?? x.id.slice(-8)}</td>
                <td className="mono muted">{formatDateTime(x.orderedAt)}</td>
                <td className="num">{formatMoney(x.totalMinor, x.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {error && <div className="alert alert-error">{errorMessage(error)}</div>}
    </Dialog>
  );
}

function LostDialog({ busy, onClose, onSubmit }: { busy: boolean; onClose: () => void; onSubmit: (reason: string) => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  return (
    <Dialog
      title={t('opportunity.loseTitle')}
      onClose={onClose}
      footer={
        <>
          <button className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button className="btn btn-primary" disabled={!reason.trim() || busy} onClick={() => onSubmit(reason.trim())}>
            {t('common.confirm')}
          </button>
        </>
      }
    >
      <label className="field">
        <span className="field-label required">{t('opportunity.lostReason')}</span>
        <textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={3} maxLength={500} autoFocus />
      </label>
    </Dialog>
  );
}
