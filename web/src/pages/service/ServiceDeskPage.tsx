import { useMemo } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { api, errorMessage } from '../../api/client.ts';
import { useServiceTypeLabel, useServiceTypes } from '../../api/lookups.ts';
import { priorityList, serviceOrderViews, serviceStatusList, type Page, type ServiceOrder, type ServiceOrderView } from '../../api/types.ts';
import { PriorityBadge, SlaDue, StatusBadge } from '../../components/Badges.tsx';
import { DataGrid, gridHelper } from '../../components/DataGrid.tsx';
import { formatDateTime } from '../../format.ts';
import { CustomerCell, UserCell } from './names.tsx';

const helper = gridHelper<ServiceOrder>();
type Tab = ServiceOrderView | 'all' | 'complaints';
const tabs: Tab[] = [...serviceOrderViews, 'complaints', 'all'];
const PAGE_SIZE = 50;

export const serviceOrdersKey = ['service-orders'] as const;

/** 售后服务台: the work views (sorted by the next SLA deadline), complaints, and everything. */
export function ServiceDeskPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const types = useServiceTypes();
  const typeLabel = useServiceTypeLabel();
  const tabParam = params.get('view') as Tab | null;
  const tab: Tab = tabParam && tabs.includes(tabParam) ? tabParam : 'mine';
  const status = params.get('status') ?? '';
  const type = params.get('type') ?? '';
  const priority = params.get('priority') ?? '';

  const setParam = (key: string, value: string) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );

  const query = {
    view: tab === 'all' || tab === 'complaints' ? undefined : tab,
    type: tab === 'complaints' ? 'complaint' : type || undefined,
    status: status || undefined,
    priority: priority || undefined,
  };
  const list = useInfiniteQuery({
    queryKey: [...serviceOrdersKey, query],
    queryFn: ({ pageParam, signal }) => api<Page<ServiceOrder>>('/api/service-orders', { query: { ...query, cursor: pageParam, limit: PAGE_SIZE }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: (prev) => prev,
    refetchInterval: 60_000,
  });
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);

  const columns = useMemo(
    () =>
      helper.columns([
        helper.accessor('number', { header: () => t('service.number'), size: 130, cell: (i) => <span className="mono strong">{i.getValue()}</span> }),
        helper.accessor('title', { header: () => t('service.title'), size: 220, cell: (i) => <span title={i.getValue()}>{i.getValue()}</span> }),
        helper.accessor('customerId', {
          header: () => t('service.customer'),
          size: 120,
          cell: (i) => <CustomerCell id={i.getValue()} name={i.row.original.customerName} />,
        }),
        helper.accessor('type', {
          header: () => t('service.type.label'),
          size: 100,
          cell: (i) => <span className={`stype stype-${i.getValue()}`}>{typeLabel(i.getValue())}</span>,
        }),
        ...(tab === 'complaints'
          ? [
              helper.accessor('severity', {
                header: () => t('service.severity.label'),
                size: 80,
                cell: (i) => {
                  const v = i.getValue();
                  return v ? <span className={`sev sev-${v}`}>{t(`service.severity.${v}`)}</span> : <span className="muted">—</span>;
                },
              }),
            ]
          : []),
        helper.accessor('priority', { header: () => t('service.priority.label'), size: 76, cell: (i) => <PriorityBadge priority={i.getValue()} /> }),
        helper.accessor('status', { header: () => t('service.status.label'), size: 100, cell: (i) => <StatusBadge status={i.getValue()} /> }),
        helper.accessor('assigneeUserId', {
          header: () => t('service.assignee'),
          size: 100,
          cell: (i) => <UserCell id={i.getValue()} name={i.row.original.assigneeName} />,
        }),
        helper.accessor('nextDueAt', { header: () => t('service.slaDue'), size: 130, cell: (i) => <SlaDue order={i.row.original} /> }),
        helper.accessor('createdAt', { header: () => t('service.createdAt'), size: 130, cell: (i) => <span className="mono muted">{formatDateTime(i.getValue())}</span> }),
      ]),
    [t, tab, typeLabel],
  );

  const hasFilters = Boolean(status || type || priority);

  return (
    <div className="page page-fill">
      <div className="page-header">
        <div>
          <h1 className="page-title">{t('nav.service')}</h1>
          <p className="page-sub muted">{t('service.deskHint')}</p>
        </div>
      </div>

      <div className="view-tabs" role="tablist">
        {tabs.map((v) => (
          <button
            key={v}
            role="tab"
            aria-selected={tab === v}
            className={tab === v ? 'view-tab active' : 'view-tab'}
            onClick={() => setParam('view', v === 'mine' ? '' : v)}
            data-testid={`service-view-${v}`}
          >
            {t(`service.view.${v}`)}
          </button>
        ))}
      </div>

      <div className="toolbar">
        <select value={status} onChange={(e) => setParam('status', e.target.value)} aria-label={t('service.status.label')}>
          <option value="">{t('service.allStatuses')}</option>
          {serviceStatusList.map((s) => (
            <option key={s} value={s}>
              {t(`service.status.${s}`)}
            </option>
          ))}
        </select>
        {tab !== 'complaints' && (
          <select value={type} onChange={(e) => setParam('type', e.target.value)} aria-label={t('service.type.label')}>
            <option value="">{t('service.allTypes')}</option>
            {types.map((s) => (
              <option key={s.key} value={s.key}>
                {s.label}
              </option>
            ))}
          </select>
        )}
        <select value={priority} onChange={(e) => setParam('priority', e.target.value)} aria-label={t('service.priority.label')}>
          <option value="">{t('service.allPriorities')}</option>
          {priorityList.map((s) => (
            <option key={s} value={s}>
              {t(`service.priority.${s}`)}
            </option>
          ))}
        </select>
        {hasFilters && (
          <button className="btn btn-ghost btn-sm" onClick={() => setParams(tab === 'mine' ? {} : { view: tab }, { replace: true })}>
            {t('common.clearFilters')}
          </button>
        )}
        <div className="toolbar-spacer" />
        <span className="muted count">
          {list.isFetching && !list.isFetchingNextPage ? t('common.loading') : t('customer.loaded', { count: rows.length, more: list.hasNextPage ? '+' : '' })}
        </span>
      </div>

      {list.isError && <div className="alert alert-error">{errorMessage(list.error)}</div>}

      <DataGrid
        columns={columns}
        rows={rows}
        flex={['title']}
        rowTestId="service-row"
        rowClass={(r) => {
          if (r.status === 'resolved' || r.status === 'closed' || r.pausedSince) return undefined;
          // The SLA scan marks breaches every few minutes; the clock is already known here.
          const late = r.slaState === 'breached' || (r.nextDueAt !== null && new Date(r.nextDueAt).getTime() < Date.now());
          return late ? 'row-breached' : undefined;
        }}
        onRowClick={(r) => navigate(`/service/${r.id}`)}
        loading={list.isPending}
        empty={hasFilters ? t('service.noMatches') : t(`service.empty.${tab}`)}
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
    </div>
  );
}
