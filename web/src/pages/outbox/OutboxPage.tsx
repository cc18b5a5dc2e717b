import { useMemo } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { api, errorMessage } from '../../api/client.ts';
import type { OutboxMessage, Page } from '../../api/types.ts';
import { DataGrid, gridHelper } from '../../components/DataGrid.tsx';
import { formatDateTime } from '../../format.ts';

const helper = gridHelper<OutboxMessage>();
const channels = ['sms', 'email', 'wecom', 'dingtalk', 'in_app'] as const;
const statuses = ['pending', 'sent', 'failed', 'suppressed'] as const;

/** 消息发件箱: every SMS, email and notification written for sending, and what became of it. */
export function OutboxPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const channel = params.get('channel') ?? '';
  const status = params.get('status') ?? '';
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
  const list = useInfiniteQuery({
    queryKey: ['outbox', channel, status],
    queryFn: ({ pageParam, signal }) => api<Page<OutboxMessage>>('/api/outbox', { query: { channel: channel || undefined, status: status || undefined, cursor: pageParam, limit: 50 }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: (prev) => prev,
  });
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const columns = useMemo(
    () =>
      helper.columns([
        helper.accessor('createdAt', { header: () => t('outbox.createdAt'), size: 130, cell: (i) => <span className="mono muted">{formatDateTime(i.getValue())}</span> }),
        helper.accessor('channel', { header: () => t('outbox.channel'), size: 80, cell: (i) => <span className={`chan chan-${i.getValue()}`}>{t(`outbox.channels.${i.getValue()}`)}</span> }),
        helper.accessor('recipient', { header: () => t('outbox.recipient'), size: 150, cell: (i) => <span className="mono">{i.getValue()}</span> }),
        helper.accessor('body', {
          header: () => t('outbox.content'),
          size: 260,
          cell: (i) => {
            const m = i.row.original;
            const text = m.subject ? `${m.subject} — ${m.body}` : m.body;
            return <span title={text}>{text}</span>;
          },
        }),
        helper.accessor('status', { header: () => t('outbox.status'), size: 90, cell: (i) => <span className={`pill ob-${i.getValue()}`}>{t(`outbox.statuses.${i.getValue()}`)}</span> }),
        helper.accessor('reasonText', { header: () => t('outbox.reason'), size: 180, cell: (i) => <span title={i.getValue() ?? ''}>{i.getValue() ?? ''}</span> }),
        helper.accessor('attempts', { header: () => t('outbox.attempts'), size: 60, cell: (i) => <span className="mono">{i.getValue()}</span> }),
        helper.accessor('sentAt', { header: () => t('outbox.sentAt'), size: 130, cell: (i) => <span className="mono muted">{formatDateTime(i.getValue())}</span> }),
      ]),
    [t],
  );
  return (
    <div className="page page-fill">
      <div className="page-header">
        <div>
          <h1 className="page-title">{t('nav.outbox')}</h1>
          <p className="page-sub muted">{t('outbox.hint')}</p>
        </div>
      </div>
      <div className="toolbar">
        <select value={channel} onChange={(e) => set('channel', e.target.value)} aria-label={t('outbox.channel')}>
          <option value="">{t('outbox.allChannels')}</option>
          {channels.map((c) => (
            <option key={c} value={c}>
              {t(`outbox.channels.${c}`)}
            </option>
          ))}
        </select>
        <select value={status} onChange={(e) => set('status', e.target.value)} aria-label={t('outbox.status')}>
          <option value="">{t('outbox.allStatuses')}</option>
          {statuses.map((s) => (
            <option key={s} value={s}>
              {t(`outbox.statuses.${s}`)}
            </option>
          ))}
        </select>
        <div className="toolbar-spacer" />
        <span className="muted count">{t('customer.loaded', { count: rows.length, more: list.hasNextPage ? '+' : '' })}</span>
      </div>
      {list.isError && <div className="alert alert-error">{errorMessage(list.error)}</div>}
      <DataGrid
        columns={columns}
        rows={rows}
        flex={['body', 'reasonText']}
        loading={list.isPending}
        empty={t('outbox.empty')}
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
