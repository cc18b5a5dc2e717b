import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../api/client.ts';
import type { Page, TimelineItem } from '../../api/types.ts';
import { formatDateTime } from '../../format.ts';

function kindClass(kind: string): string {
  if (kind === 'contact') return 'tl-contact';
  // Calls from the contact center (call.answered / call.abandoned / call.open): a phone contact; a lost call stands out.
  if (kind.startsWith('call.')) return kind === 'call.abandoned' ? 'tl-breach' : 'tl-contact';
  if (kind.endsWith('.reveal')) return 'tl-reveal';
  if (kind.endsWith('.create')) return 'tl-create';
  return 'tl-update';
}

/** Everything that happened to the customer, newest first; later domains add their own kinds. */
export function Timeline({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const list = useInfiniteQuery({
    queryKey: ['customer', customerId, 'timeline'],
    queryFn: ({ pageParam }) =>
      api<Page<TimelineItem>>(`/api/customers/${encodeURIComponent(customerId)}/timeline`, { query: { cursor: pageParam, limit: 20 } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];

  if (list.isPending) return <div className="empty">{t('common.loading')}</div>;
  if (list.isError) return <div className="alert alert-error">{errorMessage(list.error)}</div>;
  if (!items.length) return <div className="empty">{t('timeline.empty')}</div>;

  return (
    <div className="timeline">
      <ol>
        {items.map((item) => {
          const channel = typeof item.data.channel === 'string' ? item.data.channel : item.kind.startsWith('call.') ? 'phone' : null;
          const direction = typeof item.data.direction === 'string' ? item.data.direction : null;
          return (
            <li key={item.id} className={`tl-item ${kindClass(item.kind)}`} data-testid="timeline-item">
              <span className="tl-dot" />
              <div className="tl-body">
                <div className="tl-head">
                  <span className="tl-kind">{t(`timeline.kind.${item.kind.replace(/\./g, '_')}`, { defaultValue: item.kind })}</span>
                  {channel && <span className={`chan chan-${channel}`}>{t(`channel.${channel}`, { defaultValue: channel })}</span>}
                  {direction && <span className="muted">{t(`direction.${direction}`, { defaultValue: direction })}</span>}
                  <span className="tl-spacer" />
                  <span className="muted">{item.actorName ?? t('timeline.system')}</span>
                  <time className="mono muted" dateTime={item.occurredAt}>
                    {formatDateTime(item.occurredAt)}
                  </time>
                </div>
                {item.summary && <div className="tl-summary pre-wrap">{item.summary}</div>}
              </div>
            </li>
          );
        })}
      </ol>
      {list.hasNextPage && (
        <div className="load-more">
          <button className="btn btn-sm" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage} data-testid="timeline-more">
            {list.isFetchingNextPage ? t('common.loading') : t('common.loadMore')}
          </button>
        </div>
      )}
    </div>
  );
}
