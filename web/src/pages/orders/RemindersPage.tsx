import { useMemo } from 'react';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { api, errorMessage } from '../../api/client.ts';
import type { Page, Reminder } from '../../api/types.ts';
import { useCan } from '../../auth.tsx';
import { DataGrid, gridHelper } from '../../components/DataGrid.tsx';
import { formatDate } from '../../format.ts';
import { CustomerCell } from '../service/names.tsx';

const helper = gridHelper<Reminder>();

/** 补货提醒: customers who are about to run out of what they bought, mine first. */
export function RemindersPage() {
  const { t } = useTranslation();
  const can = useCan();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const status = params.get('status') === 'done' ? 'done' : 'open';
  const list = useInfiniteQuery({
    queryKey: ['reminders', status],
    queryFn: ({ pageParam, signal }) => api<Page<Reminder>>('/api/replenishment-reminders', { query: { assignee: 'me', status, cursor: pageParam, limit: 50 }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const done = useMutation({
    mutationFn: (r: Reminder) => api<Reminder>(`/api/replenishment-reminders/${encodeURIComponent(r.id)}/done`, { method: 'POST', body: { version: r.version } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['reminders'] }),
  });
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const today = new Date().toISOString().slice(0, 10);

  const columns = useMemo(
    () =>
      helper.columns([
        helper.accessor('dueDate', {
          header: () => t('reminder.due'),
          size: 110,
          cell: (i) => <span className={`mono ${status === 'open' && i.getValue() < today ? 'text-danger strong' : ''}`}>{i.getValue()}</span>,
        }),
        helper.accessor('customerName', { header: () => t('service.customer'), size: 130, cell: (i) => <CustomerCell id={i.row.original.customerId} name={i.getValue()} link /> }),
        helper.accessor('productName', {
          header: () => t('order.product'),
          size: 200,
          cell: (i) => (
            <span>
              {i.getValue()} <span className="muted mono">{i.row.original.sku}</span>
            </span>
          ),
        }),
        helper.accessor('lastPurchaseAt', { header: () => t('reminder.lastPurchase'), size: 110, cell: (i) => <span className="mono muted">{formatDate(i.getValue())}</span> }),
        helper.accessor('intervalDays', {
          header: () => t('reminder.basis'),
          size: 150,
          cell: (i) => t(`reminder.basisText.${i.row.original.basis}`, { days: i.getValue() }),
        }),
        helper.accessor('channel', { header: () => t('reminder.channel'), size: 90, cell: (i) => t(`reminder.channels.${i.getValue()}`) }),
        helper.display({
          id: 'actions',
          header: () => '',
          size: 100,
          cell: (i) =>
            i.row.original.status === 'open' && can('order.write') ? (
              <button className="btn btn-sm" onClick={() => done.mutate(i.row.original)} disabled={done.isPending}>
                {t('reminder.markDone')}
              </button>
            ) : (
              <span className="muted">{formatDate(i.row.original.doneAt)}</span>
            ),
        }),
      ]),
    [t, status, today, can, done],
  );

  return (
    <div className="page page-fill">
      <div className="page-header">
        <div>
          <h1 className="page-title">{t('nav.reminders')}</h1>
          <p className="page-sub muted">{t('reminder.hint')}</p>
        </div>
      </div>
      <div className="view-tabs" role="tablist">
        {(['open', 'done'] as const).map((s) => (
          <button key={s} role="tab" aria-selected={status === s} className={status === s ? 'view-tab active' : 'view-tab'} onClick={() => setParams(s === 'open' ? {} : { status: s }, { replace: true })}>
            {t(`reminder.status.${s}`)}
          </button>
        ))}
      </div>
      {list.isError && <div className="alert alert-error">{errorMessage(list.error)}</div>}
      {done.isError && <div className="alert alert-error">{errorMessage(done.error)}</div>}
      <DataGrid
        columns={columns}
        rows={rows}
        flex={['productName']}
        loading={list.isPending}
        empty={t('reminder.empty')}
        footer={
          list.hasNextPage && (
            <div className="load-more">
              <button className="btn btn-sm" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
                {t('common.loadMore')}
              </button>
            </div>
          )
        }
      />
    </div>
  );
}
