import { useMemo, useState } from 'react';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { api, errorMessage } from '../../api/client.ts';
import { callbackOutcomeList, type Callback, type CallbackOutcome, type CallbackOutcomeInput, type Page } from '../../api/types.ts';
import { useCan } from '../../auth.tsx';
import { DataGrid, gridHelper } from '../../components/DataGrid.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { useNow } from '../../components/useNow.ts';
import { formatDateTime, formatMinutes } from '../../format.ts';
import { Stars } from './ServiceOrderDetailPage.tsx';
import { CustomerCell, UserCell } from './names.tsx';

const views = ['mine', 'due', 'overdue', 'all'] as const;
type View = (typeof views)[number];
type ApiView = Exclude<View, 'all'>;
const helper = gridHelper<Callback>();

function DueCell({ c }: { c: Callback }) {
  const { t } = useTranslation();
  const now = useNow();
  if (c.status !== 'pending') return <span className="mono muted">{formatDateTime(c.dueAt)}</span>;
  const mins = (new Date(c.dueAt).getTime() - now) / 60_000;
  return (
    <span className={`sla ${mins < 0 ? 'sla-breached' : mins < 24 * 60 ? 'sla-at_risk' : 'sla-ok'}`} title={formatDateTime(c.dueAt)}>
      {mins < 0 ? t('sla.overdue', { time: formatMinutes(-mins) }) : t('sla.left', { time: formatMinutes(mins) })}
    </span>
  );
}

