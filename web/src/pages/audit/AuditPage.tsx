import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, errorMessage } from '../../api/client.ts';
import type { AuditEntry, Page } from '../../api/types.ts';
import { formatDateTime } from '../../format.ts';

function DataCell({ data }: { data: Record<string, unknown> }) {
  const entries = Object.entries(data);
  if (!entries.length) return <span className="muted">—</span>;
  return (
    <span className="kv">
      {entries.slice(0, 6).map(([k, v]) => (
        <span key={k}>
          <span className="muted">{k}=</span>
          {typeof v === 'string' ? v : Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join('、') : JSON.stringify(v)}
        </span>
      ))}
    </span>
  );
}

/** The audit log (admins): every change and every reveal of personal data, newest first. */
export function AuditPage() {
  const { t } = useTranslation();
  const list = useInfiniteQuery({
    queryKey: ['audit'],
    queryFn: ({ pageParam }) => api<Page<AuditEntry>>('/api/audit', { query: { cursor: pageParam, limit: 100 } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 className="page-title">{t('nav.audit')}</h1>
          <p className="page-sub muted">{t('audit.subtitle')}</p>
        </div>
      </div>
      {list.isError && <div className="alert alert-error">{errorMessage(list.error)}</div>}
      <section className="card card-flush">
        <table className="table" data-testid="audit-table">
          <thead>
            <tr>
              <th style={{ width: 140 }}>{t('audit.at')}</th>
              <th style={{ width: 120 }}>{t('audit.actor')}</th>
              <th style={{ width: 170 }}>{t('audit.action')}</th>
              <th style={{ width: 200 }}>{t('audit.entity')}</th>
              <th>{t('audit.data')}</th>
              <th style={{ width: 120 }}>{t('audit.ip')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((a) => (
              <tr key={a.id}>
                <td className="mono muted">{formatDateTime(a.at)}</td>
                <td>{a.actorName ?? <span className="muted">{t('timeline.system')}</span>}</td>
                <td>
                  <span className={a.action.endsWith('.reveal') ? 'badge badge-warn' : 'badge'}>{t(`audit.actions.${a.action.replace(/\./g, '_')}`, { defaultValue: a.action })}</span>
                </td>
                <td>
                  <span className="muted">{t(`audit.entities.${a.entityType}`, { defaultValue: a.entityType })}</span>{' '}
                  {a.entityType === 'customer' && a.entityId ? (
                    <Link to={`/customers/${a.entityId}`} className="mono">
                      {a.entityId.slice(-8)}
                    </Link>
                  ) : (
                    <span className="mono">{a.entityId?.slice(-8) ?? ''}</span>
                  )}
                </td>
                <td className="cell-clip">
                  <DataCell data={a.data} />
                </td>
                <td className="mono muted">{a.ip ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {list.isPending && <div className="empty">{t('common.loading')}</div>}
        {!list.isPending && !items.length && !list.isError && <div className="empty">{t('audit.empty')}</div>}
        {list.hasNextPage && (
          <div className="load-more">
            <button className="btn btn-sm" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
              {list.isFetchingNextPage ? t('common.loading') : t('common.loadMore')}
            </button>
          </div>
        )}
      </section>
    </div>
  );
}