/** Callbacks (回访): one list, used on its own page (by view) and on a service order (all of its callbacks). */
export function CallbackList({ view, serviceOrderId, compact = false }: { view?: ApiView; serviceOrderId?: string; compact?: boolean }) {
  const { t } = useTranslation();
  const can = useCan();
  const [recording, setRecording] = useState<Callback | null>(null);
  const query = { view, serviceOrderId };
  const list = useInfiniteQuery({
    queryKey: ['callbacks', query],
    queryFn: ({ pageParam, signal }) => api<Page<Callback>>('/api/callbacks', { query: { ...query, cursor: pageParam, limit: 50 }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);

  const columns = useMemo(
    () =>
      helper.columns([
        helper.accessor('dueAt', { header: () => t('callback.due'), size: 130, cell: (i) => <DueCell c={i.row.original} /> }),
        ...(compact
          ? []
          : [
              helper.accessor('serviceOrderNumber', {
                header: () => t('service.number'),
                size: 130,
                cell: (i) => (
                  <Link className="mono" to={`/service/${i.row.original.serviceOrderId}`}>
                    {i.getValue()}
                  </Link>
                ),
              }),
              helper.accessor('customerId', {
                header: () => t('service.customer'),
                size: 120,
                cell: (i) => <CustomerCell id={i.getValue()} name={i.row.original.customerName} link />,
              }),
              helper.accessor('assigneeUserId', { header: () => t('service.assignee'), size: 100, cell: (i) => <UserCell id={i.getValue()} name={i.row.original.assigneeName} /> }),
            ]),
        helper.accessor('attempts', { header: () => t('callback.attempts'), size: 84, cell: (i) => <span className="mono">{i.getValue()}</span> }),
        helper.accessor('status', {
          header: () => t('service.status.label'),
          size: 150,
          cell: (i) => {
            const c = i.row.original;
            if (c.status === 'done' && c.outcome) return <span className={`pill cb-${c.outcome}`}>{t(`callback.outcome.${c.outcome}`)}</span>;
            return <span className={`pill cb-${c.status}`}>{t(`callback.status.${c.status}`)}</span>;
          },
        }),
        helper.accessor('note', { header: () => t('callback.note'), size: 160, cell: (i) => <span title={i.getValue() ?? ''}>{i.getValue() ?? ''}</span> }),
        helper.display({
          id: 'actions',
          header: () => '',
          size: 100,
          cell: (i) =>
            i.row.original.status === 'pending' && can('service.write') ? (
              <button className="btn btn-sm" onClick={() => setRecording(i.row.original)} data-testid="callback-record">
                {t('callback.record')}
              </button>
            ) : null,
        }),
      ]),
    [t, compact, can],
  );

  return (
    <>
      {list.isError && <div className="alert alert-error">{errorMessage(list.error)}</div>}
      <DataGrid
        columns={columns}
        rows={rows}
        flex={['note']}
        rowTestId="callback-row"
        loading={list.isPending}
        empty={t('callback.empty')}
        footer={
          list.hasNextPage && (
            <div className="load-more">
              <button className="btn btn-sm" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
                {list.isFetchingNextPage ? t('common.loading') : t('common.loadMore')}
              </button>
            </div>
          )
        }
      />
      {recording && <OutcomeDialog callback={recording} onClose={() => setRecording(null)} />}
    </>
  );
}

function OutcomeDialog({ callback, onClose }: { callback: Callback; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [outcome, setOutcome] = useState<CallbackOutcome>('satisfied');
  const [note, setNote] = useState('');
  const [satisfaction, setSatisfaction] = useState(0);
  const save = useMutation({
    mutationFn: () => {
      const body: CallbackOutcomeInput = { outcome, note: note.trim() || undefined, satisfaction: satisfaction || undefined, version: callback.version };
      return api<Callback>(`/api/callbacks/${encodeURIComponent(callback.id)}/outcome`, { method: 'POST', body });
    },
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['callbacks'] }),
        queryClient.invalidateQueries({ queryKey: ['service-order', callback.serviceOrderId] }),
        queryClient.invalidateQueries({ queryKey: ['service-orders'] }),
      ]);
      onClose();
    },
  });
  return (
    <Dialog
      title={`${t('callback.record')} · ${callback.serviceOrderNumber}`}
      onClose={onClose}
      footer={
        <>
          <button className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button className="btn btn-primary" onClick={() => save.mutate()} disabled={save.isPending} data-testid="callback-submit">
            {save.isPending ? t('common.saving') : t('common.save')}
          </button>
        </>
      }
    >
      <div className="form-stack">
        <fieldset className="option-group">
          <legend>{t('callback.outcomeLabel')}</legend>
          {callbackOutcomeList.map((o) => (
            <label key={o} className="radio-card">
              <input type="radio" name="outcome" checked={outcome === o} onChange={() => setOutcome(o)} />
              <span>
                <span className="strong">{t(`callback.outcome.${o}`)}</span>
                <span className="hint">{t(`callback.outcomeHint.${o}`)}</span>
              </span>
            </label>
          ))}
        </fieldset>
        {(outcome === 'satisfied' || outcome === 'not_satisfied') && <Stars value={satisfaction} onChange={setSatisfaction} label={t('service.satisfaction')} />}
        <label className="field">
          <span className="field-label">{t('callback.note')}</span>
          <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={3} maxLength={2000} />
        </label>
        {save.isError && <div className="alert alert-error">{errorMessage(save.error)}</div>}
      </div>
    </Dialog>
  );
}

export function CallbacksPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const v = params.get('view') as View | null;
  const view: View = v && views.includes(v) ? v : 'mine';
  return (
    <div className="page page-fill">
      <div className="page-header">
        <div>
          <h1 className="page-title">{t('nav.callbacks')}</h1>
          <p className="page-sub muted">{t('callback.hint')}</p>
        </div>
      </div>
      <div className="view-tabs" role="tablist">
        {views.map((x) => (
          <button key={x} role="tab" aria-selected={view === x} className={view === x ? 'view-tab active' : 'view-tab'} onClick={() => setParams(x === 'mine' ? {} : { view: x }, { replace: true })}>
            {t(`callback.view.${x}`)}
          </button>
        ))}
      </div>
      <CallbackList view={view === 'all' ? undefined : view} />
    </div>
  );
}
